"""The agent-assist console: a static page served at /agent (plain JS over /v1/agent/...)."""

from __future__ import annotations

from pathlib import Path

from assistant.api.static import static_page_router

router = static_page_router(
    "/agent",
    Path(__file__).resolve().parent,
    {"console.js": "text/javascript", "console.css": "text/css"},
    "console",
)
