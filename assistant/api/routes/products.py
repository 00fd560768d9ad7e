"""Products: GET /v1/products/{id} and GET /v1/products/{id}/similar."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Query

from assistant.api.deps import SessionDep, SettingsDep, WidgetDep
from assistant.services import products as catalog
from assistant.tools.catalog import similar_products
from assistant.tools.context import ToolContext, ToolFailure
from assistant.tools.contract import SimilarProductsArgs

router = APIRouter(prefix="/v1/products", tags=["products"])
ProductId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/{product_id}")
def get_product(product_id: ProductId, db: SessionDep, who: WidgetDep) -> dict[str, Any]:
    """One product with all its attributes and variants."""
    try:
        return catalog.product_details(catalog.get_product(db, product_id))
    except catalog.ProductNotFound as exc:
        raise HTTPException(404, str(exc)) from exc


@router.get("/{product_id}/similar")
def get_similar(
    product_id: ProductId,
    settings: SettingsDep,
    db: SessionDep,
    who: WidgetDep,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> dict[str, Any]:
    """Products like this one (from the search index)."""
    ctx = ToolContext(settings, db, who.user_id, who.role)
    try:
        return similar_products(ctx, SimilarProductsArgs(product_id=product_id, k=k))
    except ToolFailure as exc:
        raise HTTPException(404, str(exc)) from exc
    except FileNotFoundError as exc:
        raise HTTPException(
            503, f"search index not available: {exc}; run `shopassist index build`"
        ) from exc
    except Exception as exc:  # noqa: BLE001 - an engine failure is a 503, never a 500
        raise HTTPException(503, f"similar products unavailable: {str(exc)[:200]}") from exc
