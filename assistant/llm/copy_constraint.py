"""The copy rule of written answers, enforced token by token while the answer is decoded.

Outside the fact spans of this turn's tool results an answer may use only lower-case letters,
spaces, plain punctuation and a short list of capitalised sentence openers. A digit, a currency
sign, '%', '#', '[' or any other capitalised word can only be emitted inside one of the spans
(ids in brackets, titles, brands, prices with their sign, ratings, order ids, dates, policy
sentences), so every fact the model writes is a copied one. A span ends at a separator or at the
end of the answer, so two spans never glue into a new number ("₹182" + "3").

The rule is a small automaton over UTF-8 bytes (a token may hold half of '₹'); a greedy decoder
asks it about the model's best tokens in order and takes the first one it accepts. A llama.cpp
GBNF grammar of the same rule was measured first: llama.cpp filters the whole 49k vocabulary
through it whenever the best token is refused, 5-10 s per token on a busy 2-core machine.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

FREE = frozenset(b"abcdefghijklmnopqrstuvwxyz ,.;:!?'()/&\"-")
SEPARATORS = frozenset(b" ,.;:!?'()/&\"-")
_BOUNDARY, _NEED_SEP = (0, 0, 0), (1, 0, 0)  # threads: between items / right after a span
State = frozenset[tuple[int, int, int]]  # (2, span index, bytes matched) inside a span
RANKED = 64  # the model's best tokens asked per step before the answer is ended


class CopyRule:
    """The automaton of one answer: spans (facts) and openers (capitalised words) copied whole."""

    def __init__(self, spans: Iterable[str], openers: Iterable[str] = ()) -> None:
        items = {s for s in spans if s and s.strip()} | {w for w in openers if w}
        self.spans: list[bytes] = sorted(s.encode("utf-8") for s in items)
        self._first: dict[int, list[int]] = {}
        for i, s in enumerate(self.spans):
            self._first.setdefault(s[0], []).append(i)

    def start(self) -> State:
        """The state before the first byte."""
        return frozenset({_BOUNDARY})

    def _open(self, b: int, out: set[tuple[int, int, int]]) -> None:
        for i in self._first.get(b, ()):
            out.add(_NEED_SEP if len(self.spans[i]) == 1 else (2, i, 1))

    def step(self, state: State, data: bytes) -> State | None:
        """The state after data, or None when data breaks the rule."""
        for b in data:
            nxt: set[tuple[int, int, int]] = set()
            for t in state:
                if t == _BOUNDARY:
                    if b in FREE:
                        nxt.add(_BOUNDARY)
                    self._open(b, nxt)
                elif t == _NEED_SEP:
                    if b in SEPARATORS:
                        nxt.add(_BOUNDARY)
                else:
                    span, pos = self.spans[t[1]], t[2]
                    if span[pos] == b:
                        nxt.add(_NEED_SEP if pos + 1 == len(span) else (2, t[1], pos + 1))
            if not nxt:
                return None
            state = frozenset(nxt)
        return state

    def can_end(self, state: State) -> bool:
        """True when the answer may end here (not inside a span)."""
        return _BOUNDARY in state or _NEED_SEP in state

    def accepts(self, text: str) -> bool:
        """True when a whole answer keeps the rule."""
        state = self.step(self.start(), text.encode("utf-8"))
        return state is not None and self.can_end(state)


LeadState = tuple[
    State, int, bytes
]  # the copy rule's state, lead bytes matched (-1: left it), tail


class LeadRule(CopyRule):
    """The copy rule, and once the answer is the lead copied byte for byte, only its end or one
    of the given sentences after a space: the writer chooses what to add after the decided lead
    among sentences that are true of the results, and cannot add a claim that is not (each of
    its facts copied, the claim false: "the cheapest is X"). An answer that rewords the lead
    keeps the plain copy rule (the agent's check decides on it)."""

    def __init__(
        self, spans: Iterable[str], openers: Iterable[str], lead: str, tails: Iterable[str]
    ) -> None:
        super().__init__(spans, openers)
        self.lead = lead.encode("utf-8")
        after = {(" " + t.strip()).encode("utf-8") for t in tails if t.strip()}
        self.tails = sorted(t for t in after if self._copies(self.lead + t))

    def _copies(self, data: bytes) -> bool:
        """The plain copy rule's verdict on a whole answer."""
        state = CopyRule.step(self, CopyRule.start(self), data)
        return state is not None and CopyRule.can_end(self, state)

    def start(self) -> LeadState:  # type: ignore[override]
        """The state before the first byte."""
        return (super().start(), 0, b"")

    def step(self, state: LeadState, data: bytes) -> LeadState | None:  # type: ignore[override]
        """The state after data, or None when data breaks the rule."""
        inner, matched, tail = state
        for b in data:
            if matched == len(self.lead):  # the lead is written: one of the tails, or the end
                tail += bytes([b])
                if not any(t.startswith(tail) for t in self.tails):
                    return None
                continue
            if matched >= 0:
                matched = matched + 1 if self.lead[matched] == b else -1
            nxt = super().step(inner, bytes([b]))
            if nxt is None:
                return None
            inner = nxt
        return (inner, matched, tail)

    def can_end(self, state: LeadState) -> bool:  # type: ignore[override]
        """True when the answer may end here: after the lead, or after the whole tail."""
        inner, matched, tail = state
        if matched == len(self.lead):
            return not tail or tail in self.tails
        return super().can_end(inner)


class CopyChooser:
    """Greedy choice under a CopyRule: the best-scored token the rule accepts (or the end)."""

    def __init__(
        self, rule: CopyRule, piece: Callable[[int], bytes], is_end: Callable[[int], bool]
    ) -> None:
        self.rule, self.piece, self.is_end = rule, piece, is_end
        self.state = rule.start()

    def choose(self, ranked: Sequence[int], end_token: int) -> int:
        """The first of the ranked token ids the rule accepts; end_token when none is."""
        for tok in ranked:
            if self.is_end(tok):
                if self.rule.can_end(self.state):
                    return tok
                continue
            data = self.piece(tok)
            nxt = self.rule.step(self.state, data) if data else None
            if nxt is not None:
                self.state = nxt
                return tok
        return end_token
