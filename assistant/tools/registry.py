"""The tools by name: validation against the contract, execution, failures as results."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from langchain_core.tools import StructuredTool

from assistant.errors import ShopAssistError
from assistant.jsontypes import JsonObject
from assistant.tools import cart, catalog, personal
from assistant.tools.context import ToolContext, ToolFailure
from assistant.tools.contract import (
    CART_TOOLS,
    TOOL_ARGS,
    ToolCallError,
    ToolCallRecord,
    parse_call,
)
from assistant.tools.results import ToolError, ToolResult

log = logging.getLogger(__name__)

# Each tool takes its own argument model (checked against TOOL_ARGS below) and returns its result.
TOOLS: dict[str, Callable[[ToolContext, Any], ToolResult]] = {
    "search_products": catalog.search_products,
    "get_product": catalog.get_product,
    "compare_products": catalog.compare_products,
    "similar_products": catalog.similar_products,
    "recommend_for_user": personal.recommend_for_user,
    "explain_recommendation": personal.explain_recommendation,
    "predict_purchase": personal.predict_purchase,
    "list_my_orders": personal.list_my_orders,
    "get_order_status": personal.get_order_status,
    "search_policy": personal.search_policy,
    "handoff_to_human": personal.handoff_to_human,
    "add_to_cart": cart.add_to_cart,
    "view_cart": cart.view_cart,
    "update_cart_item": cart.update_cart_item,
    "remove_from_cart": cart.remove_from_cart,
}
assert set(TOOLS) == set(TOOL_ARGS), "every contract tool needs an implementation"
# result fields for the call's record, not for the model (its prompts were trained without them)
TRACE_ONLY = ("search_mode",)


@dataclass
class ToolOutcome:
    """One executed (or refused) tool call, as the model and the API see it."""

    name: str
    arguments: JsonObject
    ok: bool
    result: ToolResult | None = None  # None when the call failed
    error: str = ""
    ms: float = 0.0
    call_id: str = ""
    # the failure as the HTTP API states it (MCP and the façades answer with the same body):
    # the error family's code (validation_error for a call the contract refuses) and message
    code: str = ""
    reason: str = ""

    def for_model(self) -> ToolResult | ToolError:
        """What goes back to the model: the result, or the error to read and recover from."""
        if self.ok and self.result is not None:
            return {k: v for k, v in self.result.items() if k not in TRACE_ONLY}  # type: ignore[return-value]
        return ToolError(error=self.error)

    def summary(self) -> ToolCallRecord:
        """Compact record for persistence and tool-call events (no full results)."""
        out = ToolCallRecord(name=self.name, arguments=self.arguments, ok=self.ok)
        if self.error:
            out["error"] = self.error
        cards = listed_cards(self.name, self.result or {})
        if cards:
            out["product_ids"] = [c["product_id"] for c in cards]
            prices = {c["product_id"]: c["price"] for c in cards if c.get("price") is not None}
            if prices:
                out["prices"] = prices
        out["ms"] = round(self.ms, 1)
        for key in TRACE_ONLY:
            if key in (self.result or {}):
                out[key] = self.result[key]  # type: ignore[literal-required,index]
        return out


def listed_cards(name: str, result: Mapping[str, object]) -> list[Any]:
    """The product cards a result lists, in order: its products, or for the cart tools the
    product changed (the cart's items when it was only viewed)."""
    listed = result.get("products")
    if name in CART_TOOLS:
        product, cart = result.get("product"), result.get("cart")
        if isinstance(product, dict):
            return [product]
        listed = cart.get("items") if isinstance(cart, dict) else None
    return [p for p in listed if isinstance(p, dict)] if isinstance(listed, list) else []


def _message(exc: BaseException) -> str:
    msg = getattr(exc, "message", None) or str(exc) or type(exc).__name__
    return str(msg)[:300]


def execute(ctx: ToolContext, name: str, arguments: Any, call_id: str = "") -> ToolOutcome:
    """Validate and run one tool call; any failure becomes an outcome with an error, never a raise."""
    start = time.perf_counter()
    args_in = arguments if isinstance(arguments, dict) else {}
    try:
        parsed = parse_call(name, arguments)
    except ToolCallError as exc:
        return ToolOutcome(
            name, args_in, False, error=str(exc), call_id=call_id,
            code="validation_error", reason=str(exc),
        )  # fmt: skip
    clean = parsed.model_dump(exclude_none=True)
    code = reason = ""
    try:
        result = TOOLS[name](ctx, parsed)
        ok, error = True, ""
    except ToolFailure as exc:
        result, ok, error = None, False, _message(exc)
        code, reason = "failed", error
    except Exception as exc:  # noqa: BLE001 - a broken engine must not break the chat
        if getattr(exc, "status_code", 500) >= 500 or not hasattr(exc, "status_code"):
            log.exception("tool %s failed", name)
        result, ok, error = None, False, f"{name} failed: {_message(exc)}"
        code = exc.code if isinstance(exc, ShopAssistError) else "internal_error"
        reason = _message(exc) if isinstance(exc, ShopAssistError) else error
        try:
            ctx.db.rollback()
        except Exception:  # noqa: BLE001
            pass
    ms = (time.perf_counter() - start) * 1000
    return ToolOutcome(name, clean, ok, result, error, ms, call_id, code, reason)


def langchain_tools(ctx: ToolContext) -> list[StructuredTool]:
    """The tools as LangChain StructuredTools bound to a session (typed by the contract models)."""

    def make(name: str) -> StructuredTool:
        def run(**kwargs: Any) -> ToolResult | ToolError:
            return execute(ctx, name, kwargs).for_model()

        model = TOOL_ARGS[name]
        return StructuredTool.from_function(
            func=run,
            name=name,
            description=(TOOLS[name].__doc__ or model.__doc__ or "").strip(),
            args_schema=model,
        )

    return [make(n) for n in TOOLS]
