"""Recommendations: GET /v1/recommendations and POST /v1/predict/purchase."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from assistant.api.deps import Principal, SessionDep, StateDep, WidgetDep, acting_shopper
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import RequestModel
from assistant.errors import BadRequest
from assistant.services import recs
from assistant.services.records import PurchasePrediction, Recommendations

router = APIRouter(prefix="/v1", tags=["recommendations"], responses=AUTH_ERRORS)


def _shopper(who: Principal, user_id: str | None) -> str | None:
    """Widget keys act for their own shopper only (a guest: its session's own events); agent
    and admin keys name the user."""
    if who.role == "widget":
        return acting_shopper(who, user_id)
    return user_id


@router.get("/recommendations", responses=responses(503))
def get_recommendations(
    state: StateDep,
    db: SessionDep,
    who: WidgetDep,
    user_id: Annotated[str | None, Query(max_length=64)] = None,
    category: Annotated[str | None, Query(max_length=255)] = None,
    k: Annotated[int, Query(ge=1, le=recs.MAX_K)] = 10,
    session: Annotated[
        str | None,
        Query(
            max_length=64,
            description="a browsing session's id (events' session_id): "
            "rank from that session's events",
        ),
    ] = None,
) -> Recommendations:
    """Personal recommendations; a guest's or a session's from its own clicks so far (popular
    items for a shopper with no events yet)."""
    return recs.recommend(state, db, _shopper(who, user_id), category, k, session)


class PurchaseQuery(RequestModel):
    """Body of POST /v1/predict/purchase."""

    product_id: str = Field(min_length=1, max_length=64)
    user_id: str | None = Field(default=None, max_length=64)


@router.post("/predict/purchase", responses=responses(400, 404, 503))
def post_predict_purchase(
    body: PurchaseQuery, state: StateDep, db: SessionDep, who: WidgetDep
) -> PurchasePrediction:
    """Probability that the shopper buys the product in the next 24 h, with top features."""
    user = _shopper(who, body.user_id)
    if not user:
        raise BadRequest("user_id is required (or use a widget key bound to a shopper)")
    return recs.predict_purchase(state, db, user, body.product_id)
