"""What each tool returns: the data the model reads back and the answer is composed from."""

from __future__ import annotations

from typing import NotRequired

from typing_extensions import TypedDict

from assistant.services.cart import CartChange
from assistant.services.records import (
    Explanation,
    OrderStatus,
    PassageView,
    ProductCard,
    ProductDetails,
    PurchasePrediction,
    QueueEntry,
    SimilarProducts,
)


class SearchFilters(TypedDict, total=False):
    """The filters a search applied (only those set)."""

    category: str
    brand: str
    min_price: float
    max_price: float
    min_rating: float
    in_stock: bool


class SearchResult(TypedDict):
    """search_products: the products found for the query and its filters."""

    query: str
    filters: SearchFilters
    products: list[ProductCard]
    note: NotRequired[str]  # why the results are degraded (no index: keyword match)
    # what ranked them: hybrid | bm25 | dense, or keyword (no index); the trace's, not the model's
    search_mode: NotRequired[str]


class ProductResult(TypedDict):
    """get_product: every attribute of one product."""

    product: ProductDetails


class CompareResult(TypedDict):
    """compare_products: the cards and a table of field -> product id -> value."""

    products: list[ProductCard]
    table: dict[str, dict[str, str | float | int | bool | None]]


class RecommendResult(TypedDict):
    """recommend_for_user: the picks and the strategy behind them."""

    products: list[ProductCard]
    category: NotRequired[str]
    strategy: NotRequired[str]


class ExplainResult(TypedDict):
    """explain_recommendation: the product and why it was suggested."""

    product: ProductCard
    explanation: Explanation


class PurchaseOdds(PurchasePrediction):
    """predict_purchase: the product and the prediction."""

    product: ProductCard


class OrderLine(TypedDict):
    """An item in an order summary."""

    product_id: str
    name: str
    price: float | None


class OrderSummary(TypedDict):
    """An order in a list of orders (its first items only)."""

    order_id: str
    status: str
    total: float | None
    currency: str | None
    created_at: str | None
    items: list[OrderLine]


class OrdersResult(TypedDict):
    """list_my_orders: the shopper's orders, newest first."""

    status_filter: str | None
    count: int
    orders: list[OrderSummary]
    # none has the status asked for: the shopper's other orders, so the answer still says where
    # their orders are ("any of my stuff still pending?": none; these are delivered, ...)
    others: NotRequired[list[OrderSummary]]


class OrderStatusResult(TypedDict):
    """get_order_status: one order without its address and payments."""

    order: OrderStatus


class PolicyResult(TypedDict):
    """search_policy: the passages that answer the question."""

    question: str
    passages: list[PassageView]
    rule: NotRequired[list[PassageView]]  # the rest of the best passage's section, in order


class HandoffResult(QueueEntry):
    """handoff_to_human: the conversation's place in the agent queue."""

    handed_off: bool


class ToolError(TypedDict):
    """What the model reads back from a failed call: the reason, to recover from."""

    error: str


ToolResult = (
    SearchResult
    | ProductResult
    | CompareResult
    | SimilarProducts
    | RecommendResult
    | ExplainResult
    | PurchaseOdds
    | OrdersResult
    | OrderStatusResult
    | PolicyResult
    | HandoffResult
    | CartChange  # add_to_cart, view_cart, update_cart_item, remove_from_cart
)
