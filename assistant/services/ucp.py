"""The catalog in the Universal Commerce Protocol's shapes (UCP 2026-04-08): catalog search,
catalog lookup and the business profile. Checkout and payment stay with the store's platform.

Money is in ISO 4217 minor units (₹245.50 is {"amount": 24550, "currency": "INR"}). Search runs
the same engine as POST /v1/search, so the same query returns the same products in the same
order. The shapes are plain TypedDicts here (the runtime does not need the UCP SDK); the tests
validate every response with the SDK's models.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any, Literal, NotRequired, cast

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from typing_extensions import TypedDict

from assistant.db.models import Product, ProductVariant
from assistant.errors import Invalid
from assistant.jsontypes import NOT_BLANK, JsonInt, JsonObject, json_number
from assistant.services import search as search_service
from assistant.services.state import AppState

VERSION = "2026-04-08"
SPEC = f"https://ucp.dev/{VERSION}/specification"
SCHEMAS = f"https://ucp.dev/{VERSION}/schemas/shopping"
SEARCH, LOOKUP = "dev.ucp.shopping.catalog.search", "dev.ucp.shopping.catalog.lookup"
MAX_LIMIT = search_service.MAX_K
MAX_IDS = 50
# ISO 4217 currencies whose minor unit is not a hundredth (the rest have two decimals)
EXPONENTS = {
    **dict.fromkeys(
        "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF".split(), 0
    ),
    **dict.fromkeys("BHD IQD JOD KWD LYD OMR TND".split(), 3),
}


# --- the shapes --------------------------------------------------------------------------------


class Money(TypedDict):
    """An amount in the currency's minor units, with its ISO 4217 code."""

    amount: int
    currency: str


class PriceRange(TypedDict):
    """The lowest and highest price across a product's variants."""

    min: Money
    max: Money


class Description(TypedDict):
    """Description text (plain)."""

    plain: str


class Category(TypedDict):
    """A category path as the store names it."""

    value: str
    taxonomy: str


class Media(TypedDict):
    """An image of the product."""

    type: str
    url: str


class Rating(TypedDict):
    """The average rating on a 0-5 scale, and how many ratings it averages."""

    value: float
    scale_min: float
    scale_max: float
    count: int


class Availability(TypedDict):
    """Whether the variant can be bought now."""

    available: bool
    status: str


class SelectedOption(TypedDict):
    """One option of a variant (Size: Large)."""

    name: str
    label: str


class InputCorrelation(TypedDict):
    """Which requested id resolved to a variant, and how (exact or featured)."""

    id: str
    match: str


class Variant(TypedDict):
    """A purchasable variant (a product without variants has one: itself)."""

    id: str
    title: str
    description: Description
    price: Money
    availability: Availability
    options: NotRequired[list[SelectedOption]]
    inputs: NotRequired[list[InputCorrelation]]  # lookup responses


class CatalogProduct(TypedDict):
    """A product with its variants, prices in minor units."""

    id: str
    title: str
    description: Description
    price_range: PriceRange
    variants: list[Variant]
    categories: NotRequired[list[Category]]
    media: NotRequired[list[Media]]
    rating: NotRequired[Rating]
    metadata: NotRequired[JsonObject]


class Capability(TypedDict):
    """A capability the response or the profile declares."""

    version: str
    spec: str
    schema: str


class ResponseMeta(TypedDict):
    """The `ucp` block of a response: protocol version, status, capabilities used."""

    version: str
    status: Literal["success", "error"]
    capabilities: NotRequired[dict[str, list[Capability]]]


class Message(TypedDict):
    """An error, warning or note about the response."""

    type: Literal["error", "warning", "info"]
    code: str
    content: str
    path: NotRequired[str]
    severity: NotRequired[str]  # errors: recoverable, unrecoverable, ...


class Pagination(TypedDict):
    """Whether there is a next page, and the cursor to get it."""

    has_next_page: bool
    cursor: NotRequired[str]


class SearchResponse(TypedDict):
    """The products matching a catalog search, best first."""

    ucp: ResponseMeta
    products: list[CatalogProduct]
    pagination: Pagination
    messages: NotRequired[list[Message]]


class LookupResponse(TypedDict):
    """The products (and variants) behind the requested ids."""

    ucp: ResponseMeta
    products: list[CatalogProduct]
    messages: NotRequired[list[Message]]


