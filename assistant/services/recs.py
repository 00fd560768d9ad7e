"""Recommender service: trains and serves the recsys models over the store's database.

Called by `shopassist train recsys|behavior`, the setup step, `/v1/recommendations`,
`/v1/predict/purchase` and the chat tools (recommend_for_user, similar_products' collaborative
side, explain_recommendation, predict_purchase):

    recommend(state, db, "u1", category="Snacks", k=5)   # {"strategy", "items": [...]}
    similar_items(state, db, "P1", k=5)                   # collaborative, else content
    explain(state, db, "u1", "P9")                        # evidence from real events only
    predict_purchase(state, db, "u1", "P9")               # probability + top features
    churn_risk(state, db, "u1")                           # P(no event in the next days)

`state` is the app's AppState: it keeps the loaded models, and a retrained model (its metrics
file rewritten) is loaded on the next call.

Missing models raise ModelMissing ("train first: run `shopassist train recsys`", HTTP 503);
bad arguments Invalid (422); unknown products ProductNotFound (404). An unknown user is not
an error: they get their recent session items' neighbours, else popular items (cold start).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import Event, Product
from assistant.errors import Invalid, Unavailable
from assistant.services.feedback_events import fresh_weights, recent_items
from assistant.services.products import ProductNotFound, get_cards
from assistant.services.records import (
    ChurnRisk,
    CustomerScores,
    EventRef,
    Evidence,
    Explanation,
    FeatureContribution,
    LikelyPurchase,
    ProductCard,
    PurchasePrediction,
    Recommendations,
    RecommendedProduct,
    SimilarItems,
)
from assistant.services.recs_train import (  # noqa: F401 - re-exported for callers
    ensure_models,
    recsys_dir,
    train_behavior,
    train_recsys,
    update_recsys,
)
from assistant.services.search import similar
from assistant.services.state import AppState, Slot

if TYPE_CHECKING:
    from recsys.behavior import BehaviorModel
    from recsys.recommender import Recommender

MAX_K = 100
M = TypeVar("M")


class ModelMissing(Unavailable):
    """A model has not been trained yet; the message names the command that trains it."""

    code = "model_missing"


def _pairs_frame(session: Session, user_id: str, product_ids: list[str]):
    """Events of one user or of these products: enough for those pairs' exact features."""
    # lazy: recsys and pandas take about a second to import; serving starts without them
    import pandas as pd

    from recsys.interactions import normalize_events

    category = func.coalesce(func.nullif(Product.category, ""), Event.category_id, "")
    stmt = (
        select(Event.user_id, Event.product_id, Event.type, Event.ts, Event.dwell_seconds, category)
        .outerjoin(Product, Product.id == Event.product_id)
        .where(or_(Event.user_id == user_id, Event.product_id.in_(product_ids)))
        .where(Event.product_id.is_not(None))
    )
    cols = ["user_id", "item_id", "type", "ts", "dwell_seconds", "category"]
    frame = pd.DataFrame(session.execute(stmt).all(), columns=cols)
    frame["ts"] = pd.to_datetime(frame["ts"])
    frame["dwell_seconds"] = frame["dwell_seconds"].astype("float64")
    return normalize_events(frame)


def _load(state: AppState, slot: Slot[M], name: str, command: str, read: Callable[[Path], M]) -> M:
    """The model trained under name, as kept in slot; retrained (new metrics file): read again."""
    d = recsys_dir(state.settings) / name
    stamp = d / "metrics.json"
    if not stamp.is_file():
        raise ModelMissing(f"train first: run `shopassist {command}`")
    return slot.get(stamp.stat().st_mtime, lambda: read(d))


def _read_recommender(d: Path) -> Recommender:
    # lazy: recsys and pandas take about a second to import; serving starts without them
    from recsys.recommender import Recommender

    return Recommender.load(d)


def _read_behaviour(d: Path) -> BehaviorModel:
    # lazy: recsys and pandas take about a second to import; serving starts without them
    from recsys.behavior import BehaviorModel

    return BehaviorModel.load(d)


