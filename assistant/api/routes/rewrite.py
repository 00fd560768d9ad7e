"""Search-box query rewriting: POST /v1/rewrite."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from assistant.api.deps import CatalogDep, SessionDep, StateDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import JsonInt, RequestModel
from assistant.api.routes.search import HitOut, hit_out
from assistant.services import rewrite as rewrite_service

router = APIRouter(prefix="/v1", tags=["search"], responses=AUTH_ERRORS)


class RewriteIn(RequestModel):
    """What the shopper typed (any JSON value: non-text comes back unchanged) and their session."""

    query: Any = Field(description="the raw search-box text")
    session: str | None = Field(None, max_length=64, description="the shopper's session id")
    k: JsonInt = Field(
        0, ge=0, le=50, description="also return the top k products for the rewrite (0: none)"
    )


class ChangeOut(BaseModel):
    """One edit of the query and how sure the rewriter is of it."""

    kind: str = Field(description="spelling | split | join | unit | filter")
    before: str
    after: str
    confidence: float


class RewriteOut(BaseModel):
    """The rewritten query; confidence 0 means the input was handed back unchanged."""

    original: Any
    query: Any
    filters: dict[str, Any]
    search_filters: dict[str, Any] = Field(
        default_factory=dict, description="the filters search_products accepts"
    )
    expansions: list[str]
    changes: list[ChangeOut]
    confidence: float
    hits: list[HitOut] = Field(
        default_factory=list, description="with k > 0: products for the rewritten query"
    )


@router.post("/rewrite", response_model=RewriteOut, responses=responses(503))
def post_rewrite(body: RewriteIn, state: StateDep, db: SessionDep, who: CatalogDep) -> Any:
    """Correct the spelling of a search query, read its filters and suggest expansions."""
    out = rewrite_service.rewrite_query(state, db, body.query, body.session, body.k)
    return {**out, "hits": [hit_out(h) for h in out.get("hits", [])]}
