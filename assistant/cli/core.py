"""Core commands: config, serve, status."""

from __future__ import annotations

import json
import os

import typer
import uvicorn

from assistant.cli.app import app
from assistant.config import get_settings
from assistant.services.adapter_training import model_status
from assistant.setup import prepare, prepare_after_start


@app.command()
def config() -> None:
    """Print the effective settings as JSON, secrets masked."""
    typer.echo(json.dumps(get_settings().masked(), indent=2, default=str))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, help="Port to listen on."),
    setup: bool = typer.Option(
        False,
        help="First prepare the data directory (demo store, indexes, models); the store's "
        "adapter then trains in the background while the shipped general adapter answers.",
    ),
    workers: int = typer.Option(
        0, min=0, help="Worker processes (0: one per CPU core this process may use)."
    ),
) -> None:
    """Serve the HTTP API (and the widget)."""
    if setup:  # unless told otherwise; the app factory reads the settings from the environment
        os.environ.setdefault("SHOPASSIST_ADAPTER_TRAINING", "background")
        get_settings.cache_clear()
    settings = get_settings()
    if setup:  # the search index and recommender are built while it serves
        prepare_after_start(settings, prepare(settings, defer=True))
    workers = workers or len(os.sched_getaffinity(0))
    if workers > 1 and not settings.redis_url:
        typer.echo(
            f"serve: {workers} workers without SHOPASSIST_REDIS_URL: each one keeps its own rate "
            "limits (set it to share them)",
            err=True,
        )
    uvicorn.run("assistant.api.app:create_app", factory=True, host=host, port=port, workers=workers)


@app.command()
def status() -> None:
    """The model the service answers with, and the store adapter's training (JSON)."""
    typer.echo(model_status(get_settings()).model_dump_json(indent=2))
