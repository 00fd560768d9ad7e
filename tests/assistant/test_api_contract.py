"""The API contract: every route declares what it answers (a response model or class)."""

from __future__ import annotations

import importlib
import typing

from fastapi.datastructures import DefaultPlaceholder
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from assistant.api.app import ROUTE_MODULES, create_app
from assistant.config import Settings


def api_routes(app) -> list[APIRoute]:
    """Every endpoint: the app's own and those of each route module's router."""
    routers = [importlib.import_module(name).router for name in ROUTE_MODULES]
    found = [r for router in [app.router, *routers] for r in router.routes]
    routes = [r for r in found if isinstance(r, APIRoute)]
    assert set(app.openapi()["paths"]) <= {r.path for r in routes}, "documented routes missed"
    return routes


def test_every_route_declares_its_response(settings: Settings):
    app = create_app(settings)
    untyped = []
    for route in api_routes(app):
        model = route.response_model
        declared_class = not isinstance(route.response_class, DefaultPlaceholder)
        bare = model in (None, dict, typing.Any) or typing.get_origin(model) is dict
        if bare and not declared_class:
            untyped.append(f"{sorted(route.methods)} {route.path}")
    assert not untyped, untyped
    assert len(api_routes(app)) >= 30


def test_openapi_has_no_untyped_json_bodies(settings: Settings):
    with TestClient(create_app(settings)) as client:
        spec = client.get("/openapi.json").json()
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            ok = op["responses"].get("200") or op["responses"].get("201")
            schema = ok.get("content", {}).get("application/json", {}).get("schema")
            if schema is not None:
                assert schema.get("$ref") or schema.get("type") not in (None, "object"), (
                    method,
                    path,
                    schema,
                )
