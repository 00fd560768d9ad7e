"""Admin API (/v1/admin/...): what the service's model is doing. Needs the admin key."""

from __future__ import annotations

from fastapi import APIRouter

from assistant.api.deps import AdminDep, RuntimeDep
from assistant.api.errors import AUTH_ERRORS
from assistant.services.adapter_training import ModelStatus

router = APIRouter(prefix="/v1/admin", tags=["admin"], responses=AUTH_ERRORS)


@router.get("/model")
def model(runtime: RuntimeDep, _: AdminDep) -> ModelStatus:
    """The backend and adapter answering now, the model's state, and the store adapter's
    training (state, step, loss, time used of its budget)."""
    return runtime.status()
