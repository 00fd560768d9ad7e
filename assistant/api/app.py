"""The FastAPI application factory."""

from __future__ import annotations

import importlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.routing import Route

from assistant import __version__
from assistant.agent.runtime import ModelRuntime
from assistant.api import mcp
from assistant.api.errors import document_body_errors
from assistant.api.errors import install as install_errors
from assistant.api.middleware import install as install_middleware
from assistant.api.sites import Sites
from assistant.config import Settings, get_settings
from assistant.services.state import AppState

# Route modules, each exposing `router`; one per area.
ROUTE_MODULES = [
    "assistant.api.routes.health",
    "assistant.api.routes.chat",
    "assistant.api.routes.completions",
    "assistant.api.routes.products",
    "assistant.api.routes.events",
    "assistant.api.routes.feedback",
    "assistant.widget",
    "assistant.api.routes.agent",
    "assistant.api.routes.orders",
    "assistant.console",
    "assistant.api.routes.rewrite",
    "assistant.api.routes.search",
    "assistant.api.routes.recs",
    "assistant.api.routes.cart",
    "assistant.api.routes.ucp",
    "assistant.api.routes.sessions",
    "assistant.api.routes.analytics",
    "assistant.admin",
    "assistant.api.routes.admin",
]


def log_to_stderr() -> None:
    """The service's own INFO lines (model loading, the adapter's training progress and swap) on
    stderr beside uvicorn's; each worker process configures its own."""
    logger = logging.getLogger("assistant")
    if logger.handlers:
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(levelname)s:     %(name)s: %(message)s"))
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    logger.propagate = False


def create_app(
    settings: Settings | None = None,
    runtime: ModelRuntime | None = None,
    state: AppState | None = None,
) -> FastAPI:
    """Build the app for settings (default: from the environment). Its lifespan owns the model
    runtime and the app state (loaded indexes and models): it makes them at startup and closes
    them at shutdown. A runtime or state given here (e.g. a runtime whose model is already
    loaded) is used instead and stays its caller's to close."""
    settings = settings or get_settings()
    if settings.adapter_training == "background":  # serve --setup: progress belongs in the log
        log_to_stderr()

    mcp_endpoint, mcp_sessions = mcp.http_endpoint(lambda: app.state.app_state)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # the model itself loads in the background on the first turn that needs it
        own_runtime = None if runtime else ModelRuntime(settings)
        own_state = None if state else AppState(settings)
        app.state.runtime = runtime or own_runtime
        app.state.app_state = state or own_state
        if own_runtime is not None and settings.adapter_training == "background":
            own_runtime.start_training()  # when the store's adapter is missing or stale
            own_runtime.model()  # load now, so the first turn does not wait for it
        try:
            async with mcp_sessions.run():
                yield
        finally:
            if own_runtime is not None:
                own_runtime.close()
            if own_state is not None:
                own_state.close()

    app = FastAPI(title="shopassist", version=__version__, lifespan=lifespan)
    app.state.settings = settings
    install_errors(app)
    install_middleware(app, settings)  # before CORS, so CORS wraps 413/429 replies too
    app.state.sites = sites = Sites(settings)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=sorted({*settings.cors_origins, *sites.origins}),
        allow_methods=["GET", "POST", "PATCH", "DELETE"],
        allow_headers=[
            "X-API-Key", "Content-Type", "Idempotency-Key", "Authorization",
            "X-Shopper-Token", "X-Shopper-Session",
        ],
    )  # fmt: skip
    for name in ROUTE_MODULES:
        app.include_router(importlib.import_module(name).router)
    # MCP (Streamable HTTP): POST requests, GET for a server stream, DELETE to end one
    app.router.routes.append(Route("/mcp", mcp_endpoint, methods=["GET", "POST", "DELETE"]))
    document_body_errors(app)
    return app