def _recommender(state: AppState) -> Recommender:
    return _load(state, state.recommender, "recommender", "train recsys", _read_recommender)


def behaviour_model(state: AppState, name: Literal["purchase", "churn"]) -> BehaviorModel:
    slot = state.purchase_model if name == "purchase" else state.churn_model
    return _load(state, slot, name, "train behavior", _read_behaviour)


def _metrics(settings: Settings, name: str = "recommender") -> dict[str, Any]:
    path = recsys_dir(settings) / name / "metrics.json"
    return json.loads(path.read_text()) if path.is_file() else {}


def _check_k(k: int) -> None:
    if not 1 <= k <= MAX_K:
        raise Invalid(f"k must be between 1 and {MAX_K}")


def _recommended(card: ProductCard, score: float, source: str) -> RecommendedProduct:
    scored: ProductCard = {**card, "score": round(score, 6)}
    return RecommendedProduct(**scored, source=source)


def _cards(session: Session, recs, k: int) -> list[RecommendedProduct]:
    """Catalog cards of recommended ids (ids not in the catalog are skipped), with scores."""
    cards = {c["product_id"]: c for c in get_cards(session, [r.item_id for r in recs])}
    out = [_recommended(cards[r.item_id], r.score, r.source) for r in recs if r.item_id in cards]
    return out[:k]


def recommend(
    state: AppState,
    session: Session,
    user_id: str | None,
    category: str | None = None,
    k: int = 10,
    session_id: str | None = None,
) -> Recommendations:
    """Personal top-k for a user; cold start: session items' neighbours, else popular items.

    session_id: only that browsing session's events steer the ranking (of user_id's events when
    given, else of anyone's in the session): an anonymous shopper's clicks so far."""
    _check_k(k)
    rec = _recommender(state)
    # Bought items are never recommended, nor what the shopper touched just now; events newer
    # than the model (all of them for a user it does not know) steer the transition signal
    # and the sequence model.
    touched = recent_items(session, user_id, session_id=session_id)
    known = user_id in rec.users
    after = _metrics(state.settings).get("last_event_ts") if known else None
    recent = recent_items(session, user_id, after, session_id) if after else touched
    # Feedback newer than the model re-solves the shopper's factors at once (no retrain).
    weights = rec.config.interactions.type_weights
    fresh = (
        fresh_weights(session, user_id, after, weights, session_id) if after or not known else {}
    )
    # Ask for extra so that ids outside the catalog can be dropped and k still reached.
    recs = rec.recommend(
        user_id, k + 50, category or None, recent_items=recent, exclude_items=touched, fresh=fresh
    )
    strategy = recs[0].source if recs else "popular"
    items = _cards(session, recs, k)
    if len(items) < k:  # top up with popular items (still respecting the category)
        seen = {i["product_id"] for i in items} | set(touched)
        pop = [r for r in rec.popular(k + 50, category or None) if r.item_id not in seen]
        items += _cards(session, pop, k - len(items))
    return Recommendations(user_id=user_id, category=category, strategy=strategy, items=items)


def similar_items(state: AppState, session: Session, product_id: str, k: int = 10) -> SimilarItems:
    """Items bought by the same shoppers; a product without interactions gets content neighbours."""
    _check_k(k)
    if not session.scalar(select(Product.id).where(Product.id == str(product_id))):
        raise ProductNotFound(f"product {product_id!r} not found")
    rec = _recommender(state)
    try:
        recs = rec.similar_items(str(product_id), k + 50)
        return SimilarItems(
            product_id=product_id,
            source=recs[0].source if recs else "collaborative",
            items=_cards(session, recs, k),
        )
    except KeyError:
        hits = similar(state, str(product_id), k)  # retrieval embeddings: content neighbours
        cards = {c["product_id"]: c for c in get_cards(session, [h.product_id for h in hits])}
        items = [
            _recommended(cards[h.product_id], float(h.score), "content")
            for h in hits
            if h.product_id in cards
        ]
        return SimilarItems(product_id=product_id, source="content", items=items)


