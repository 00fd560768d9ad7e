"""Training of the recommender and behaviour models from the database (CLI, setup, API)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import INTERACTION_TYPES, Event, Product
from assistant.db.session import session_scope
from assistant.ingest.export import events_frame
from assistant.jsontypes import JsonObject
from recsys.ids import IdIndex
from retrieval.runner import LocalRunner, Runner, runner_shards


def recsys_dir(settings: Settings) -> Path:
    """Directory holding the recommender and behaviour models with their metrics."""
    return settings.path("recsys")


def interaction_events(session: Session):
    """The behaviour log as recsys' normalised events frame (item_id = product id)."""
    # lazy: recsys takes about a second to import; only training needs it
    from recsys.interactions import normalize_events

    ev = events_frame(session).rename(columns={"product_id": "item_id"})
    ev = ev[ev["item_id"].notna() & (ev["item_id"].astype(str) != "")]
    ev = ev[ev["type"].isin(INTERACTION_TYPES)]  # reviews, shares, card clicks: not (yet) signals
    return normalize_events(ev)


def _catalog(session: Session) -> dict[str, tuple[str, str]]:
    """product id -> (category, title) of every catalog product."""
    rows = session.execute(select(Product.id, Product.category, Product.title)).all()
    return {pid: (cat or "", title or "") for pid, cat, title in rows}


