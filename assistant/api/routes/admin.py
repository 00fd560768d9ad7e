"""Admin API (/v1/admin/...): what the service's model is doing, and the search index every
replica serves. Needs the admin key."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from assistant.api.deps import AdminDep, RuntimeDep, StateDep
from assistant.api.errors import AUTH_ERRORS
from assistant.services import search as search_service
from assistant.services.adapter_training import ModelStatus
from assistant.services.records import IndexSummary

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=AUTH_ERRORS)


class IndexVersion(BaseModel):
    """The published search index version (the same for every replica)."""

    version: str


@router.get("/model")
def model(runtime: RuntimeDep, _: AdminDep) -> ModelStatus:
    """The backend and adapter answering now, the model's state, and the store adapter's
    training (state, step, loss, time used of its budget)."""
    return runtime.status()


@router.get("/index")
def index_version(state: StateDep, _: AdminDep) -> IndexVersion:
    """The search index version the replicas serve (503 when none is built)."""
    return IndexVersion(version=search_service.index_version(state.settings))


@router.post("/index")
def publish_index(state: StateDep, _: AdminDep) -> IndexSummary:
    """Bring the search index in line with the catalog (only changed products are embedded)
    and publish the new version to every replica; synchronous, so for catalogs that take
    minutes run `shopassist index build` instead."""
    return search_service.publish_index(state)
