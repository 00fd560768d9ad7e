"""Answer checks of the held-out context cases (tests/assistant/data/context): a choice made among
the shown products, the shopper's own orders named without an id, no invented id in a tool
argument, and an honest no-match. Scores a PRED.jsonl written by `shopassist eval assistant`.

    python -m tests.assistant.context_eval PRED.jsonl tests/assistant/data/context/labels.jsonl
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from assistant.services.evaluation import read_labels, score

_CITE = re.compile(r"\[([^\[\]\s]{1,64})\]")
_ORDER = re.compile(r"#W\d{5,}")
_NOT_FOUND = re.compile(r"couldn't find|could not find|no products|don't have|do not have", re.I)
ID_ARGS = ("product_id", "product_ids", "order_id")


def _id_values(call: dict[str, Any]) -> list[str]:
    args = call.get("arguments") or {}
    out: list[str] = []
    for key in ID_ARGS:
        value = args.get(key)
        out += [str(v) for v in value] if isinstance(value, list) else [str(value)] * (key in args)
    return out


def failures(pred: dict[str, Any], check: dict[str, Any]) -> list[str]:
    """What the prediction gets wrong against the case's own checks (empty: it passes)."""
    answer, calls = pred.get("answer", ""), pred.get("tool_calls") or []
    out: list[str] = []
    cited = _CITE.findall(answer)
    if "chosen" in check and (not cited or cited[0] != check["chosen"]):
        out.append(f"chose {cited[:1]} not {check['chosen']}")
    if "allowed_tools" in check and any(c["name"] not in check["allowed_tools"] for c in calls):
        out.append(f"called {[c['name'] for c in calls]}")
    if "among" in check:
        stray = [i for c in calls for i in _id_values(c) if i not in check["among"]]
        if stray:
            out.append(f"ids outside the shown products: {stray}")
    if "orders" in check:
        said = _ORDER.findall(answer)
        if not said or any(o not in check["orders"] for o in said):
            out.append(f"orders named {said[:3]}")
        if "newest" in check and said[:1] != [check["newest"]]:
            out.append(f"newest named {said[:1]} not {check['newest']}")
    if any(c["name"] in check.get("forbid", ()) for c in calls):
        out.append(f"called a forbidden tool: {[c['name'] for c in calls]}")
    bad = {i.lstrip("#").lower() for i in check.get("no_ids", ())}
    invented = [i for c in calls for i in _id_values(c) if i.lstrip("#").lower() in bad]
    if invented:
        out.append(f"invented ids reached a tool: {invented}")
    if check.get("no_match") is True and (cited or not _NOT_FOUND.search(answer)):
        out.append("presented products for a request the catalog cannot answer")
    if check.get("no_match") is False and not pred.get("cited_product_ids"):
        out.append("no products presented for a request the catalog answers")
    return out


def report(pred_path: Path, labels_path: Path) -> dict[str, Any]:
    """Answer-check pass rates by set and kind, the first-call scores, and the misses."""
    preds = {}
    for line in pred_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            obj = json.loads(line)
            preds[str(obj["id"])] = obj
    labels = read_labels(labels_path)
    passed: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    misses = []
    for cid, lab in labels.items():
        why = failures(preds.get(cid, {}), lab.get("check") or {})
        for key in (lab["set"], "all"):
            for kind in (lab["kind"], "all"):
                passed[key][kind][0] += not why
                passed[key][kind][1] += 1
        if why:
            misses.append({"id": cid, "set": lab["set"], "why": why})
    checks = {
        s: {k: f"{v[0]}/{v[1]} = {v[0] / v[1]:.3f}" for k, v in sorted(kinds.items())}
        for s, kinds in sorted(passed.items())
    }
    return {"answer_checks": checks, "first_call": score(preds, labels), "misses": misses}


def main() -> None:
    """Print the report as JSON."""
    json.dump(report(Path(sys.argv[1]), Path(sys.argv[2])), sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
