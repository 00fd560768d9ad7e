"""Core commands: config, serve."""

from __future__ import annotations

import json

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
) -> None:
    """Serve the HTTP API (and the widget)."""
    if setup:
        prepare(get_settings())
    uvicorn.run("assistant.api.app:create_app", factory=True, host=host, port=port)
