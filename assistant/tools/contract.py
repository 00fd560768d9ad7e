"""The tool contract of ARCHITECTURE.md as pydantic models: names and arguments are fixed.

Pure data (no database, no web): the LLM runtime validates calls against it, the fine-tune
builds its examples from it, and the agent executes it. The user is never an argument.
"""

from __future__ import annotations

from typing import Any, Literal, NotRequired, get_args

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from typing_extensions import TypedDict

from assistant.jsontypes import JsonObject


class ToolArgs(BaseModel):
    """Base of every tool's arguments: unknown argument names are errors."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class SearchProductsArgs(ToolArgs):
    """Find products matching a free-text query, optionally filtered."""

    query: str = Field(min_length=1, max_length=200, description="what the shopper is looking for")
    category: str | None = Field(None, max_length=120, description="category name")
    brand: str | None = Field(
        None, max_length=120, description="brand name, only if the shopper named one"
    )
    min_price: float | None = Field(None, ge=0, description="inclusive lower price bound")
    max_price: float | None = Field(None, ge=0, description="inclusive upper price bound")
    min_rating: float | None = Field(None, ge=0, le=5, description="minimum average rating (0-5)")
    in_stock: bool | None = Field(None, description="only products in stock")
    k: int | None = Field(None, ge=1, le=50, description="number of results")

    @model_validator(mode="after")
    def _price_range(self) -> SearchProductsArgs:
        if (
            self.min_price is not None
            and self.max_price is not None
            and self.min_price > self.max_price
        ):
            raise ValueError("min_price must not exceed max_price")
        return self


class GetProductArgs(ToolArgs):
    """All attributes of one product."""

    product_id: str = Field(min_length=1, max_length=64)


class CompareProductsArgs(ToolArgs):
    """An attribute table comparing 2-5 products."""

    product_ids: list[str] = Field(min_length=2, max_length=5)


class SimilarProductsArgs(ToolArgs):
    """Products like the given one."""

    product_id: str = Field(min_length=1, max_length=64)
    k: int | None = Field(None, ge=1, le=50)


class RecommendForUserArgs(ToolArgs):
    """Personalised recommendations for the session's shopper."""

    category: str | None = Field(None, max_length=120)
    k: int | None = Field(None, ge=1, le=50)


class ExplainRecommendationArgs(ToolArgs):
    """Why a product was recommended to the session's shopper (true evidence only)."""

    product_id: str = Field(min_length=1, max_length=64)


class PredictPurchaseArgs(ToolArgs):
    """Probability that the session's shopper buys the product, with top features."""

    product_id: str = Field(min_length=1, max_length=64)


# the order statuses a shopper may filter their list by (the store has more: return requested, ...)
ListedStatus = Literal["pending", "processed", "delivered", "cancelled"]
LISTED_STATUSES: tuple[str, ...] = get_args(ListedStatus)


class ListMyOrdersArgs(ToolArgs):
    """The session's shopper's orders, optionally by status."""

    status: ListedStatus | None = None


class GetOrderStatusArgs(ToolArgs):
    """Status, items and tracking of one order."""

    order_id: str = Field(min_length=1, max_length=64)


class SearchPolicyArgs(ToolArgs):
    """Passages of the store's policy / FAQ that answer a question."""

    question: str = Field(min_length=1, max_length=500)


class HandoffToHumanArgs(ToolArgs):
    """Hand the conversation to a human agent."""

    reason: str = Field(min_length=1, max_length=500)


MAX_CART_QUANTITY = 99  # per cart line


class AddToCartArgs(ToolArgs):
    """Add a product to the session's cart (its stock and price are re-checked)."""

    product_id: str = Field(min_length=1, max_length=64)
    quantity: int | None = Field(
        None, ge=1, le=MAX_CART_QUANTITY, description="how many to add (default 1)"
    )


class ViewCartArgs(ToolArgs):
    """The session's cart: its items, quantities and total."""


class UpdateCartItemArgs(ToolArgs):
    """Set the quantity of a product in the session's cart (0 removes it)."""

    product_id: str = Field(min_length=1, max_length=64)
    quantity: int = Field(ge=0, le=MAX_CART_QUANTITY, description="the new quantity")


class RemoveFromCartArgs(ToolArgs):
    """Take a product out of the session's cart."""

    product_id: str = Field(min_length=1, max_length=64)


TOOL_ARGS: dict[str, type[ToolArgs]] = {
    "search_products": SearchProductsArgs,
    "get_product": GetProductArgs,
    "compare_products": CompareProductsArgs,
    "similar_products": SimilarProductsArgs,
    "recommend_for_user": RecommendForUserArgs,
    "explain_recommendation": ExplainRecommendationArgs,
    "predict_purchase": PredictPurchaseArgs,
    "list_my_orders": ListMyOrdersArgs,
    "get_order_status": GetOrderStatusArgs,
    "search_policy": SearchPolicyArgs,
    "handoff_to_human": HandoffToHumanArgs,
    "add_to_cart": AddToCartArgs,
    "view_cart": ViewCartArgs,
    "update_cart_item": UpdateCartItemArgs,
    "remove_from_cart": RemoveFromCartArgs,
}
TOOL_NAMES: tuple[str, ...] = tuple(TOOL_ARGS)
CART_TOOLS = ("add_to_cart", "view_cart", "update_cart_item", "remove_from_cart")
CART_WRITES = ("add_to_cart", "update_cart_item", "remove_from_cart")


class ToolCall(TypedDict):
    """A tool call: the tool's name and its arguments (a JSON object the contract judges)."""

    name: str
    arguments: JsonObject


class ToolCallRecord(ToolCall):
    """One tool call as stored with the answer and sent as a tool_result event (no full result)."""

    ok: bool
    error: NotRequired[str]  # why it failed (ok false)
    product_ids: NotRequired[list[str]]  # the products the result listed, in order
    prices: NotRequired[dict[str, float]]  # the price each listed product was shown at
    ms: NotRequired[float]
    search_mode: NotRequired[str]  # search_products: what ranked the products (an arm may choose)


class ToolCallError(ValueError):
    """A tool call that does not satisfy the contract (unknown tool or bad arguments)."""


def parse_call(name: str, arguments: Any) -> ToolArgs:
    """The call's arguments as its contract model; ToolCallError naming the first problem."""
    model = TOOL_ARGS.get(name)
    if model is None:
        raise ToolCallError(f"unknown tool {name!r}; valid tools: {', '.join(TOOL_NAMES)}")
    if not isinstance(arguments, dict):
        raise ToolCallError(f"arguments of {name} must be a JSON object")
    try:
        return model.model_validate(arguments)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "arguments"
        raise ToolCallError(f"{name}: {where}: {first.get('msg')}") from exc


def validate_call(name: str, arguments: JsonObject) -> JsonObject:
    """Validate a call against the contract; return the arguments with None values dropped."""
    return parse_call(name, arguments).model_dump(exclude_none=True)


def tool_specs() -> list[JsonObject]:
    """OpenAI-style function specs of every tool (name, description, JSON schema)."""
    return [
        {
            "type": "function",
            "function": {
                "name": name,
                "description": (model.__doc__ or "").strip(),
                "parameters": model.model_json_schema(),
            },
        }
        for name, model in TOOL_ARGS.items()
    ]
