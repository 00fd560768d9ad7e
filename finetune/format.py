"""The conversation and tool-call text format the fine-tune teaches and the runtime reads.

One assistant turn is either a tool call or an answer:

    <tool>{"name":"search_products","arguments":{"query":"basmati rice","max_price":300}}</tool>
    NO_TOOL
    Here are two options: India Gate Basmati Rice 1 kg [bb-12] at 245 ...

Tool results come back as a turn with role ``tool``, rendered compactly (numbered product lines
``1. [id] title | brand | price 245 | rating 4.2``) so the model can resolve "the first one".
Prompts use ChatML (SmolLM2's chat template) with one short system line: the model learns the
tools from the data, not from a schema in the prompt. Whoever holds the tokenizer (training, the
in-process runtime) writes the prompt with its `apply_chat_template` (`prompt_text`);
`render_prompt` writes the same text without one (tests pin that the token ids agree).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

SYSTEM_PROMPT = "Store assistant: call a tool as <tool>{json}</tool>, or NO_TOOL then answer."
TOOL_OPEN, TOOL_CLOSE, NO_TOOL = "<tool>", "</tool>", "NO_TOOL"
TURN_START, END_OF_TURN = "<|im_start|>", "<|im_end|>"
ROLES = ("system", "user", "assistant", "tool")
_ID_RE = re.compile(r"\[([A-Za-z0-9#][A-Za-z0-9_#:.\-]{0,63})\]")


class ToolTextError(ValueError):
    """Model output that is neither a well-formed tool call nor NO_TOOL + answer."""


@dataclass(frozen=True)
class ParsedTurn:
    """A parsed assistant turn: a tool call (name, arguments) or an answer."""

    name: str | None = None
    arguments: dict[str, Any] | None = None
    answer: str | None = None

    @property
    def is_call(self) -> bool:
        """True when the turn is a tool call."""
        return self.name is not None


def _num(value: Any) -> Any:
    """Integral floats as ints, so 300.0 is written 300 (shorter, as people write it)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def format_call(name: str, arguments: dict[str, Any]) -> str:
    """The canonical text of a tool call (compact JSON, None values dropped)."""
    args = {k: _num(v) for k, v in arguments.items() if v is not None}
    body = json.dumps({"name": name, "arguments": args}, ensure_ascii=False, separators=(",", ":"))
    return f"{TOOL_OPEN}{body}{TOOL_CLOSE}"


def format_answer(answer: str) -> str:
    """The canonical text of an answer turn."""
    return f"{NO_TOOL}\n{answer.strip()}"


def parse_turn(text: str) -> ParsedTurn:
    """Parse one assistant turn strictly: `<tool>{json}</tool>`, bare call JSON, or NO_TOOL."""
    stripped = text.strip()
    if stripped.endswith(END_OF_TURN):
        stripped = stripped[: -len(END_OF_TURN)].rstrip()
    if stripped.startswith(NO_TOOL):
        return ParsedTurn(answer=stripped[len(NO_TOOL) :].strip())
    body = stripped
    if body.startswith(TOOL_OPEN):
        if not body.endswith(TOOL_CLOSE):
            raise ToolTextError("tool call without a closing </tool>")
        body = body[len(TOOL_OPEN) : -len(TOOL_CLOSE)].strip()
    elif not body.startswith("{"):
        raise ToolTextError("output is neither <tool>{...}</tool> nor NO_TOOL")
    try:
        obj = json.loads(body)
    except json.JSONDecodeError as exc:
        raise ToolTextError(f"tool call is not valid JSON: {exc.msg} at {exc.pos}") from exc
    if not isinstance(obj, dict) or set(obj) - {"name", "arguments"} or "name" not in obj:
        raise ToolTextError('tool call must be {"name": ..., "arguments": {...}}')
    name, args = obj["name"], obj.get("arguments", {})
    if not isinstance(name, str) or not isinstance(args, dict):
        raise ToolTextError("tool name must be a string and arguments an object")
    return ParsedTurn(name=name, arguments=args)


def _fmt_price(value: Any) -> str:
    if isinstance(value, int | float):
        return f"{_num(round(float(value), 2))}"
    return str(value)