def _user_events(
    session: Session, user_id: str, product_ids: list[str]
) -> dict[str, list[EventRef]]:
    """The user's own events on these products (latest first, up to 3 each), from the database."""
    if not product_ids:
        return {}
    stmt = (
        select(Event.product_id, Event.type, Event.ts)
        .where(Event.user_id == user_id, Event.product_id.in_(product_ids))
        .order_by(Event.ts.desc())
    )
    out: dict[str, list[EventRef]] = {}
    for pid, typ, ts in session.execute(stmt).all():
        assert pid is not None  # product_id IN (...) matches no NULL
        lst = out.setdefault(pid, [])
        if len(lst) < 3:
            lst.append(EventRef(type=typ, ts=ts.isoformat()))
    return out


def explain(state: AppState, session: Session, user_id: str, product_id: str) -> Explanation:
    """Why product_id would be recommended to user_id: only the user's real events and model signals.

    Keys: product_id, known_user, evidence (list of {kind, product_id?, weight, events?, text}),
    rank and score in the user's current ranking, predictor (top features) when trained.
    """
    # lazy: recsys and pandas take about a second to import; serving starts without them
    from recsys.explain import explain_item

    if not session.scalar(select(Product.id).where(Product.id == str(product_id))):
        raise ProductNotFound(f"product {product_id!r} not found")
    rec = _recommender(state)
    known = str(user_id) in rec.users
    after = _metrics(state.settings).get("last_event_ts") if known else None
    recent = recent_items(session, str(user_id), after) if after or not known else []
    raw = explain_item(rec, str(user_id), str(product_id), recent=recent)
    pairs = raw["contributions"] + raw["led_to"] + raw["similar_owned"] + raw["sequence"]
    ids = [p for p, _ in pairs]
    events = _user_events(session, str(user_id), ids)
    evidence: list[Evidence] = []
    # (kind, (item, weight) pairs, why): items of the shopper's own events that led here
    sources = [
        ("own_event", raw["contributions"], "you interacted with {pid} ({w:.0%} of the factorisation score)"),
        ("often_next", raw["led_to"], "shoppers who had {pid} often went on to this item"),
        ("similar_to_bought", raw["similar_owned"][:3], "similar to {pid}, which you bought"),
        ("sequence", raw["sequence"][:3] if raw["sequence_rank"] else [],
         f"the sequence model ranks it #{raw['sequence_rank']} after your items in the order you "
         "had them; {pid} raised its score ({w:.0%} of the attribution)"),
    ]  # fmt: skip
    for kind, pairs, why in sources:
        for pid, w in pairs:
            if pid in events:
                evidence.append(
                    Evidence(
                        kind=kind,
                        product_id=pid,
                        weight=w,
                        events=events[pid],
                        text=why.format(pid=pid, w=w),
                    )
                )
    if raw["category"] and raw["category_share"] > 0:
        evidence.append(
            Evidence(
                kind="category_affinity",
                weight=raw["category_share"],
                text=f"{raw['category_share']:.0%} of your items are in {raw['category']}",
            )
        )
    if not raw["known_user"]:
        evidence.append(
            Evidence(
                kind="popularity",
                weight=raw["popularity"],
                text=f"no history for you yet: {raw['popularity']} shoppers interacted with it",
            )
        )
    try:
        predictor: PurchasePrediction | None = predict_purchase(state, session, user_id, product_id)
    except ModelMissing:
        predictor = None
    return Explanation(
        product_id=product_id,
        user_id=user_id,
        known_user=raw["known_user"],
        rank=raw["rank"],
        score=raw["score"],
        evidence=evidence,
        predictor=predictor,
    )


def scored_at(model: BehaviorModel, events: Any) -> float:
    """When to score events: the later of the model's cutoff and their last event, so that ages
    are measured as of the log's own time, not as of today (a historical log stays scorable)."""
    return max(float(model.metrics.get("cutoff", 0.0)), float(events["ts"].max()) + 1.0)


