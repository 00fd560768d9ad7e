"""The FastAPI application factory."""

from __future__ import annotations

import importlib

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from assistant import __version__
from assistant.api.errors import install as install_errors
from assistant.config import Settings, get_settings

# Route modules, each exposing `router`; one per area.
ROUTE_MODULES = [
    "assistant.api.routes.health",
    "assistant.api.routes.chat",
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
]


def create_app(settings: Settings | None = None) -> FastAPI:
    """Build the app for settings (default: from the environment)."""
    settings = settings or get_settings()
    app = FastAPI(title="shopassist", version=__version__)
    app.state.settings = settings
    from assistant.api.middleware import install as install_middleware

    install_errors(app)
    install_middleware(app, settings)  # before CORS, so CORS wraps 413/429 replies too
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "POST"],
        allow_headers=["X-API-Key", "Content-Type"],
    )
    for name in ROUTE_MODULES:
        app.include_router(importlib.import_module(name).router)
    return app
