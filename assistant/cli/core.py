"""Core commands: config, serve."""

from __future__ import annotations

import json
import os

import typer
import uvicorn

from assistant.cli.app import app
from assistant.config import get_settings
from assistant.setup import prepare


@app.command()
def config() -> None:
    """Print the effective settings as JSON, secrets masked."""
    typer.echo(json.dumps(get_settings().masked(), indent=2, default=str))


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", help="Interface to bind."),
    port: int = typer.Option(8000, help="Port to listen on."),
    setup: bool = typer.Option(
        False, help="First prepare the data directory (demo store, indexes, models)."
    ),
    workers: int = typer.Option(
        0, min=0, help="Worker processes (0: one per CPU core this process may use)."
    ),
) -> None:
    """Serve the HTTP API (and the widget)."""
    settings = get_settings()
    if setup:
        prepare(settings)
    workers = workers or len(os.sched_getaffinity(0))
    if workers > 1 and not settings.redis_url:
        typer.echo(
            f"serve: {workers} workers without SHOPASSIST_REDIS_URL: each one keeps its own rate "
            "limits (set it to share them)",
            err=True,
        )
    uvicorn.run("assistant.api.app:create_app", factory=True, host=host, port=port, workers=workers)
