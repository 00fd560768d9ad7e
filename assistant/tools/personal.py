"""Tools about the session's shopper: recommendations, explanations, purchase odds, orders,
plus the store's policy and the human handoff. The shopper always comes from the session."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from assistant.services import handoff, orders, policy, recs
from assistant.services import products as catalog
from assistant.services.feedback_events import anonymous_shopper
from assistant.services.records import Explanation, OrderStatus, OrderView, ProductCard
from assistant.tools.catalog import DEFAULT_K, hit_ids
from assistant.tools.context import ToolContext, ToolFailure, field
from assistant.tools.contract import (
    ExplainRecommendationArgs,
    GetOrderStatusArgs,
    HandoffToHumanArgs,
    ListMyOrdersArgs,
    PredictPurchaseArgs,
    RecommendForUserArgs,
    SearchPolicyArgs,
)
from assistant.tools.results import (
    ExplainResult,
    HandoffResult,
    OrderLine,
    OrdersResult,
    OrderStatusResult,
    OrderSummary,
    PolicyResult,
    PurchaseOdds,
    RecommendResult,
)

ORDER_SUMMARY_ITEMS = 5
log = logging.getLogger(__name__)


def _plain(obj: Any) -> Any:
    """Dataclasses / pydantic models / numpy scalars as JSON-ready data."""
    if hasattr(obj, "model_dump"):
        return obj.model_dump()
    if hasattr(obj, "__dataclass_fields__"):
        return asdict(obj)
    if hasattr(obj, "item") and callable(obj.item):
        return obj.item()
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_plain(v) for v in obj]
    return obj


def _card(ctx: ToolContext, product_id: str) -> ProductCard:
    try:
        return catalog.product_card(catalog.get_product(ctx.db, product_id))
    except catalog.ProductNotFound as exc:
        raise ToolFailure(str(exc)) from exc


def recommend_for_user(ctx: ToolContext, args: RecommendForUserArgs) -> RecommendResult:
    """Personalised recommendations for the session's shopper (a guest: from their own clicks in
    this session; popular items before any)."""
    k = args.k or DEFAULT_K
    guest = ctx.role == "widget" and ctx.key_id is not None
    shopper = ctx.user_id or (anonymous_shopper(ctx.key_id) if guest else None)
    try:
        result: Any = recs.recommend(ctx.state, ctx.db, shopper, args.category, k)
    except Exception as exc:  # noqa: BLE001 - no trained recommender yet: popular items instead
        log.warning("recommender unavailable, answering with popular items: %s", exc)
        ctx.db.rollback()
        result = {"items": catalog.popular(ctx.db, args.category, k), "strategy": "popular"}
    out = RecommendResult(products=catalog.cards_with_scores(ctx.db, hit_ids(result)[:k]))
    if args.category:
        out["category"] = args.category
    reason = field(result, "strategy", "source", "reason")
    if isinstance(reason, str):
        out["strategy"] = reason
    return out


def explain_recommendation(ctx: ToolContext, args: ExplainRecommendationArgs) -> ExplainResult:
    """Why a product was recommended to the session's shopper: their own events and model signals."""
    user = ctx.require_user()
    card = _card(ctx, args.product_id)
    # plain data: the recommender's weights may be numpy scalars
    try:
        explanation: Explanation = _plain(recs.explain(ctx.state, ctx.db, user, args.product_id))
    except recs.ModelMissing:  # no recommender trained yet: no recorded reason, said plainly
        explanation = Explanation(
            product_id=args.product_id, user_id=user, known_user=False, rank=None, score=None,
            evidence=[], predictor=None,
        )  # fmt: skip
    evidence = explanation["evidence"]  # name the products the evidence points at
    ids = [e["product_id"] for e in evidence if "product_id" in e]
    titles = {c["product_id"]: c["title"] for c in catalog.get_cards(ctx.db, ids)}
    for e in evidence:
        if "product_id" in e and e["product_id"] in titles:
            e["title"] = titles[e["product_id"]]
    return ExplainResult(product=card, explanation=explanation)


def predict_purchase(ctx: ToolContext, args: PredictPurchaseArgs) -> PurchaseOdds:
    """Probability that the session's shopper buys the product, with its top features."""
    user = ctx.require_user()
    card = _card(ctx, args.product_id)
    pred = recs.predict_purchase(ctx.state, ctx.db, user, args.product_id)
    # the product first, then the odds (the order the model has always read them in)
    return {"product": card, "probability": pred["probability"], **pred}


def _order_summary(order: OrderView) -> OrderSummary:
    return OrderSummary(
        order_id=order["order_id"],
        status=order["status"],
        total=order.get("total"),
        currency=order.get("currency"),
        created_at=order.get("created_at"),
        items=[
            OrderLine(product_id=i["product_id"], name=i["name"], price=i["price"])
            for i in order.get("items", [])[:ORDER_SUMMARY_ITEMS]
        ],
    )


def list_my_orders(ctx: ToolContext, args: ListMyOrdersArgs) -> OrdersResult:
    """The session's shopper's orders, newest first, optionally one status."""
    user = ctx.require_user()
    found = orders.list_orders(ctx.db, user, args.status)
    out = OrdersResult(
        status_filter=args.status,
        count=len(found),
        orders=[_order_summary(o) for o in found[:10]],
    )
    if args.status and not found:
        out["others"] = [_order_summary(o) for o in orders.list_orders(ctx.db, user, None)[:10]]
    return out


def get_order_status(ctx: ToolContext, args: GetOrderStatusArgs) -> OrderStatusResult:
    """Status, items and tracking of one order (the shopper's own; agents: any)."""
    order = orders.get_order(ctx.db, args.order_id, ctx.order_scope)
    shown = OrderStatus(
        order_id=order["order_id"],
        user_id=order["user_id"],
        status=order["status"],
        items=order["items"],
        total=order["total"],
        currency=order["currency"],
        tracking=order["tracking"],
        created_at=order["created_at"],
    )  # not the address or the payments: the chat never shows them
    return OrderStatusResult(order=shown)


def search_policy(ctx: ToolContext, args: SearchPolicyArgs) -> PolicyResult:
    """Passages of the store's policy / FAQ that answer a question."""
    passages = policy.search_policy(ctx.state, args.question, k=3)
    out = PolicyResult(question=args.question, passages=passages)
    if passages:
        out["rule"] = policy.section_rest(ctx.state, passages[0]["passage_id"])
    return out


def handoff_to_human(ctx: ToolContext, args: HandoffToHumanArgs) -> HandoffResult:
    """Hand the conversation to a human agent, with the reason."""
    if not ctx.conversation_id:
        raise ToolFailure("no conversation to hand over")
    scope = ctx.user_id if ctx.role == "widget" else None
    queued = handoff.handoff(ctx.db, ctx.conversation_id, args.reason, user_id=scope)
    return {"handed_off": True, **queued}
