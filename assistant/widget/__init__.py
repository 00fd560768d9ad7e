"""The embeddable chat widget: static files served at /widget (plain JS over SSE)."""

from __future__ import annotations

from pathlib import Path

from assistant.api.static import static_page_router

router = static_page_router(
    "/widget",
    Path(__file__).resolve().parent,
    {"widget.js": "text/javascript", "widget.css": "text/css", "index.html": "text/html"},
    "widget",
)