class UcpErrorResponse(TypedDict):
    """Why a request failed."""

    ucp: ResponseMeta
    messages: list[Message]


# --- requests (unknown fields, e.g. signals and attribution, are accepted and ignored) -----------


class UcpRequest(BaseModel):
    """Fields every catalog request may carry."""

    model_config = ConfigDict(extra="allow", strict=True)  # JSON types as the schema says

    context: JsonObject | None = Field(None, description="buyer context; currency is read")


# an amount in minor units: a JSON integer, not negative
MinorUnits = Annotated[int, Field(strict=False, ge=0), BeforeValidator(json_number)]


class PriceFilter(BaseModel):
    """A price range in minor units of context.currency (the store's when absent)."""

    model_config = ConfigDict(extra="allow", strict=True)  # JSON types as the schema says

    min: MinorUnits | None = None
    max: MinorUnits | None = None


class SearchFilters(BaseModel):
    """Categories (any of them) and a price range."""

    model_config = ConfigDict(extra="allow", strict=True)  # JSON types as the schema says

    categories: list[str] | None = None
    price: PriceFilter | None = None


class PageRequest(BaseModel):
    """Where to start (the cursor of the previous page) and how many."""

    model_config = ConfigDict(extra="allow", strict=True)  # JSON types as the schema says

    cursor: str | None = Field(None, json_schema_extra={"pattern": "^[0-9]*$"})
    limit: JsonInt = Field(10, ge=1)


class SearchRequest(UcpRequest):
    """A catalog search: free text with optional filters and paging."""

    query: str = Field(
        min_length=1,
        max_length=search_service.MAX_QUERY_CHARS,
        json_schema_extra={"pattern": NOT_BLANK},  # the search refuses a blank query
    )
    filters: SearchFilters | None = None
    pagination: PageRequest | None = None


class LookupRequest(UcpRequest):
    """Products or variants by id."""

    ids: list[str] = Field(min_length=1, max_length=MAX_IDS)
    filters: SearchFilters | None = None


# --- money and products --------------------------------------------------------------------------


