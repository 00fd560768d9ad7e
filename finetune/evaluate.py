"""Scores of predicted assistant turns against held-out examples (pure functions).

A prediction is ``{"tool": name | None, "arguments": dict | None, "answer": str | None,
"raw": str, "valid_json": bool}``. Metrics: tool-name accuracy (NO_TOOL counts as a name),
full-call accuracy (name and every argument), argument accuracy (per expected argument),
JSON validity of raw outputs, and groundedness of answers (every cited id and every number
in the answer appears in that turn's tool results).
"""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from finetune.format import ids_in_text


def _norm(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        return round(float(value), 2)
    if isinstance(value, str):
        return " ".join(value.lower().split()).strip(" ?.!")
    if isinstance(value, list):
        return [_norm(v) for v in value]
    return value


def args_match(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    """Same argument names and values (numbers as floats, strings case/space-insensitive)."""
    return {k: _norm(v) for k, v in expected.items()} == {k: _norm(v) for k, v in got.items()}


def arg_hits(expected: dict[str, Any], got: dict[str, Any]) -> tuple[int, int]:
    """(correct, total) over expected arguments plus any extra argument counted as wrong."""
    keys = set(expected) | set(got)
    return sum(_norm(expected.get(k)) == _norm(got.get(k)) for k in keys), len(keys)


def grounded(answer: str, context: str) -> bool:
    """True when every [id] and every number in the answer also appears in the context."""
    ctx_ids = set(ids_in_text(context))
    if any(i not in ctx_ids for i in ids_in_text(answer)):
        return False
    ctx_nums = {float(n) for n in re.findall(r"\d+(?:\.\d+)?", context)}
    no_ids = re.sub(r"\[[^\]]*\]", " ", answer)
    return all(float(n) in ctx_nums for n in re.findall(r"\d+(?:\.\d+)?", no_ids))


def score(examples: list[dict[str, Any]], predictions: list[dict[str, Any]]) -> dict[str, Any]:
    """Aggregate metrics (overall and per kind) of predictions aligned with examples."""
    if len(examples) != len(predictions):
        raise ValueError("examples and predictions differ in length")
    tot: dict[str, float] = defaultdict(float)
    kinds: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for ex, pred in zip(examples, predictions, strict=True):
        k = kinds[ex["kind"]]
        k["n"] += 1
        if ex["kind"] == "answer":
            ok = pred.get("answer") is not None and grounded(pred["answer"], ex.get("context", ""))
            tot["answers"] += 1
            tot["grounded"] += ok
            k["grounded"] += ok
            continue
        tot["calls"] += 1
        tot["valid_json"] += bool(pred.get("valid_json"))
        name_ok = ex["tool"] == pred.get("tool")
        full_ok = name_ok and (
            ex["tool"] is None or args_match(ex["arguments"] or {}, pred.get("arguments") or {})
        )
        tot["name"] += name_ok
        tot["full"] += full_ok
        k["name"] += name_ok
        k["full"] += full_ok
        if ex["tool"] is not None and name_ok:
            hit, n = arg_hits(ex["arguments"] or {}, pred.get("arguments") or {})
            tot["arg_hit"] += hit
            tot["arg_n"] += n
    calls, answers = max(1.0, tot["calls"]), tot["answers"]
    return {
        "examples": len(examples),
        "tool_name_accuracy": round(tot["name"] / calls, 4),
        "full_call_accuracy": round(tot["full"] / calls, 4),
        "argument_accuracy": round(tot["arg_hit"] / max(1.0, tot["arg_n"]), 4),
        "json_validity": round(tot["valid_json"] / calls, 4),
        "groundedness": round(tot["grounded"] / answers, 4) if answers else None,
        "per_kind": {
            kind: {m: round(v / d["n"], 3) if m != "n" else int(v) for m, v in d.items()}
            for kind, d in sorted(kinds.items())
        },
    }
