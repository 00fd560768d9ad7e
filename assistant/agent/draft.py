"""The decided lead of an answer: what the template answer says first, for the writer to word.

What to say stays with the code that decides it well: the templates (`agent.compose`, with
`agent.choice` and `agent.asked`) lead with the chosen product, the asked attribute, the
deciding difference, the order's status, the honest no-match or the policy sentence. `lead()`
takes that opening from the template answer of this turn's main result: the first line (a
list's heading joined with its first item), cut after the sentence that holds the line's first
citation, and the next line too while no fact was said; for products compared without a
choice, the verdict lines (cheaper, better rated).

The writer's prompt carries the lead (`finetune.answers`) and the writer copies it, then adds
one sentence of its own; `keeps_lead()` is the runtime's test that a written answer still says
every fact of the lead, with the same product first. Pure functions over plain
(tool name, result) pairs, so the SFT data builder and the runtime share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Set
from typing import Any, cast

from assistant.agent.compose import COMPOSERS, compose
from assistant.agent.grounding import split_sentences, words
from assistant.tools.contract import CART_TOOLS
from assistant.tools.registry import ToolOutcome

Result = tuple[str, Mapping[str, Any]]
SIDE_BY_SIDE = "Side by side:"
_MARKER = re.compile(r"^(?:\d+\.|-)\s+")
_CITE = re.compile(r"\[([^\[\]\s]{1,64})\]")
# The facts a lead states, in the order a reader meets them: citations, order ids, prices,
# ratings (a number in a title is part of the name: the citation stands for it).
_FACT = re.compile(
    r"\[[^\[\]\s]{1,64}\]|#[A-Za-z]*\d[A-Za-z0-9]{3,}|₹\d[\d,]*(?:\.\d+)?|\d+(?:\.\d+)?/5"
)
_ABBREVIATION = re.compile(r"\b[A-Z][a-z]{0,2}\.$")  # "Dr." or "St." does not end a sentence
_KEEP_WORDS = 0.6  # a lead without facts: the share of its words a written answer must keep
_STOP = frozenset(
    """a an the this that these those it its one ones and or of for with in on at to from by is
    are was which what who how why me my i you your we our do does can could would should will
    need want get go pick choose recommend suggest best better good more most less one's them
    they any some out between among have has had be there here than then please tell show""".split()
)


def stem_words(text: str) -> set[str]:
    """Content words of a text, lower-case, a trailing plural 's' dropped."""
    out = set()
    for w in words(text):
        if w in _STOP or w.isdigit() or len(w) < 3:
            continue
        out.add(w[:-1] if w.endswith("s") and len(w) > 3 else w)
    return out


def main_result(results: Iterable[Result]) -> Result | None:
    """The result the answer opens with: of the last result of each answered tool, the first
    in call order (the order `compose` tells them in); None when there is none."""
    latest: dict[str, Mapping[str, Any]] = {}
    for name, result in results:
        if name in COMPOSERS and name not in CART_TOOLS:
            latest.pop(name, None)
            latest[name] = result
    return next(iter(latest.items()), None)


def sentences(line: str) -> list[str]:
    """The sentences of one line; a piece ending in an abbreviation joins the next."""
    out: list[str] = []
    for piece in split_sentences(line):
        if out and _ABBREVIATION.search(out[-1]):
            out[-1] = f"{out[-1]} {piece}"
        else:
            out.append(piece)
    return out


def _opening(line: str) -> str:
    """The line's sentences up to the one that holds its first citation (its first sentence
    when it cites nothing): 'None of the 3 shown mentions kids. Of them I'd go for X [7]: ...'
    keeps both, the pick is in the second."""
    said = sentences(line)
    if not said:
        return ""
    if _CITE.search(line):
        for i, s in enumerate(said):
            if _CITE.search(s):
                return " ".join(said[: i + 1])
    return said[0]


def lead_of(name: str, text: str) -> str:
    """The lead of one tool's template answer (text composed from that tool's result alone)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if not lines:
        return ""
    if name == "compare_products" and lines[0] == SIDE_BY_SIDE:
        verdict = [ln for ln in lines[1:] if not _MARKER.match(ln)]
        if verdict:
            return " ".join(verdict)
    head, rest = "", lines
    while rest and not facts_of(head):  # a line without facts ("I can't tell which order
        line, rest = rest[0], rest[1:]  # came last: ...") takes the next one
        if line.endswith(":") and rest:  # a list's heading: with its first item
            line, rest = f"{line} {_MARKER.sub('', rest[0])}", rest[1:]
        line = _opening(line)
        head = f"{head} {_end(line)}".strip()
    return _end(head)


