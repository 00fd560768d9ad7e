"""The constrained tool-call decoding of `guided.py`, written as a llama.cpp GBNF grammar.

Built per request from the bound tools and the conversation, so llama.cpp's own grammar
sampler enforces what the in-process decoder enforces by hand: a contract tool name or
NO_TOOL; each argument name at most once, only those the request can justify, required ones
before the call closes; enum / boolean values; numbers the shopper wrote; ids from the
conversation; brand and category names from the catalog that the message names; copied
arguments (query, question, reason) spelled only with pieces of the shopper's words.

Sets of strings become character tries (`"r" ("ice" | "ed")`), so the sampler follows one
grammar stack per distinct next character instead of one per string.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from assistant.llm.guided import COPY_ARGS, ID_ARGS, fitting_numbers, resolve
from assistant.tools.arguments import Hints, allowed_argument
from finetune.format import NO_TOOL, TOOL_CLOSE, TOOL_OPEN

MAX_ORDERED_ARGS = 9  # above this many candidate arguments, their order/uniqueness is not enforced
MAX_ORDERED_IDS = 6  # likewise for the ids of an array (each id at most once)
ARGS_OPEN = ',"arguments":{'
CLOSE = "}}" + TOOL_CLOSE
Pieces = Callable[[str], Iterable[str]]  # text -> the strings its tokens (and words) spell


def literal(text: str) -> str:
    """A GBNF string literal."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\t":
            out.append("\\t")
        elif ord(ch) < 0x20:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def _common_prefix(strings: list[str]) -> str:
    first, last = min(strings), max(strings)
    n = 0
    while n < len(first) and first[n] == last[n]:
        n += 1
    return first[:n]


def one_of(strings: Iterable[str]) -> str:
    """A GBNF expression matching exactly one of the strings, as a character trie."""
    items = sorted(set(strings))
    if not items:
        raise ValueError("one_of needs at least one string")
    optional = "" in items
    rest = [s for s in items if s]
    if not rest:
        return '""'
    groups: dict[str, list[str]] = {}
    for s in rest:
        groups.setdefault(s[0], []).append(s)
    alts = []
    for group in groups.values():
        head = _common_prefix(group)
        tails = [s[len(head) :] for s in group]
        alts.append(literal(head) if tails == [""] else f"{literal(head)} {one_of(tails)}")
    body = " | ".join(alts)
    if optional:
        return f"({body})?"
    return f"({body})" if len(alts) > 1 else body


