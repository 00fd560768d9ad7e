"""`shopassist mcp`: the assistant's tools over MCP on stdin/stdout, as one API key's caller."""

from __future__ import annotations

import anyio
import typer
from mcp.server.stdio import stdio_server

from assistant.api.deps import Principal, principal_for
from assistant.api.mcp import build_server
from assistant.cli.app import app, fail
from assistant.config import get_settings
from assistant.db.session import session_scope
from assistant.errors import Unauthorized
from assistant.services.state import AppState


@app.command("mcp")
def mcp_stdio(
    key: str = typer.Option(
        "",
        envvar="SHOPASSIST_API_KEY",
        help="The API key the calls run as (its role and shopper scope every tool).",
        show_default=False,
    ),
) -> None:
    """Serve the assistant's tools over MCP on stdin/stdout (for desktop agents)."""
    settings = get_settings()
    try:
        with session_scope(settings.effective_database_url) as db:
            who = principal_for(settings, db, key or None)
    except Unauthorized as exc:
        fail(f"{exc.message} (pass --key or set SHOPASSIST_API_KEY)")
        return
    state = AppState(settings)
    try:
        anyio.run(_serve, state, who)
    finally:
        state.close()


async def _serve(state: AppState, who: Principal) -> None:
    server = build_server(lambda: state, lambda ctx: who)
    async with stdio_server() as (read, write):
        await server.run(read, write, server.create_initialization_options())
