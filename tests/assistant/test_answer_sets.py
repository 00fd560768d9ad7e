"""The answer sets' builder: the checked-in sets are what their scripts build from the shared
data and their labels validate; validation catches a wrong label; the fresh set's phrasings are
its own."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from tests.assistant.data.answers import make_cases as old
from tests.assistant.data.answers.check_cases import validate
from tests.assistant.data.answers_fresh import make_cases as fresh

DATA = Path(__file__).with_name("data")


def _read(folder: str, name: str) -> list[dict]:
    lines = (DATA / folder / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_the_sets_in_the_repo_are_what_their_scripts_build_and_they_validate(shared_data):
    for folder, phrasing, plan in (("answers", old.PHRASING, None),
                                   ("answers_fresh", fresh.FRESH, fresh.PLAN)):  # fmt: skip
        cases, labels = old.build(shared_data, phrasing, plan)
        assert cases == _read(folder, "cases.jsonl") and labels == _read(folder, "labels.jsonl")
        assert validate(cases, labels, shared_data) == []
    assert len(cases) >= 100 and {lab["set"] for lab in labels} == {"report"}


def test_validation_catches_a_wrong_label(shared_data):
    cases, labels = _read("answers_fresh", "cases.jsonl"), _read("answers_fresh", "labels.jsonl")
    bad = copy.deepcopy(labels)
    by_kind = {lab["kind"]: lab for lab in bad}
    choice, attr, cmp = by_kind["choice"], by_kind["attribute"], by_kind["comparison"]
    choice["check"]["chosen"] = next(i for i in choice["check"]["among"]
                                     if i != choice["check"]["chosen"])  # fmt: skip
    attr["check"]["contains"] = ["₹0.01"]
    cmp["check"]["cites"] = ["99999", cmp["check"]["cites"][1]]
    by_kind["orders"]["check"]["orders"] = ["#W0000000"]
    by_kind["no_match"]["expected"][0]["arguments"]["query"] = "olive oil"
    by_kind["policy"]["check"]["contains_any"] = ["free shipping"]
    problems = validate(cases, bad, shared_data)
    assert {p.split(":")[0] for p in problems} == {
        lab["id"]
        for lab in (choice, attr, cmp, *(by_kind[k] for k in ("orders", "no_match", "policy")))
    }


def test_the_fresh_phrasings_share_no_template_with_the_first_set():
    fields = ("need_q", "cheap_q", "best_q", "price_q", "rating_q", "brand_q", "compare_q",
              "more_q", "why_q", "order_q", "no_match", "no_match_q", "match", "match_q")  # fmt: skip
    for name in fields:
        ours = {s.lower() for s in getattr(fresh.FRESH, name)}
        assert not ours & {s.lower() for s in getattr(old.PHRASING, name)}, name
    assert not {q for q, _ in fresh.FRESH.policy} & {q for q, _ in old.PHRASING.policy}
    assert not set(fresh.FRESH.needs) & set(old.PHRASING.needs)