def _rule_name(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower() or "x"


class _Rules:
    """An ordered set of GBNF rules with unique names."""

    def __init__(self) -> None:
        self.rules: dict[str, str] = {}

    def add(self, name: str, body: str) -> str:
        base, n = _rule_name(name), 1
        name = base
        while name in self.rules:
            n += 1
            name = f"{base}-{n}"
        self.rules[name] = body
        return name

    def text(self) -> str:
        return "\n".join(f"{name} ::= {body}" for name, body in self.rules.items()) + "\n"


# no quote, backslash, control character or '<' (a string never spells </tool> or <|im_end|>)
FREE_CHAR = r'[^"\\\x00-\x1f<]'


class CallGrammar:
    """The GBNF of one assistant turn: NO_TOOL, or a call to one of `tools`."""

    def __init__(
        self, tools: dict[str, dict[str, Any]], hints: Hints, pieces: Pieces | None = None
    ) -> None:
        self.tools, self.hints, self.pieces = tools, hints, pieces
        self._copy_rule: str | None = None

    def heads(self) -> dict[str, str]:
        """Text that opens a call of each tool, by tool name (what `guided_turn` chooses)."""
        return {n: f'{TOOL_OPEN}{{"name":{json.dumps(n)}' for n in self.tools}

    def turn(self, allow_answer: bool = True) -> str:
        """The whole turn: NO_TOOL (when allowed) or any tool's call, arguments included."""
        r = _Rules()
        root = r.add("root", "")
        alts = [literal(NO_TOOL)] if allow_answer else []
        for name, head in self.heads().items():
            alts.append(f"{literal(head + ARGS_OPEN)} {self._arguments(r, name)}")
        r.rules[root] = " | ".join(alts)
        return r.text()

    def choice(self, allow_answer: bool = True) -> str:
        """Only the decision: NO_TOOL or the head of a call (`<tool>{"name":"..."`)."""
        heads = list(self.heads().values()) + ([NO_TOOL] if allow_answer else [])
        return f"root ::= {one_of(heads)}\n"

    def arguments(self, name: str) -> str:
        """The rest of a call of `name` after its head and `,"arguments":{`."""
        r = _Rules()
        root = r.add("root", "")
        r.rules[root] = self._arguments(r, name)
        return r.text()

    # --- arguments -----------------------------------------------------------------------
    def candidates(self, name: str) -> tuple[dict[str, dict[str, Any]], set[str]]:
        """(argument -> resolved schema) the request can justify, and the required names."""
        params = self.tools[name] or {}
        defs = params.get("$defs", {})
        props = {k: resolve(v, defs) for k, v in (params.get("properties") or {}).items()}
        required = set(params.get("required") or [])
        hints = self.hints
        out = {}
        for p, schema in props.items():
            numeric = schema.get("type") in ("number", "integer")
            if numeric and hints.numbers and not fitting_numbers(schema, hints.numbers):
                continue  # the shopper's numbers cannot be this argument
            if p in required or allowed_argument(name, p, hints):
                out[p] = schema
        return out, required & set(out)

    def _arguments(self, r: _Rules, name: str) -> str:
        props, required = self.candidates(name)
        pairs = {
            p: r.add(f"{name}-{p}", f"{literal(json.dumps(p) + ':')} {self._value(r, p, s)}")
            for p, s in props.items()
        }
        if not pairs:
            return literal(CLOSE)
        if len(pairs) > MAX_ORDERED_ARGS:  # any order, repeats not excluded
            anyone = r.add(f"{name}-arg", " | ".join(pairs.values()))
            more = r.add(f"{name}-more", "")
            r.rules[more] = f'"," {anyone} {more} | {literal(CLOSE)}'
            return f"{anyone} {more}"
        order = list(pairs)
        states: dict[frozenset[str], str] = {}

        def state(used: frozenset[str]) -> str:
            """The rule after the arguments in `used`: another unused one, or the close."""
            if used in states:
                return states[used]
            rule = r.add(f"{name}-s-" + "-".join(sorted(used)) if used else f"{name}-s", "")
            states[used] = rule
            left = [p for p in order if p not in used]
            sep = '"," ' if used else ""
            alts = [f"{sep}{pairs[p]} {state(used | {p})}" for p in left]
            if required <= used or not left:
                alts.append(literal(CLOSE))
            r.rules[rule] = " | ".join(alts)
            return rule

        return state(frozenset())

    def _value(self, r: _Rules, name: str, schema: dict[str, Any]) -> str:
        kind = schema.get("type")
        if "enum" in schema:
            return one_of(json.dumps(v) for v in schema["enum"])
        if "const" in schema:
            return literal(json.dumps(schema["const"]))
        if kind == "boolean":
            return one_of(["true", "false"])
        if kind in ("number", "integer"):
            nums = fitting_numbers(schema, self.hints.numbers)
            if nums:
                return one_of(nums)
            frac = "" if kind == "integer" else ' ("." [0-9]{1,2})?'
            return f'"-"? [0-9]{{1,7}}{frac}'
        if kind == "array":
            return self._array(r, name, schema)
        return self._string(r, name, 48 if name == "query" else 64, schema.get("maxLength"))

    def _string(self, r: _Rules, name: str, max_pieces: int, max_chars: int | None) -> str:
        hints = self.hints
        if name in ID_ARGS and hints.ids:
            return one_of(json.dumps(i, ensure_ascii=False) for i in hints.ids)
        if name == "brand" and hints.brands is not None and (brand := hints.brand_in_text()):
            return literal(json.dumps(brand, ensure_ascii=False))
        if (
            name == "category"
            and hints.categories is not None
            and (cat := hints.category_in_text())
        ):
            return literal(json.dumps(cat, ensure_ascii=False))
        if name in COPY_ARGS and hints.user_text and self.pieces is not None:
            return f'"\\"" {self._copy(r)}{{1,{max_pieces}}} "\\""'
        # the contract's maxLength bounds free text, so a decoded call always validates
        most = min(max_pieces * 3, max_chars or max_pieces * 3)
        return f'"\\"" {FREE_CHAR}{{1,{most}}} "\\""'

    def _copy(self, r: _Rules) -> str:
        """A rule for one piece of the shopper's words (what copied strings are made of)."""
        if self._copy_rule is None:
            assert self.pieces is not None
            ok = {
                p
                for p in self.pieces(self.hints.user_text)
                if p and not re.search(r'["\\\x00-\x1f<]', p)
            }
            self._copy_rule = r.add("copy-piece", one_of(ok) if ok else FREE_CHAR)
        return self._copy_rule

    def _array(self, r: _Rules, name: str, schema: dict[str, Any]) -> str:
        lo, hi = max(1, schema.get("minItems", 0)), max(1, schema.get("maxItems", 8))
        item_name = "product_id" if name.endswith("_ids") else name
        ids = self.hints.ids if item_name in ID_ARGS else []
        if ids and lo <= len(ids) <= MAX_ORDERED_IDS:
            return self._distinct_ids(r, name, ids, lo, hi)
        most = (schema.get("items") or {}).get("maxLength")
        item = r.add(f"{name}-item", self._string(r, item_name, 24, most))
        more = f'("," {item}){{{lo - 1},{hi - 1}}}' if hi > 1 else ""
        return f'"[" {item} {more} "]"'.replace("  ", " ")

    def _distinct_ids(self, r: _Rules, name: str, ids: list[str], lo: int, hi: int) -> str:
        """An array of ids, each at most once, between lo and hi of them."""
        states: dict[frozenset[str], str] = {}

        def state(used: frozenset[str]) -> str:
            if used in states:
                return states[used]
            rule = r.add(f"{name}-ids-{len(states)}", "")
            states[used] = rule
            alts = []
            if len(used) < hi:
                sep = '"," ' if used else ""
                alts += [
                    f"{sep}{literal(json.dumps(i, ensure_ascii=False))} {state(used | {i})}"
                    for i in ids
                    if i not in used
                ]
            if len(used) >= lo:
                alts.append('"]"')
            r.rules[rule] = " | ".join(alts)
            return rule

        return f'"[" {state(frozenset())}'


def word_pieces(text: str, token_pieces: Callable[[str], list[str]]) -> set[str]:
    """What a copied argument may be spelled with: the token strings of the text, lower-cased
    too, and of each word with or without a leading space (as `copy_token_ids` allows), plus
    the whole words themselves."""
    out: set[str] = set()
    for variant in {text, text.lower()}:
        out.update(token_pieces(variant))
        for word in variant.split():
            for form in (word, " " + word):
                out.add(form)
                out.update(token_pieces(form))
    return out
