"""Products: GET /v1/products/{id} and GET /v1/products/{id}/similar."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from assistant.api.deps import CatalogDep, SessionDep, StateDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.services import products as catalog
from assistant.services import search as search_service
from assistant.services.records import ProductDetails, SimilarProducts

router = APIRouter(prefix="/v1/products", tags=["products"], responses=AUTH_ERRORS)
ProductId = Annotated[str, Path(min_length=1, max_length=64)]


@router.get("/{product_id}", responses=responses(404))
def get_product(product_id: ProductId, db: SessionDep, who: CatalogDep) -> ProductDetails:
    """One product with all its attributes and variants."""
    return catalog.product_details(catalog.get_product(db, product_id))


@router.get("/{product_id}/similar", responses=responses(404, 503))
def get_similar(
    product_id: ProductId,
    state: StateDep,
    db: SessionDep,
    who: CatalogDep,
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> SimilarProducts:
    """Products like this one (from the search index)."""
    return search_service.similar_products(state, db, product_id, k)