def _product_line(i: int, p: dict[str, Any]) -> str:
    pid = p.get("product_id", p.get("id", "?"))
    parts = [f"{i}. [{pid}] {str(p.get('title') or p.get('name') or '').strip()[:60]}"]
    if p.get("brand"):
        parts.append(str(p["brand"]).strip())
    if p.get("price") is not None:
        parts.append(f"price {_fmt_price(p['price'])}")
    if p.get("rating") is not None:
        parts.append(f"rating {p['rating']}")
    if p.get("in_stock") is False:
        parts.append("out of stock")
    return " | ".join(parts)


def _is_product(obj: Any) -> bool:
    return (
        isinstance(obj, dict)
        and ("product_id" in obj or "id" in obj)
        and ("title" in obj or "name" in obj)
    )


def _flat(obj: Any, limit: int) -> str:
    if isinstance(obj, dict):
        text = "; ".join(f"{k}: {_flat(v, limit)}" for k, v in obj.items() if v not in (None, ""))
    elif isinstance(obj, list):
        text = ", ".join(_flat(v, limit) for v in obj)
    else:
        text = _fmt_price(obj) if isinstance(obj, float) else str(obj)
    return text[:limit]


def render_tool_result(result: Any, max_items: int = 5, max_chars: int = 700) -> str:
    """Compact text of a tool result (JSON value or string) for the prompt."""
    if isinstance(result, str):
        try:
            result = json.loads(result)
        except (json.JSONDecodeError, ValueError):
            return result.strip()[:max_chars]
    items = None
    if isinstance(result, list) and all(_is_product(x) for x in result):
        items, rest = result, {}
    elif isinstance(result, dict):
        for key in ("products", "results", "items", "recommendations"):
            if isinstance(result.get(key), list) and all(_is_product(x) for x in result[key]):
                items = result[key]
                rest = {k: v for k, v in result.items() if k != key}
                break
        if items is None and _is_product(result):
            items, rest = [result], {k: v for k, v in result.items() if k in ("description",)}
    if items is not None:
        if not items:
            return "no results"
        lines = [_product_line(i + 1, p) for i, p in enumerate(items[:max_items])]
        extra = _flat(rest, 200) if rest else ""
        return ("\n".join(lines) + (f"\n{extra}" if extra else ""))[:max_chars]
    return _flat(result, max_chars) or "no results"


def ids_in_text(text: str) -> list[str]:
    """Product / order ids cited as [id] in a text, in order of first appearance."""
    seen: dict[str, None] = {}
    for m in _ID_RE.finditer(text):
        seen.setdefault(m.group(1), None)
    return list(seen)


def chat_messages(
    messages: list[dict[str, str]], system: str | None = SYSTEM_PROMPT
) -> list[dict[str, str]]:
    """The conversation as the model reads it: the system line first (unless the conversation
    starts with its own), then the turns; an unknown role is a ValueError."""
    out = []
    if system is not None and (not messages or messages[0]["role"] != "system"):
        out.append({"role": "system", "content": system})
    for m in messages:
        if m["role"] not in ROLES:
            raise ValueError(f"unknown role {m['role']!r}; valid roles: {', '.join(ROLES)}")
        out.append({"role": m["role"], "content": m["content"]})
    return out


def prompt_text(
    tokenizer: Any,
    messages: list[dict[str, str]],
    system: str | None = SYSTEM_PROMPT,
    generation: bool = True,
) -> str:
    """The prompt as the tokenizer's chat template writes it (ChatML for SmolLM2), ending with
    the assistant generation prompt unless generation is False. Tokenise it without special
    tokens: the template writes them."""
    if not getattr(tokenizer, "chat_template", None):
        # a model directory whose tokenizer carries no template: the same ChatML, written here
        return render_prompt(messages, system, generation)
    turns = chat_messages(messages, system)
    return str(
        tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=generation)
    )


def render_prompt(
    messages: list[dict[str, str]], system: str | None = SYSTEM_PROMPT, generation: bool = True
) -> str:
    """ChatML text of a conversation, ending with the assistant generation prompt unless
    generation is False: what SmolLM2's chat template writes, for callers without a tokenizer."""
    out = [
        f"{TURN_START}{m['role']}\n{m['content']}{END_OF_TURN}\n"
        for m in chat_messages(messages, system)
    ]
    if generation:
        out.append(f"{TURN_START}assistant\n")
    return "".join(out)
