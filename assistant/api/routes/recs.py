"""Recommendations: GET /v1/recommendations and POST /v1/predict/purchase."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import Field

from assistant.api.deps import Principal, SessionDep, StateDep, WidgetDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import RequestModel
from assistant.errors import BadRequest, Forbidden
from assistant.services import recs
from assistant.services.records import PurchasePrediction, Recommendations

router = APIRouter(prefix="/v1", tags=["recommendations"], responses=AUTH_ERRORS)


def _shopper(who: Principal, user_id: str | None) -> str | None:
    """Widget keys act for their own shopper only; agent and admin keys name the user."""
    if who.role == "widget":
        if user_id and user_id != who.user_id:
            raise Forbidden("a widget key may only ask about its own shopper")
        return who.user_id
    return user_id


@router.get("/recommendations", responses=responses(503))
def get_recommendations(
    state: StateDep,
    db: SessionDep,
    who: WidgetDep,
    user_id: Annotated[str | None, Query(max_length=64)] = None,
    category: Annotated[str | None, Query(max_length=255)] = None,
    k: Annotated[int, Query(ge=1, le=recs.MAX_K)] = 10,
) -> Recommendations:
    """Personal recommendations (popular items for anonymous or new shoppers)."""
    return recs.recommend(state, db, _shopper(who, user_id), category, k)


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