def minor_units(value: float, currency: str) -> int:
    """A price in the currency's minor units, rounded half up (245.5 INR: 24550)."""
    exponent = EXPONENTS.get(currency.upper(), 2)
    return int((Decimal(str(value)) * 10**exponent).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def major_units(amount: int, currency: str) -> float:
    """Minor units back to the catalog's price numbers."""
    return amount / 10 ** EXPONENTS.get(currency.upper(), 2)


def meta(capability: str) -> ResponseMeta:
    """The `ucp` block of a successful response using capability."""
    return ResponseMeta(
        version=VERSION,
        status="success",
        capabilities={capability: [capability_entry(capability)]},
    )


def capability_entry(capability: str) -> Capability:
    """A capability's version, spec and schema URLs."""
    leaf = capability.rsplit(".", 2)[-2:]  # catalog.search -> catalog/search, catalog_search
    return Capability(
        version=VERSION, spec=f"{SPEC}/{'/'.join(leaf)}", schema=f"{SCHEMAS}/{'_'.join(leaf)}.json"
    )


def _variant(p: Product, v: ProductVariant | None) -> Variant | None:
    price = v.price if v is not None and v.price is not None else p.price
    if price is None:
        return None
    in_stock = bool(v.in_stock if v is not None else p.in_stock)
    options = [
        SelectedOption(name=str(k), label=str(val))
        for k, val in ((v.options or {}) if v else {}).items()
    ]
    out = Variant(
        id=v.id if v is not None else p.id,
        title=", ".join(o["label"] for o in options) or p.title,
        description=Description(plain=p.title),
        price=Money(amount=minor_units(price, p.currency), currency=p.currency),
        availability=Availability(
            available=in_stock, status="in_stock" if in_stock else "out_of_stock"
        ),
    )
    if options:
        out["options"] = options
    return out


def catalog_product(p: Product, variants: Sequence[Variant] | None = None) -> CatalogProduct | None:
    """A product in UCP's shape (None when it has no price to state: UCP needs one)."""
    found = list(variants) if variants is not None else _variants(p)
    if not found:
        return None
    amounts = [v["price"]["amount"] for v in found]
    currency = found[0]["price"]["currency"]
    out = CatalogProduct(
        id=p.id,
        title=p.title,
        description=Description(plain=(p.description or "").strip() or p.title),
        price_range=PriceRange(
            min=Money(amount=min(amounts), currency=currency),
            max=Money(amount=max(amounts), currency=currency),
        ),
        variants=found,
    )
    if p.category:
        out["categories"] = [Category(value=p.category, taxonomy="merchant")]
    if (p.image_url or "").startswith(("http://", "https://")):
        out["media"] = [Media(type="image", url=p.image_url)]
    if p.rating is not None:
        out["rating"] = Rating(
            value=float(p.rating), scale_min=0.0, scale_max=5.0, count=p.rating_count or 0
        )
    if p.brand:
        out["metadata"] = {"brand": p.brand}
    return out


def _variants(p: Product) -> list[Variant]:
    rows: list[ProductVariant | None] = list(p.variants) or [None]
    return [v for v in (_variant(p, row) for row in rows) if v is not None]


def _products(db: Session, ids: Sequence[str]) -> dict[str, Product]:
    rows = db.scalars(
        select(Product).where(Product.id.in_(list(ids))).options(selectinload(Product.variants))
    )
    return {p.id: p for p in rows}


def store_currency(db: Session) -> str:
    """The currency most of the catalog is priced in."""
    found = db.scalar(
        select(Product.currency).group_by(Product.currency).order_by(func.count().desc()).limit(1)
    )
    return found or "INR"


def _no_price(pid: str, index: int) -> Message:
    return Message(
        type="warning",
        code="price_unavailable",
        content=f"product {pid} has no price in the catalog and is not listed",
        path=f"$.products[{index}]",
    )


# --- operations --------------------------------------------------------------------------------


def _filters(
    db: Session, req: UcpRequest, filters: SearchFilters | None
) -> tuple[dict[str, Any], list[Message]]:
    """UCP filters as the search engine's (category, min_price, max_price), with notes on
    what could not be applied."""
    out: dict[str, Any] = {}
    notes: list[Message] = []
    if filters is None:
        return out, notes
    if filters.categories:
        out["category"] = filters.categories[0]
        if len(filters.categories) > 1:
            notes.append(
                Message(
                    type="warning",
                    code="filter_ignored",
                    content="one category filter is applied: " + filters.categories[0],
                    path="$.filters.categories",
                )
            )
    if filters.price is not None:
        currency = store_currency(db)
        asked = str((req.context or {}).get("currency") or currency).upper()
        if asked != currency:
            notes.append(
                Message(
                    type="warning",
                    code="filter_ignored",
                    content=f"prices are in {currency}; a filter in {asked} is not applied",
                    path="$.filters.price",
                )
            )
        else:
            if filters.price.min is not None:
                out["min_price"] = major_units(filters.price.min, currency)
            if filters.price.max is not None:
                out["max_price"] = major_units(filters.price.max, currency)
            if "min_price" in out and "max_price" in out and out["min_price"] > out["max_price"]:
                raise Invalid("filters.price.min must not exceed filters.price.max")
    return out, notes


def _offset(cursor: str | None) -> int:
    """Where a page starts: the cursor is the offset this server gave, in ASCII digits."""
    if not cursor:
        return 0
    if not (cursor.isascii() and cursor.isdigit()):
        raise Invalid("pagination.cursor is not a cursor this server gave")
    return int(cursor)


def search_catalog(state: AppState, db: Session, req: SearchRequest) -> SearchResponse:
    """Catalog search: the products POST /v1/search ranks for the query, in UCP's shape."""
    page = req.pagination or PageRequest()
    limit = min(page.limit, MAX_LIMIT)
    offset = _offset(page.cursor)
    filters, messages = _filters(db, req, req.filters)
    # a cursor past the last page the search serves is an empty page, not an error
    past_end = offset > search_service.MAX_OFFSET
    hits = [] if past_end else search_service.search(state, req.query, filters, limit, offset)
    rows = _products(db, [h.product_id for h in hits])
    products: list[CatalogProduct] = []
    for i, hit in enumerate(hits):
        product = catalog_product(rows[hit.product_id]) if hit.product_id in rows else None
        if product is None:
            messages.append(_no_price(hit.product_id, i))
        else:
            products.append(product)
    more = len(hits) == limit and offset + limit <= search_service.MAX_OFFSET
    pagination = Pagination(has_next_page=more)
    if more:
        pagination["cursor"] = str(offset + limit)
    out = SearchResponse(ucp=meta(SEARCH), products=products, pagination=pagination)
    if messages:
        out["messages"] = messages
    return out


def lookup_catalog(db: Session, req: LookupRequest) -> LookupResponse:
    """Catalog lookup: each id as a product id (its featured variant) or a variant id (that
    variant, matched exactly); ids that match nothing are listed in messages."""
    ids = list(dict.fromkeys(i.strip() for i in req.ids if i.strip()))
    by_variant = {
        v.id: v.product_id
        for v in db.scalars(select(ProductVariant).where(ProductVariant.id.in_(ids)))
    }
    rows = _products(db, ids + list(by_variant.values()))
    chosen: dict[str, list[Variant]] = {}
    messages: list[Message] = []
    for index, wanted in enumerate(ids):
        pid = wanted if wanted in rows else by_variant.get(wanted)
        product = rows.get(pid or "")
        variants = _variants(product) if product is not None else []
        if product is None or not variants:
            messages.append(
                Message(
                    type="error",
                    code="not_found",
                    content=f"no product or variant {wanted!r} with a price",
                    severity="recoverable",
                    path=f"$.ids[{index}]",
                )
            )
            continue
        match = "featured" if wanted == product.id else "exact"
        variant = (
            variants[0]
            if match == "featured"
            else next((v for v in variants if v["id"] == wanted), variants[0])
        )
        picked = chosen.setdefault(product.id, [])
        existing = next((v for v in picked if v["id"] == variant["id"]), None)
        if existing is None:
            existing = cast(Variant, {**variant, "inputs": []})
            picked.append(existing)
        existing["inputs"].append(InputCorrelation(id=wanted, match=match))
    products = [
        p
        for pid, variants in chosen.items()
        if (p := catalog_product(rows[pid], variants)) is not None
    ]
    out = LookupResponse(ucp=meta(LOOKUP), products=products)
    if messages:
        out["messages"] = messages
    return out


def error_response(code: str, message: str, recoverable: bool = True) -> UcpErrorResponse:
    """A failed request in UCP's error shape."""
    return UcpErrorResponse(
        ucp=ResponseMeta(version=VERSION, status="error"),
        messages=[
            Message(
                type="error",
                code=code,
                content=message,
                severity="recoverable" if recoverable else "unrecoverable",
            )
        ],
    )


class ServiceBinding(TypedDict):
    """Where the shopping service answers, per transport."""

    version: str
    spec: str
    transport: Literal["rest", "mcp"]
    endpoint: str
    schema: str


class ProfileMeta(TypedDict):
    """The business profile: protocol version, services, capabilities, payment handlers."""

    version: str
    services: dict[str, list[ServiceBinding]]
    capabilities: dict[str, list[Capability]]
    payment_handlers: dict[str, list[JsonObject]]


class Profile(TypedDict):
    """The document at /.well-known/ucp."""

    ucp: ProfileMeta


def profile(base_url: str) -> Profile:
    """The business profile for a server at base_url: catalog search and lookup over REST
    (/ucp) and MCP (/mcp); no checkout and no payment handlers (the store's platform keeps
    them)."""
    base = base_url.rstrip("/")
    services = [
        ServiceBinding(
            version=VERSION,
            spec=f"{SPEC}/overview",
            transport="rest",
            endpoint=f"{base}/ucp",
            schema=f"https://ucp.dev/{VERSION}/services/shopping/rest.openapi.json",
        ),
        ServiceBinding(
            version=VERSION,
            spec=f"{SPEC}/overview",
            transport="mcp",
            endpoint=f"{base}/mcp",
            schema=f"https://ucp.dev/{VERSION}/services/shopping/mcp.openrpc.json",
        ),
    ]
    return Profile(
        ucp=ProfileMeta(
            version=VERSION,
            services={"dev.ucp.shopping": services},
            capabilities={c: [capability_entry(c)] for c in (SEARCH, LOOKUP)},
            payment_handlers={},
        )
    )
