"""What one agent turn produces: the events it streams, in order, and its result.

tool_call and tool_result per tool call, token per chunk of the (grounding-checked) answer, then
TurnDone with the TurnResult. Each streamed event knows its server-sent event name (`kind`) and
its JSON data (`data()`), so the API streams them without taking them apart.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import ClassVar, Literal

from typing_extensions import TypedDict

from assistant.jsontypes import JsonObject
from assistant.services.records import ProductCard
from assistant.tools.contract import ToolCallRecord
from assistant.tools.registry import ToolOutcome


@dataclass
class TurnResult:
    """Everything one turn produced, for the API reply, persistence and evaluation."""

    answer: str
    cited_products: list[ProductCard]
    outcomes: list[ToolOutcome]
    grounded: bool = True
    repaired: bool = False
    fallback: str = ""  # "", "model_error", "timeout", "invalid_call", "no_tool"
    planner: str = "model"  # "model", or "rules" (unambiguous request, no model, or fallback)
    writer: str = "template"  # "model": the writer adapter's answer passed the grounding check
    adapter: str | None = None  # the LoRA adapter the model planned with (None: rules, base)
    problems: list[str] = field(default_factory=list)
    latency_ms: float = 0.0
    first_token_ms: float | None = None

    @property
    def cited_product_ids(self) -> list[str]:
        """Ids of the cited products, in the order cited."""
        return [c["product_id"] for c in self.cited_products]

    def tool_calls(self) -> list[ToolCallRecord]:
        """Every tool call made, in order, with validated arguments and its outcome."""
        return [o.summary() for o in self.outcomes]


class TokenData(TypedDict):
    """The data of a token event."""

    text: str


class ToolCallData(TypedDict):
    """The data of a tool_call event: the tool and its checked arguments."""

    name: str
    arguments: JsonObject


@dataclass(frozen=True)
class Token:
    """A chunk of the answer's text."""

    text: str
    kind: ClassVar[Literal["token"]] = "token"

    def data(self) -> TokenData:
        """The event's JSON data."""
        return TokenData(text=self.text)


@dataclass(frozen=True)
class ToolCalled:
    """A tool is about to run with these arguments."""

    name: str
    arguments: JsonObject
    kind: ClassVar[Literal["tool_call"]] = "tool_call"

    def data(self) -> ToolCallData:
        """The event's JSON data."""
        return ToolCallData(name=self.name, arguments=self.arguments)


@dataclass(frozen=True)
class ToolDone:
    """A tool call finished (or failed): its compact record."""

    record: ToolCallRecord
    kind: ClassVar[Literal["tool_result"]] = "tool_result"

    def data(self) -> ToolCallRecord:
        """The event's JSON data."""
        return self.record


@dataclass(frozen=True)
class TurnDone:
    """The turn is over (not streamed as is: the chat service stores the result and replies)."""

    result: TurnResult
    kind: ClassVar[Literal["final"]] = "final"


AgentEvent = ToolCalled | ToolDone | Token | TurnDone
