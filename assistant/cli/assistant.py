"""Assistant commands: `keys create`, `eval assistant|answers` (+ their scorers), `bench chat`,
`bench api`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from assistant.agent.runtime import ModelRuntime
from assistant.api.benchmark import bench
from assistant.api.loadtest import bench_api
from assistant.cli.app import bench_app, eval_app, fail, keys_app
from assistant.config import get_settings
from assistant.db.migrate import upgrade
from assistant.db.models import ROLES
from assistant.db.session import session_scope
from assistant.services.answer_checks import answer_report
from assistant.services.evaluation import (
    CaseError,
    ensure_artifacts,
    read_cases,
    read_labels,
    read_predictions,
    run_cases,
    score_files,
)
from assistant.services.keys import KeyRequestError, create_key
from assistant.services.state import AppState


def _schema(settings) -> None:  # noqa: ANN001
    """Bring the database schema up to date (idempotent)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings)


@keys_app.command("create")
def keys_create(
    role: str = typer.Option(..., help=f"One of: {', '.join(ROLES)}."),
    user_id: str = typer.Option("", help="The shopper a widget key acts for (empty: anonymous)."),
    name: str = typer.Option("", help="A label for the key."),
) -> None:
    """Create an API key and print the raw key once (only its hash is stored)."""
    settings = get_settings()
    if role not in ROLES:
        fail(f"unknown role {role!r}; valid roles: {', '.join(ROLES)}")
    _schema(settings)
    try:
        with session_scope(settings.effective_database_url) as db:
            key = create_key(db, role, user_id or None, name)
    except KeyRequestError as exc:
        fail(str(exc))
    typer.echo(key.raw)
    who = f" for user {key.user_id}" if key.user_id else ""
    typer.echo(
        f"created {key.role} key #{key.key_id}{who}; store it now, it is not shown again", err=True
    )


@eval_app.command("assistant")
def eval_assistant(
    cases: Path = typer.Option(..., exists=True, dir_okay=False, help="CASES.jsonl (see EVAL.md)."),
    out: Path = typer.Option(..., help="PRED.jsonl to write."),
    build: bool = typer.Option(True, help="Build a missing index / recommender / adapter first."),
) -> None:
    """Run the assistant on each case's last message; write its tool calls and answer."""
    _run_eval(cases, out, build, answers=False)


@eval_app.command("answers")
def eval_answers(
    cases: Path = typer.Option(..., exists=True, dir_okay=False, help="CASES.jsonl (see EVAL.md)."),
    out: Path = typer.Option(..., help="PRED.jsonl to write."),
    build: bool = typer.Option(True, help="Build a missing index / recommender / adapter first."),
) -> None:
    """Run the assistant on each case's last message; write its answer, who wrote it (the
    writer model or a template), whether it is grounded, its tool calls and latency."""
    _run_eval(cases, out, build, answers=True)


@eval_app.command("answers-score")
def eval_answers_score(
    pred: Path = typer.Option(..., exists=True, dir_okay=False, help="PRED.jsonl of eval answers."),
    labels: Path = typer.Option(
        ..., exists=True, dir_okay=False, help='JSONL: {"id", "kind", "set", "check": {...}}.'
    ),
) -> None:
    """Score answers against each case's own checks, by half (set) and kind; list the misses."""
    try:
        report = answer_report(read_predictions(pred), read_labels(labels))
    except CaseError as exc:
        fail(str(exc))
    typer.echo(json.dumps(report, indent=1))


def _run_eval(cases: Path, out: Path, build: bool, answers: bool) -> None:
    settings = get_settings()
    try:
        loaded = read_cases(cases)
    except CaseError as exc:
        fail(str(exc))
    _schema(settings)
    if build:
        ensure_artifacts(settings)
    with AppState(settings) as state, ModelRuntime(settings) as runtime:
        summary = run_cases(state, loaded, out, runtime, answers)
    typer.echo(json.dumps(summary, indent=2))


@eval_app.command("assistant-score")
def eval_assistant_score(
    pred: Path = typer.Option(
        ..., exists=True, dir_okay=False, help="PRED.jsonl from eval assistant."
    ),
    labels: Path = typer.Option(
        ..., exists=True, dir_okay=False, help='JSONL: {"id", "expected": [{"name", "arguments"}]}.'
    ),
) -> None:
    """Score predictions: first-tool-call name accuracy and full-call (name + arguments) accuracy."""
    try:
        typer.echo(json.dumps(score_files(pred, labels), indent=2))
    except CaseError as exc:
        fail(str(exc))


@bench_app.command("chat")
def bench_chat(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    turns: int = typer.Option(20, min=1, max=500, help="Chat turns to time."),
) -> None:
    """Time chat turns through the HTTP API (SSE): first token and full answer, p50/p90."""
    settings = get_settings()
    _schema(settings)
    try:
        result = bench(settings, turns)
    except RuntimeError as exc:
        fail(str(exc))
    typer.echo(json.dumps(result, indent=None if as_json else 2))


@bench_app.command("api")
def bench_api_command(
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    workers: int = typer.Option(1, min=1, max=32, help="Server worker processes."),
    connections: int = typer.Option(16, min=1, max=256, help="Concurrent connections."),
    duration: float = typer.Option(10.0, min=1, max=120, help="Seconds per endpoint."),
    generator: str = typer.Option("auto", help="wrk | python | auto (wrk when installed)."),
) -> None:
    """Load the served API on loopback: req/s, p50/p99 of search, product, chat small talk,
    beside a plain FastAPI hello endpoint."""
    if generator not in ("auto", "wrk", "python"):
        fail(f"unknown generator {generator!r}: wrk, python or auto")
    settings = get_settings()
    _schema(settings)
    try:
        result = bench_api(settings, workers, connections, duration, generator)
    except RuntimeError as exc:
        fail(str(exc))
    typer.echo(json.dumps(result, indent=None if as_json else 2))
