"""UCP (Universal Commerce Protocol) for other agents: POST /ucp/catalog/search,
POST /ucp/catalog/lookup, and the business profile at GET /.well-known/ucp.

Answers are UCP documents, failures too: an error (a bad request, a missing key) is UCP's error
response (`ucp.status` "error" and a message with the error family's code) with the HTTP
status the rest of the API would use.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from assistant.api.deps import SessionDep, StateDep, WidgetDep
from assistant.api.errors import VALIDATION_CODE, responses
from assistant.errors import ShopAssistError
from assistant.jsontypes import JsonObject
from assistant.services import ucp


def ucp_error(status: int, code: str, message: str) -> JSONResponse:
    """A failure as UCP's error response, with its HTTP status."""
    return JSONResponse(ucp.error_response(code, message, status < 500), status_code=status)


class UcpRoute(APIRoute):
    """A route whose failures (validation, auth, the error family) answer in UCP's shape."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        """The route's handler, its refusals rendered as UCP error responses."""
        handler = super().get_route_handler()

        async def route(request: Request) -> Response:
            try:
                return await handler(request)
            except RequestValidationError as exc:
                where = "; ".join(
                    f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
                    for e in exc.errors()
                )
                return ucp_error(422, VALIDATION_CODE, where or "invalid request")
            except ShopAssistError as exc:
                return ucp_error(exc.status_code, exc.code, exc.message)

        return route


router = APIRouter(tags=["ucp"], route_class=UcpRoute)


def ucp_responses(*statuses: int) -> dict[int | str, JsonObject]:
    """OpenAPI `responses=`: each status documented with UCP's error response."""
    return {
        s: {"model": ucp.UcpErrorResponse, "description": d["description"]}
        for s, d in responses(*statuses).items()
    }


ERRORS = ucp_responses(401, 403, 422, 429, 503)


@router.post("/ucp/catalog/search", responses=ERRORS)
def search_catalog(
    body: ucp.SearchRequest, state: StateDep, db: SessionDep, who: WidgetDep
) -> ucp.SearchResponse:
    """UCP catalog search: the products POST /v1/search ranks, prices in minor units."""
    return ucp.search_catalog(state, db, body)


@router.post("/ucp/catalog/lookup", responses=ERRORS)
def lookup_catalog(body: ucp.LookupRequest, db: SessionDep, who: WidgetDep) -> ucp.LookupResponse:
    """UCP catalog lookup: products or variants by id (unknown ids listed in messages)."""
    return ucp.lookup_catalog(db, body)


@router.get("/.well-known/ucp")
def business_profile(request: Request) -> ucp.Profile:
    """The store's UCP business profile: catalog search and lookup over REST and MCP."""
    return ucp.profile(str(request.base_url))
