"""Recommender commands: `train recsys|behavior` and `eval recsys|behavior` (EVAL.md)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from assistant.cli.app import eval_app, fail, train_app
from assistant.cli.engines import ENGINE_HELP, batch_runner
from assistant.config import get_settings
from assistant.db.session import session_scope
from assistant.services import recs as recs_service
from recsys.behavior_eval import read_taobao, score_pairs
from recsys.evaluation import component_recommendations, fit_and_recommend
from recsys.io import FormatError, read_items, read_sequences, write_recommendations
from retrieval.runner import runner_shards


@eval_app.command("recsys")
def eval_recsys(
    items: Path = typer.Option(..., help="ITEMS.tsv: item_id<TAB>title (optional header)."),
    train: Path = typer.Option(..., help="SEQS.tsv: user_id<TAB>items oldest first, no header."),
    out: Path = typer.Option(..., help="RECS.tsv to write: user_id<TAB>item_id<TAB>rank."),
    k: int = typer.Option(10, help="Items per user.", min=1, max=1000),
    components_out: Path | None = typer.Option(
        None, help="Also write RECS-{als,transitions,sasrec,rule,blend}.tsv here (after --out)."
    ),
    engine: str = typer.Option("auto", help=ENGINE_HELP),
) -> None:
    """Fit the recommender on SEQS and write k unseen next items for every user."""
    t0 = time.time()
    for p in (items, train):
        if not p.is_file():
            fail(f"file not found: {p}")
    try:
        item_ids, titles = read_items(items)
        seqs = read_sequences(train)
    except FormatError as exc:
        fail(str(exc))
    if not seqs:
        fail(f"{train}: no sequences")
    unknown = len({i for s in seqs.values() for i in s} - set(item_ids))
    with batch_runner(engine) as runner:
        parts = runner_shards(runner)
        rec, users, recs = fit_and_recommend(
            item_ids, seqs, k, show_progress=True, runner=runner, parts=parts, titles=titles
        )
        steps = list(runner.steps)
    out.parent.mkdir(parents=True, exist_ok=True)
    write_recommendations(out, users, recs)
    short = sum(1 for r in recs if len(r) < k)
    blend = "learned blend of ALS, transitions and SASRec" if rec.stacker else "ALS + transitions"
    typer.echo(
        f"wrote {len(users)} users x {k} items to {out} in {time.time() - t0:.1f} s"
        f" ({blend}; {len(item_ids)} items; {unknown} ids in SEQS not in ITEMS were added;"
        f" {short} users got fewer than {k})"
    )
    if rec.fit_metrics:
        typer.echo(f"validation shoppers (held-out last items): {json.dumps(rec.fit_metrics)}")
    _where(steps)
    if components_out is not None:
        components_out.mkdir(parents=True, exist_ok=True)
        for name, top in component_recommendations(rec, users, k).items():
            write_recommendations(components_out / f"RECS-{name}.tsv", users, top)
        typer.echo(f"wrote RECS-<component>.tsv to {components_out}")


@eval_app.command("behavior")
def eval_behavior(
    events: Path = typer.Option(..., help="Event log before the cutoff."),
    fmt: str = typer.Option("taobao", "--format", help="Event file format (taobao)."),
    cutoff: float = typer.Option(..., help="Unix time: predict purchases in the 24 h after it."),
    out: Path = typer.Option(..., help="SCORES.csv to write: user_id,item_id,score."),
) -> None:
    """Fit the purchase predictor on days before the cutoff and score every seen (user, item)."""
    t0 = time.time()
    if fmt != "taobao":
        fail(f"unknown --format {fmt!r}; valid: taobao")
    if not events.is_file():
        fail(f"file not found: {events}")
    try:
        ev = read_taobao(events)
    except (FormatError, ValueError) as exc:
        fail(str(exc))
    late = int((ev["ts"] >= cutoff).sum())
    ev = ev[ev["ts"] < cutoff]  # never look past the cutoff, whatever the file holds
    try:
        scores, model = score_pairs(ev, cutoff, show_progress=True)
    except ValueError as exc:
        fail(str(exc))
    out.parent.mkdir(parents=True, exist_ok=True)
    scores.to_csv(out, index=False, float_format="%.6g")
    held = model.metrics.get(model.kind, {})
    auc = f"{held['roc_auc']:.3f}" if "roc_auc" in held else "n/a"
    typer.echo(
        f"wrote {len(scores)} pairs to {out} in {time.time() - t0:.1f} s; model {model.kind}"
        f" (held-out-day AUC {auc}); ignored {late} events at/after the cutoff"
    )


def _where(steps: list[dict]) -> None:
    """One line a step: how many tasks ran on which nodes, how long, with how many GPUs."""
    for s in steps:
        gpus = f", {s['gpus']} GPU(s)" if s.get("gpus") else ""
        typer.echo(
            f"step {s['step']}: {s['items']} task(s) on {s['nodes']} in {s['seconds']} s{gpus}"
        )


def _train(kind: str, engine: str, incremental: bool = False) -> None:
    settings = get_settings()
    try:
        with (
            session_scope(settings.effective_database_url) as session,
            batch_runner(engine) as runner,
        ):
            if incremental:
                metrics = recs_service.update_recsys(settings, session)
            elif kind == "recsys":
                metrics = recs_service.train_recsys(settings, session, progress=True, runner=runner)
            else:
                metrics = recs_service.train_behavior(
                    settings, session, progress=True, runner=runner
                )
    except ValueError as exc:
        fail(str(exc))
    typer.echo(json.dumps(metrics, indent=2, default=str))
    _where(metrics.get("steps", []))
    typer.echo(f"saved under {recs_service.recsys_dir(settings)}")


@train_app.command("recsys")
def train_recsys(
    incremental: bool = typer.Option(
        False, help="Only add the events newer than the model (no retrain; items stay as trained)."
    ),
    engine: str = typer.Option("auto", help=ENGINE_HELP),
) -> None:
    """Train the recommender (ALS + transitions) on every event in the database."""
    _train("recsys", engine, incremental)


@train_app.command("behavior")
def train_behavior(engine: str = typer.Option("auto", help=ENGINE_HELP)) -> None:
    """Train the purchase (24 h) and churn predictors on the database's events."""
    _train("behavior", engine)