def _end(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else text + "."


def lead(question: str, results: Iterable[Result], vocabulary: Set[str] = frozenset()) -> str:
    """The decided lead of this turn's answer ("" when no result is one the templates word)."""
    main = main_result(results)
    if main is None:
        return ""
    name, result = main
    if name == "search_policy" and (quoted := policy_lead(question, result)):
        return quoted
    outcome = ToolOutcome(name, {}, True, cast(Any, dict(result)))
    return lead_of(name, compose([outcome], question, vocabulary))


def policy_lead(question: str, result: Mapping[str, Any]) -> str | None:
    """The policy sentence that answers the question, when it is not the best passage's first:
    the passage's highlight (its sentence most similar to the question, from the policy
    search), else the sentence of the returned passages sharing the most content words with
    the question. None: the first sentence does as well, and the template's lead stands."""
    passages = [p for p in result.get("passages") or [] if isinstance(p, Mapping)]
    if not passages:
        return None
    asked = stem_words(question)
    quoted: list[tuple[int, str, str]] = []  # (words shared, section, sentence) in rank order
    for passage in passages:
        section = str(passage.get("section") or passage.get("title") or "")
        for said in sentences(" ".join(str(passage.get("text", "")).split())):
            quoted.append((len(asked & stem_words(said)), section, said))
    if not quoted:
        return None
    highlight = " ".join(str(passages[0].get("highlight") or "").split())
    if highlight:
        section, said = quoted[0][1], highlight
    else:
        shared, section, said = max(quoted, key=lambda q: q[0])  # max keeps the first of ties
        if shared <= quoted[0][0]:
            return None
    if said == quoted[0][2]:
        return None
    source = f"From the store policy ({section})" if section else "From the store policy"
    return _end(f"{source}: {said}")


def lead_sentences(text: str) -> list[str]:
    """The lead and each of its sentences: the writer may copy them whole (they are grounded by
    construction, like the template they come from)."""
    return [text, *sentences(text)] if text.strip() else []


def facts_of(text: str) -> list[str]:
    """The facts a text states, in order: [ids], order ids, prices, ratings."""
    return _FACT.findall(text)


def cited(text: str) -> list[str]:
    """The product ids a text cites, in order."""
    return _CITE.findall(text)


def _plain(text: str) -> str:
    return " ".join(text.lower().replace(" also ", " ").split()).rstrip(".!? ")


def listed_rest(template: str, written: str) -> list[str]:
    """The template's list lines a written answer leaves out and no product card shows: a
    written answer words the lead, and an order list's other orders must still be told (a
    product list's other items are shown as cards)."""
    said = set(facts_of(written))
    lines = [ln.strip() for ln in template.splitlines() if _MARKER.match(ln.strip())]
    # a line's first fact names it (an order's id): other facts, a total, may repeat
    return [
        ln for ln in lines if not cited(ln) and facts_of(ln)[:1] and facts_of(ln)[0] not in said
    ]


def keeps_draft(written: str, lead_text: str, tails: Iterable[str]) -> bool:
    """True when a written answer is the lead (`keeps_lead`), then nothing or one of the
    sentences true of the results (tails: `finetune.follow_up.true_sentences`): a sentence of
    the writer's own that claims something else ("the cheapest is ...") is not taken on trust."""
    said, n = sentences(written), len(sentences(lead_text))
    head, tail = " ".join(said[:n]), " ".join(said[n:])
    return keeps_lead(head, lead_text) and _plain(tail) in {"", *map(_plain, tails)}


def keeps_lead(written: str, lead_text: str) -> bool:
    """True when a written answer keeps the decided lead: it cites the same product first (or,
    like the lead, none) and states every fact of the lead; a lead without facts (a policy
    sentence) keeps most of its words."""
    if not lead_text.strip():
        return True
    if cited(written)[:1] != cited(lead_text)[:1]:
        return False
    facts = facts_of(lead_text)
    if facts:
        said = set(facts_of(written))
        return all(f in said for f in facts)
    wanted = set(words(lead_text))
    return len(wanted & set(words(written))) >= _KEEP_WORDS * len(wanted)