def predict_purchase(
    state: AppState, session: Session, user_id: str, product_id: str
) -> PurchasePrediction:
    """P(user buys product in the next 24 h) with the features that moved it most."""
    if not session.scalar(select(Product.id).where(Product.id == str(product_id))):
        raise ProductNotFound(f"product {product_id!r} not found")
    model = behaviour_model(state, "purchase")
    events = _pairs_frame(session, str(user_id), [str(product_id)])
    pair = (str(user_id), str(product_id))
    if events.empty or str(user_id) not in set(events["user_id"]):
        return PurchasePrediction(
            user_id=user_id,
            product_id=product_id,
            probability=None,
            likely=False,
            basis="no events for this user yet",
            top_features=[],
            model=model.kind,
        )
    x = model.features(events, scored_at(model, events), extra_pairs=[pair])
    row = x.loc[[pair]]
    p = float(model.predict(row)[0])
    touched = bool(((events["user_id"] == pair[0]) & (events["item_id"] == pair[1])).any())
    return PurchasePrediction(
        user_id=user_id,
        product_id=product_id,
        probability=round(p, 4),
        likely=bool(p >= model.threshold),
        threshold=round(model.threshold, 4),
        model=model.kind,
        basis="your events on this item"
        if touched
        else "no events on this item yet: user and item features only",
        top_features=feature_contributions(model.contributions(row)),
        holdout_roc_auc=model.metrics.get(model.kind, {}).get("roc_auc"),
    )


def feature_contributions(rows: list[tuple[str, float, float]]) -> list[FeatureContribution]:
    return [
        FeatureContribution(name=n, value=round(v, 4), contribution=round(c, 4)) for n, v, c in rows
    ]


def churn_risk(state: AppState, session: Session, user_id: str) -> ChurnRisk:
    """P(the customer has no event at all in the next churn_days), from the churn model on their
    own events (counts per window, days since the last one, ...), with the features that moved
    it most."""
    model = behaviour_model(state, "churn")
    events = _pairs_frame(session, str(user_id), [])
    days = float(model.config.churn_days)
    if events.empty:
        return ChurnRisk(
            probability=None,
            days=days,
            basis="no events for this customer yet",
            top_features=[],
            model=model.kind,
        )
    x = model.features(events, scored_at(model, events))
    return ChurnRisk(
        probability=round(float(model.predict(x)[0]), 4),
        days=days,
        basis=f"{len(events)} events of theirs, the last on "
        f"{datetime.fromtimestamp(float(events['ts'].max()), UTC):%Y-%m-%d}",
        top_features=feature_contributions(model.contributions(x)),
        model=model.kind,
        holdout_roc_auc=model.metrics.get(model.kind, {}).get("roc_auc"),
    )


def customer_scores(state: AppState, session: Session, user_id: str) -> CustomerScores:
    """Churn risk and the items the customer most likely buys next (for agents' summaries)."""
    churn = churn_risk(state, session, user_id)
    if churn["probability"] is None:
        return CustomerScores(user_id=user_id, churn_risk=None, basis=churn["basis"])
    purchase = behaviour_model(state, "purchase")
    mine = _pairs_frame(session, str(user_id), [])
    # Item popularity needs every shopper's events on the user's items, so fetch those too.
    pairs = _pairs_frame(session, str(user_id), sorted(set(mine["item_id"])))
    px = purchase.features(pairs, scored_at(purchase, mine))
    px = px[px.index.get_level_values("user_id") == str(user_id)]
    probs = purchase.predict(px)
    top = np.argsort(-probs)[:3]
    return CustomerScores(
        user_id=user_id,
        churn_risk=churn["probability"],
        churn_days=churn["days"],
        churn_top_features=churn["top_features"],
        likely_purchases=[
            LikelyPurchase(product_id=px.index[i][1], probability=round(float(probs[i]), 4))
            for i in top
        ],
    )
