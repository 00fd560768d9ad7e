"""Product search: POST /v1/search (query + filters, paged, with why each product matched)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator, model_validator

from assistant.api.deps import CatalogDep, StateDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import NOT_BLANK, JsonInt, RequestModel
from assistant.services import search as search_service

router = APIRouter(prefix="/v1", tags=["search"], responses=AUTH_ERRORS)


class SearchFiltersIn(RequestModel):
    """Optional constraints; prices inclusive (min_price may not exceed max_price); category
    matches a path, a prefix or one segment."""

    category: str | None = Field(None, min_length=1, max_length=255)
    brand: str | None = Field(None, min_length=1, max_length=128)
    min_price: float | None = Field(None, ge=0)
    max_price: float | None = Field(None, ge=0)
    min_rating: float | None = Field(None, ge=0, le=5)
    in_stock: bool | None = None

    @model_validator(mode="after")
    def _price_range(self) -> SearchFiltersIn:
        if self.min_price is not None and self.max_price is not None:
            if self.min_price > self.max_price:
                raise ValueError("min_price must not be greater than max_price")
        return self


class SearchIn(RequestModel):
    """A search request."""

    query: str = Field(
        max_length=search_service.MAX_QUERY_CHARS,
        description="what to look for (not blank)",
        json_schema_extra={"pattern": NOT_BLANK},
    )
    filters: SearchFiltersIn = Field(default_factory=SearchFiltersIn)
    k: JsonInt = Field(10, ge=1, le=search_service.MAX_K)
    offset: JsonInt = Field(0, ge=0, le=search_service.MAX_OFFSET)

    @field_validator("query")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("query must not be empty")
        return v.strip()


class WhyOut(BaseModel):
    """Why a product matched: the query words it contains and its vector similarity."""

    matched_terms: list[str]
    lexical_score: float | None
    vector_similarity: float | None


class HitOut(BaseModel):
    """One ranked product."""

    product_id: str
    rank: int
    score: float
    title: str
    brand: str
    category: str
    price: float | None
    rating: float | None
    in_stock: bool
    why: WhyOut


class SearchOut(BaseModel):
    """Ranked products for the query (k at most, starting after offset)."""

    query: str
    filters: dict[str, Any]
    k: int
    offset: int
    hits: list[HitOut]


@router.post("/search", response_model=SearchOut, responses=responses(503))
def post_search(body: SearchIn, state: StateDep, who: CatalogDep) -> SearchOut:
    """Hybrid (BM25 + vector) product search with filters."""
    filters = body.filters.model_dump(exclude_none=True)
    hits = search_service.search(state, body.query, filters, body.k, body.offset)
    return SearchOut(
        query=body.query,
        filters=filters,
        k=body.k,
        offset=body.offset,
        hits=[hit_out(h) for h in hits],
    )


def hit_out(h: Any) -> HitOut:
    """The API form of a search hit (also used by POST /v1/rewrite with k > 0)."""
    return HitOut(
        product_id=h.product_id,
        rank=h.rank,
        score=round(h.score, 6),
        title=h.doc.title,
        brand=h.doc.brand,
        category=h.doc.category,
        price=h.doc.price,
        rating=h.doc.rating,
        in_stock=h.doc.in_stock,
        why=WhyOut(
            matched_terms=h.matched_terms,
            lexical_score=h.lexical_score,
            vector_similarity=h.vector_similarity,
        ),
    )
