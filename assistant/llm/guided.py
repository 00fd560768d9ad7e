"""Constrained decoding of one assistant turn: tool name, argument names and values.

The model picks among valid continuations only: a tool name from the bound tools or NO_TOOL,
then argument names of that tool's JSON schema (those the request can justify), then values
by type: enum / boolean choices, numbers the shopper wrote, ids present in the conversation,
free strings cut at the closing quote. The result is valid JSON by construction.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from assistant.llm.generation import Decoder, GenerationOptions
from assistant.tools.arguments import Hints, allowed_argument
from finetune.format import NO_TOOL, TOOL_CLOSE, TOOL_OPEN

ID_ARGS = ("product_id", "order_id")
COPY_ARGS = ("query", "question", "reason")  # copied from the shopper's words, never invented


# A pure function of the tokenizer (its vocabulary), with no store data in it: kept per tokenizer
# object, of which a process loads one or two.
@lru_cache(maxsize=2)
def quote_token_ids(tok: Any) -> tuple[int, ...]:
    """Ids of the tokenizer's tokens that start with a quote (each can close a JSON string)."""
    vocab = tok.convert_ids_to_tokens(list(range(len(tok))))
    return tuple(i for i, t in enumerate(vocab) if t and t.startswith('"'))


def copy_token_ids(tok: Any, text: str) -> list[int]:
    """Token ids that can spell words of `text` (any case, with or without a leading space),
    plus every token that starts with a quote (to close the string)."""
    ids = set(quote_token_ids(tok))
    for variant in {text, text.lower()}:
        ids.update(tok(variant, add_special_tokens=False).input_ids)
        for word in variant.split():
            for form in (word, " " + word):
                ids.update(tok(form, add_special_tokens=False).input_ids)
    return sorted(ids)


_FREE = GenerationOptions(repetition_penalty=1.0)


def resolve(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> dict[str, Any]:
    """The effective schema of a property: $ref followed, Optional (anyOf with null) unwrapped."""
    defs = defs or {}
    if "$ref" in schema:
        schema = defs.get(schema["$ref"].split("/")[-1], {})
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        if options:
            return {
                **resolve(options[0], defs),
                **{k: v for k, v in schema.items() if k != "anyOf"},
            }
    return schema


def _end_of_string(segment: str) -> int | None:
    escaped = False
    for i, ch in enumerate(segment):
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == '"':
            return i
        elif ch == "\n":
            return i
    return None


def _end_of_number(segment: str) -> int | None:
    for i, ch in enumerate(segment):
        if not (ch.isdigit() or ch in ".-"):
            return i
    return None


def _string(dec: Decoder, name: str, hints: Hints, max_tokens: int) -> str:
    if name in ID_ARGS and hints.ids:
        return json.loads(dec.choose([json.dumps(i, ensure_ascii=False) for i in hints.ids]))
    dec.sync(dec.text + '"')
    before = dec.text
    allowed = (
        copy_token_ids(dec.tok, hints.user_text) if name in COPY_ARGS and hints.user_text else None
    )
    value = dec.free(_end_of_string, max_tokens, _FREE, allowed).strip() or "?"
    dec.text = before + json.dumps(value, ensure_ascii=False)[1:-1] + '"'
    return value


def fitting_numbers(schema: dict[str, Any], numbers: list[str]) -> list[str]:
    """The message's numbers that satisfy a numeric schema (integer-ness and bounds)."""
    out = []
    for n in numbers:
        v = float(n)
        if schema.get("type") == "integer" and "." in n:
            continue
        if ("minimum" in schema and v < schema["minimum"]) or (
            "maximum" in schema and v > schema["maximum"]
        ):
            continue
        if ("exclusiveMinimum" in schema and v <= schema["exclusiveMinimum"]) or (
            "exclusiveMaximum" in schema and v >= schema["exclusiveMaximum"]
        ):
            continue
        out.append(n)
    return out


def _value(dec: Decoder, name: str, schema: dict[str, Any], hints: Hints) -> None:
    kind = schema.get("type")
    if "enum" in schema:
        dec.choose([json.dumps(v) for v in schema["enum"]])
    elif "const" in schema:
        dec.choose([json.dumps(schema["const"])])
    elif kind == "boolean":
        dec.choose(["true", "false"])
    elif kind in ("number", "integer"):
        nums = fitting_numbers(schema, hints.numbers)
        if nums:
            dec.choose(nums)
        else:
            value = dec.free(_end_of_number, 8, _FREE)
            try:
                float(value)
            except ValueError:
                dec.text = dec.text[: len(dec.text) - len(value)] + "1"
    elif kind == "array":
        _array(dec, name, schema, hints)
    else:  # string (and anything else, written as a string)
        _string(dec, name, hints, 48 if name == "query" else 64)


def _array(dec: Decoder, name: str, schema: dict[str, Any], hints: Hints) -> None:
    lo, hi = max(1, schema.get("minItems", 0)), schema.get("maxItems", 8)
    item_name = "product_id" if name.endswith("_ids") else name
    dec.sync(dec.text + "[")
    used: list[str] = []
    while len(used) < hi:
        if used and len(used) >= lo and dec.choose([",", "]"]) == "]":
            return
        if used and len(used) < lo:
            dec.sync(dec.text + ",")
        if item_name in ID_ARGS and hints.ids:
            left = [i for i in hints.ids if i not in used] or hints.ids
            used.append(json.loads(dec.choose([json.dumps(i, ensure_ascii=False) for i in left])))
        else:
            used.append(_string(dec, item_name, hints, 24))
    dec.sync(dec.text + "]")


def guided_turn(
    dec: Decoder, tools: dict[str, dict[str, Any]], hints: Hints, allow_answer: bool = True
) -> tuple[str, dict[str, Any]] | None:
    """Decode a tool call under constraints; None when the model chooses NO_TOOL."""
    heads = {f'{TOOL_OPEN}{{"name":{json.dumps(n)}': n for n in tools}
    choice = dec.choose(list(heads) + ([NO_TOOL] if allow_answer else []))
    if choice == NO_TOOL:
        return None
    name = heads[choice]
    params = tools[name] or {}
    defs = params.get("$defs", {})
    props = {k: resolve(v, defs) for k, v in (params.get("properties") or {}).items()}
    required = set(params.get("required") or [])
    dec.sync(dec.text + ',"arguments":{')
    used: list[str] = []
    while True:
        missing = [p for p in props if p in required and p not in used]
        options = {}
        for p in props:
            numeric = props[p].get("type") in ("number", "integer")
            if numeric and hints.numbers and not fitting_numbers(props[p], hints.numbers):
                continue  # the shopper's numbers cannot be this argument (e.g. an order number as k)
            if p not in used and (p in required or allowed_argument(name, p, hints)):
                options[f"{',' if used else ''}{json.dumps(p)}:"] = p
        close = "}}" + TOOL_CLOSE
        if not missing:
            options[close] = ""
        picked = dec.choose(list(options)) if options else dec.choose([close])
        if picked == close:
            break
        arg = options[picked]
        used.append(arg)
        _value(dec, arg, props[arg], hints)
    body = dec.text[dec.text.index(TOOL_OPEN) + len(TOOL_OPEN) : -len(TOOL_CLOSE)]
    call = json.loads(body)  # valid by construction; a failure here is a bug worth surfacing
    return call["name"], call["arguments"]
