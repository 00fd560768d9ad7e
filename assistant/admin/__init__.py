"""The admin analytics page: /admin/analytics shows the engagement report (fetched from
/v1/admin/analytics/report with the admin key), and serves its copy of plotly.js."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import Response
from plotly.offline import get_plotlyjs

from assistant.api.static import static_page_router

router = APIRouter(tags=["admin"])


@router.get("/admin/analytics/plotly.min.js", include_in_schema=False, response_class=Response)
def plotly_js() -> Response:
    """plotly.js from the installed plotly package (the report's charts need it; no CDN)."""
    return Response(
        get_plotlyjs(),
        media_type="text/javascript",
        headers={"Cache-Control": "public, max-age=86400"},
    )


# after plotly.min.js, so that the page's asset route does not answer for it
router.include_router(
    static_page_router(
        "/admin/analytics",
        Path(__file__).resolve().parent,
        {"admin.js": "text/javascript"},
        "admin",
    )
)
