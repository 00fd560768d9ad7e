"""The agent-assist console: a static page served at /agent (plain JS over /v1/agent/...)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

HERE = Path(__file__).resolve().parent
FILES = {"console.js": "text/javascript", "console.css": "text/css"}

router = APIRouter(tags=["console"])


@router.get("/agent", include_in_schema=False)
def console_page() -> FileResponse:
    """The console page (agent key from ?key=... or typed in)."""
    return FileResponse(HERE / "index.html", media_type="text/html")


@router.get("/agent/{name}", include_in_schema=False)
def console_asset(name: str) -> FileResponse:
    """The console's script and stylesheet."""
    if name not in FILES:
        raise HTTPException(404, f"no console file {name!r}")
    return FileResponse(HERE / name, media_type=FILES[name])
