"""The embeddable chat widget: static files served at /widget (plain JS over SSE)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

HERE = Path(__file__).resolve().parent
FILES = {"widget.js": "text/javascript", "widget.css": "text/css", "index.html": "text/html"}

router = APIRouter(tags=["widget"])


@router.get("/widget", include_in_schema=False)
def widget_page() -> FileResponse:
    """The stand-alone chat page (key from ?key=...)."""
    return FileResponse(HERE / "index.html", media_type="text/html")


@router.get("/widget/{name}", include_in_schema=False)
def widget_asset(name: str) -> FileResponse:
    """The widget's script and stylesheet (for embedding on the store's pages)."""
    if name not in FILES:
        raise HTTPException(404, f"no widget file {name!r}")
    return FileResponse(HERE / name, media_type=FILES[name])
