"""A case's own checks on an answer (`shopassist eval answers-score`), and the report over a set.

Checks (all optional, in a label's "check"): `chosen` (the first citation), `among` (every id a
tool got is one of these), `allowed_tools` / `forbid`, `orders` (order ids named are the
shopper's own) with `newest`, `no_ids` (ids that must not reach a tool), `no_match` (true: an
honest "couldn't find" citing nothing; false: products presented), `cites` (ids that must all be
cited), `contains` (strings that must all be in the answer) and `contains_any` (at least one).
"""

from __future__ import annotations

import re
import statistics
from collections import Counter, defaultdict
from typing import Any

from typing_extensions import TypedDict

_CITE = re.compile(r"\[([^\[\]\s]{1,64})\]")
_ORDER = re.compile(r"#W\d{5,}")
_NOT_FOUND = re.compile(r"couldn't find|could not find|no products|don't have|do not have", re.I)
ID_ARGS = ("product_id", "product_ids", "order_id")


class HalfReport(TypedDict):
    """The scores of one half (tune / report / all) of an answer set."""

    cases: int
    checks_passed: float
    by_kind: dict[str, str]
    written_by_model: float
    model_written_and_grounded: float
    ungrounded_answers: int
    latency_ms_p50: float


def _id_values(call: dict[str, Any]) -> list[str]:
    args = call.get("arguments") or {}
    out: list[str] = []
    for key in ID_ARGS:
        value = args.get(key)
        out += [str(v) for v in value] if isinstance(value, list) else [str(value)] * (key in args)
    return out


def _call_failures(calls: list[dict[str, Any]], check: dict[str, Any]) -> list[str]:
    out = []
    if "allowed_tools" in check and any(c["name"] not in check["allowed_tools"] for c in calls):
        out.append(f"called {[c['name'] for c in calls]}")
    if "among" in check:
        stray = [i for c in calls for i in _id_values(c) if i not in check["among"]]
        if stray:
            out.append(f"ids outside the shown products: {stray}")
    if any(c["name"] in check.get("forbid", ()) for c in calls):
        out.append(f"called a forbidden tool: {[c['name'] for c in calls]}")
    bad = {i.lstrip("#").lower() for i in check.get("no_ids", ())}
    invented = [i for c in calls for i in _id_values(c) if i.lstrip("#").lower() in bad]
    if invented:
        out.append(f"invented ids reached a tool: {invented}")
    return out


def failures(pred: dict[str, Any], check: dict[str, Any]) -> list[str]:
    """What the prediction gets wrong against the case's own checks (empty: it passes)."""
    answer, calls = pred.get("answer", ""), pred.get("tool_calls") or []
    out = _call_failures(calls, check)
    cited = _CITE.findall(answer)
    if "chosen" in check and (not cited or cited[0] != check["chosen"]):
        out.append(f"chose {cited[:1]} not {check['chosen']}")
    missing = [i for i in check.get("cites", ()) if i not in cited]
    if missing:
        out.append(f"does not cite {missing}")
    if "orders" in check:
        said = _ORDER.findall(answer)
        if not said or any(o not in check["orders"] for o in said):
            out.append(f"orders named {said[:3]}")
        if "newest" in check and said[:1] != [check["newest"]]:
            out.append(f"newest named {said[:1]} not {check['newest']}")
    low = answer.lower()
    absent = [s for s in check.get("contains", ()) if s.lower() not in low]
    if absent:
        out.append(f"does not say {absent}")
    if check.get("contains_any") and not any(s.lower() in low for s in check["contains_any"]):
        out.append(f"says none of {check['contains_any'][:4]}")
    if check.get("no_match") is True and (cited or not _NOT_FOUND.search(answer)):
        out.append("presented products for a request the catalog cannot answer")
    if check.get("no_match") is False and not pred.get("cited_product_ids"):
        out.append("no products presented for a request the catalog answers")
    return out


def _half(rows: list[tuple[dict[str, Any], dict[str, Any], list[str]]]) -> HalfReport:
    kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for _pred, lab, why in rows:
        kinds[lab["kind"]][0] += not why
        kinds[lab["kind"]][1] += 1
    n = max(1, len(rows))
    preds = [p for p, _, _ in rows]
    latencies = [float(p.get("latency_ms") or 0.0) for p in preds] or [0.0]
    return HalfReport(
        cases=len(rows),
        checks_passed=round(sum(not why for _, _, why in rows) / n, 3),
        by_kind={k: f"{v[0]}/{v[1]}" for k, v in sorted(kinds.items())},
        written_by_model=round(sum(p.get("writer") == "model" for p in preds) / n, 3),
        model_written_and_grounded=round(
            sum(p.get("writer") == "model" and p.get("grounded", False) for p in preds) / n, 3
        ),
        ungrounded_answers=sum(not p.get("grounded", True) for p in preds),
        latency_ms_p50=round(statistics.median(latencies), 1),
    )


def answer_report(
    preds: dict[str, dict[str, Any]], labels: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """Check pass rates, the share written by the model, grounding and latency by half; misses."""
    halves: dict[str, list[tuple[dict[str, Any], dict[str, Any], list[str]]]] = defaultdict(list)
    misses = []
    writers: Counter[str] = Counter()
    for cid, lab in labels.items():
        pred = preds.get(cid, {})
        why = failures(pred, lab.get("check") or {})
        if not pred:
            why = ["no prediction", *why]
        writers[str(pred.get("writer", "none"))] += 1
        for key in (lab.get("set", "all"), "all"):
            halves[key].append((pred, lab, why))
        if why:
            misses.append({"id": cid, "set": lab.get("set"), "kind": lab["kind"], "why": why})
    return {
        "halves": {k: _half(v) for k, v in sorted(halves.items())},
        "writers": dict(writers),
        "misses": misses,
    }
