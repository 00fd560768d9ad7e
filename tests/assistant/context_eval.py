"""Answer checks of the held-out context cases (tests/assistant/data/context): a choice made among
the shown products, the shopper's own orders named without an id, no invented id in a tool
argument, and an honest no-match. Scores a PRED.jsonl written by `shopassist eval assistant`.

    python -m tests.assistant.context_eval PRED.jsonl tests/assistant/data/context/labels.jsonl
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from assistant.services.answer_checks import failures
from assistant.services.evaluation import read_labels, score


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