def _write_atomic(target: Path, save) -> None:
    """save(tmp_dir) then swap it into place, so readers never see a half-written model."""
    tmp = target.with_name(target.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    save(tmp)
    old = target.with_name(target.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    tmp.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def train_recsys(
    settings: Settings, session: Session, progress: bool = False, runner: Runner | None = None
) -> JsonObject:
    """Fit the recommender on every event in the database; save it with its metrics. runner
    runs the independent steps (default: this process; `recsys/fitting.py`)."""
    # lazy: recsys takes about a second to import; only training needs it
    from recsys.evaluation import tune_blend
    from recsys.interactions import from_events, sequences_from_events
    from recsys.recommender import Recommender

    t0 = time.time()
    events = interaction_events(session)
    if events.empty:
        raise ValueError("no behaviour events in the database: ingest events first")
    catalog = _catalog(session)
    items = IdIndex(list(catalog) + sorted(set(events["item_id"]) - set(catalog)))
    rec = Recommender()
    inter = from_events(events, rec.config.interactions, items=items)
    hist = sequences_from_events(events, inter.users, items)
    purchases = events[events["type"] == "purchase"]
    exclude = from_events(purchases, items=items, users=inter.users).matrix  # already bought
    # Catalog category first, else the category the events carry (e.g. Taobao's category ids).
    event_cats = events.groupby("item_id")["category"].last().to_dict()
    cats = [catalog.get(i, ("", ""))[0] or event_cats.get(i, "") for i in items.ids]
    titles = [catalog.get(i, ("", ""))[1] for i in items.ids]  # the stacker's title features
    runner = runner or LocalRunner()
    parts = runner_shards(runner)
    rec.fit(
        inter.matrix,
        inter.users,
        items,
        hist,
        exclude,
        cats,
        show_progress=progress,
        runner=runner,
        parts=parts,
        titles=titles,
    )
    seqs = {u: [str(items.ids[i]) for i in h] for u, h in zip(inter.users.ids, hist, strict=True)}
    holdout = {}
    if sum(len(s) >= 2 for s in seqs.values()) >= 10:
        res = tune_blend(items.to_list(), seqs, (0.0, rec.config.blend), rec.config)
        holdout = {"mf_only": res[0.0], "blended": res[rec.config.blend]}
    metrics = {
        "trained_at": time.time(),
        "seconds": round(time.time() - t0, 2),
        "events": len(events),
        "users": len(inter.users),
        "items": len(items),
        "interactions": int(inter.matrix.nnz),
        "last_event_ts": float(events["ts"].max()),
        "holdout_last_item": holdout,
        # SASRec and the learned blend, each component on the blend's validation shoppers
        "learned_blend": rec.fit_metrics,
        # where each step ran (nodes, GPUs granted) and what each model trained on
        "engine": runner.name,
        "steps": list(runner.steps),
        "devices": rec.devices,
    }

    def _save(d: Path) -> None:
        rec.save(d)
        (d / "metrics.json").write_text(json.dumps(metrics, indent=2))

    _write_atomic(recsys_dir(settings) / "recommender", _save)
    return metrics


def update_recsys(settings: Settings, session: Session) -> JsonObject:
    """The nightly-style update: events newer than the recommender join it without a retrain
    (each shopper's row, history and factors; `Recommender.update_users`). Without a trained
    recommender this is a full training."""
    # lazy: recsys takes about a second to import; only training needs it
    from recsys.interactions import event_weights
    from recsys.recommender import Recommender

    d = recsys_dir(settings) / "recommender"
    stamp = d / "metrics.json"
    if not stamp.is_file():
        return train_recsys(settings, session)
    t0 = time.time()
    old = json.loads(stamp.read_text())
    events = interaction_events(session)
    events = events[events["ts"] > float(old["last_event_ts"])].sort_values("ts", kind="stable")
    if events.empty:
        return {**old, "incremental": {"events": 0, "users_updated": 0}}
    rec = Recommender.load(d)
    now = float(events["ts"].max())
    events = events.assign(weight=event_weights(events, rec.config.interactions, now))
    fresh = {
        u: list(zip(g["item_id"], g["weight"], strict=True)) for u, g in events.groupby("user_id")
    }
    buys = events[events["type"] == "purchase"].groupby("user_id")["item_id"]
    updated = rec.update_users(fresh, {u: list(g) for u, g in buys})
    metrics = {
        **old,
        "updated_at": time.time(),
        "users": len(rec.users),
        "interactions": int(rec.user_items.nnz),
        "last_event_ts": now,
        "incremental": {
            "events": len(events),
            "users_updated": updated,
            "seconds": round(time.time() - t0, 2),
        },
    }

    def _save(target: Path) -> None:
        rec.save(target)
        (target / "metrics.json").write_text(json.dumps(metrics, indent=2))

    _write_atomic(d, _save)
    return metrics


def train_behavior(
    settings: Settings, session: Session, progress: bool = False, runner: Runner | None = None
) -> JsonObject:
    """Fit the purchase (24 h) and churn predictors up to the latest event; save with metrics.
    The two are independent steps of runner (default: this process), side by side on Ray."""
    # lazy: recsys takes about a second to import; only training needs it
    from recsys.behavior import fit_task

    events = interaction_events(session)
    if events.empty:
        raise ValueError("no behaviour events in the database: ingest events first")
    cutoff = float(events["ts"].max()) + 1.0
    runner = runner or LocalRunner()
    tasks = ("purchase", "churn")
    models = runner.map(fit_task, [(task, events, cutoff, progress) for task in tasks])
    out: JsonObject = {"engine": runner.name, "steps": list(runner.steps)}
    for task, model in zip(tasks, models, strict=True):
        model.metrics["events"] = len(events)

        def _save(d: Path, model=model) -> None:
            model.save(d)
            (d / "metrics.json").write_text(json.dumps(model.metrics, indent=2))

        _write_atomic(recsys_dir(settings) / task, _save)
        out[task] = model.metrics
    return out


def _trained_on(path: Path) -> int | None:
    """How many events the model at path was trained on (None when there is no model)."""
    if not path.is_file():
        return None
    return json.loads(path.read_text()).get("events")


def ensure_models(settings: Settings) -> None:
    """Setup step: (re)train the models when missing or when the event log has changed."""
    d = recsys_dir(settings)
    with session_scope(settings.effective_database_url) as session:
        n = session.scalar(
            select(func.count()).select_from(Event).where(Event.product_id.is_not(None))
        )
        if not n:
            return  # nothing to learn from yet; recommendations answer "train first"
        if _trained_on(d / "recommender" / "metrics.json") != n:
            train_recsys(settings, session, progress=True)
        if _trained_on(d / "purchase" / "metrics.json") != n:
            try:
                train_behavior(settings, session, progress=True)
            except ValueError as exc:  # too few days of events: serve without a predictor
                print(f"setup: behaviour model skipped: {exc}")
