"""Who the customer is, for agents: profile, orders, recent behaviour, predictor scores, chats."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Conversation, Event, utcnow
from assistant.services import orders as order_svc
from assistant.services import recs
from assistant.services.records import (
    BehaviourScores,
    BehaviourSummary,
    CustomerSummary,
    OpenConversation,
    OrdersSummary,
    PurchaseIntent,
    RecentEvent,
    RecentOrder,
)
from assistant.services.state import AppState

RECENT_EVENTS = 10
BEHAVIOUR_WINDOW = timedelta(days=30)
INTENT_ITEMS = 3  # purchase intent is scored on the customer's most recently touched items


def _recent_products(session: Session, user_id: str, n: int) -> list[str]:
    rows = session.execute(
        select(Event.product_id, Event.ts)
        .where(Event.user_id == user_id, Event.product_id.is_not(None))
        .order_by(Event.ts.desc())
        .limit(200)
    )
    out: list[str] = []
    for pid, _ in rows:
        assert pid is not None  # filtered in the query
        if pid not in out:
            out.append(pid)
    return out[:n]


def _behaviour_scores(state: AppState, session: Session, user_id: str) -> BehaviourScores:
    """Churn risk and purchase intent (on the items they touched last) from the recommender
    service; when a model is untrained or absent, a note says so instead."""
    notes: list[str] = []
    out = BehaviourScores(available=False)
    try:
        churn = recs.churn_risk(state, session, user_id)
    except Exception as exc:  # noqa: BLE001 - an untrained model must not break the summary
        notes.append(f"churn risk unavailable ({str(exc)[:160]})")
    else:
        if churn["probability"] is None:
            notes.append(f"churn risk unavailable ({churn['basis']})")
        else:
            out["churn"] = churn
    intents: list[PurchaseIntent] = []
    products = _recent_products(session, user_id, INTENT_ITEMS)
    if not products:
        notes.append("no behaviour events for purchase intent")
    for pid in products:
        try:
            p = recs.predict_purchase(state, session, user_id, pid)
        except Exception as exc:  # noqa: BLE001
            notes.append(f"purchase intent unavailable ({str(exc)[:160]})")
            break
        intents.append(
            PurchaseIntent(
                product_id=p["product_id"],
                probability=p["probability"],
                likely=p["likely"],
                basis=p["basis"],
            )
        )
    if intents:
        out["purchase_intent"] = intents
    out["available"] = "churn" in out or "purchase_intent" in out
    if notes:
        out["note"] = "behaviour predictor: " + "; ".join(notes)
    return out


def customer_summary(session: Session, state: AppState, user_id: str) -> CustomerSummary:
    """Who the customer is: profile, orders, recent behaviour, predictor scores, open chats."""
    user = order_svc.get_user(session, user_id)
    orders = order_svc.list_orders(session, user_id)
    since = utcnow() - BEHAVIOUR_WINDOW
    events = session.scalars(
        select(Event).where(Event.user_id == user_id).order_by(Event.ts.desc()).limit(RECENT_EVENTS)
    ).all()
    window = Counter(
        session.scalars(select(Event.type).where(Event.user_id == user_id, Event.ts >= since))
    )
    convs = session.scalars(
        select(Conversation)
        .where(Conversation.user_id == user_id, Conversation.status != "closed")
        .order_by(Conversation.updated_at.desc())
    ).all()
    return CustomerSummary(
        profile=order_svc.user_profile(user),
        orders=OrdersSummary(
            count=len(orders),
            by_status=dict(Counter(o["status"] for o in orders)),
            recent=[
                RecentOrder(
                    order_id=o["order_id"],
                    status=o["status"],
                    total=o["total"],
                    currency=o["currency"],
                    created_at=o["created_at"],
                    items=len(o["items"]),
                )
                for o in orders[:10]
            ],
        ),
        behaviour=BehaviourSummary(
            events_last_30_days=dict(window),
            recent_events=[
                RecentEvent(
                    type=e.type, product_id=e.product_id, ts=e.ts.isoformat(), query=e.query
                )
                for e in events
            ],
            predictor=_behaviour_scores(state, session, user_id),
        ),
        open_conversations=[
            OpenConversation(
                conversation_id=c.id,
                status=c.status,
                reason=c.handoff_reason,
                updated_at=c.updated_at.isoformat(),
            )
            for c in convs
        ],
    )
