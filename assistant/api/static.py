"""A router serving one static page and its allow-listed assets (widget, agent console)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from assistant.errors import NotFound


def static_page_router(prefix: str, folder: Path, files: dict[str, str], what: str) -> APIRouter:
    """Serve folder/index.html at prefix and the listed files (name -> media type) below it."""
    router = APIRouter(tags=[what])

    @router.get(prefix, include_in_schema=False, response_class=HTMLResponse)
    def page() -> FileResponse:
        """The page itself (API key from ?key=... or typed in)."""
        return FileResponse(folder / "index.html", media_type="text/html")

    @router.get(prefix + "/{name}", include_in_schema=False, response_class=FileResponse)
    def asset(name: str) -> FileResponse:
        """One of the page's allow-listed scripts and stylesheets."""
        if name not in files:
            raise NotFound(f"no {what} file {name!r}")
        return FileResponse(folder / name, media_type=files[name])

    return router
