"""The answer sets' builder: the checked-in sets are what their scripts build from the shared
data and their labels validate; validation catches a wrong label; the fresh set's phrasings are
its own, the blind set's share nothing with either, and each later blind set's share nothing
with any set written before it."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from tests.assistant.data.answers import make_cases as old
from tests.assistant.data.answers.check_cases import validate
from tests.assistant.data.answers.make_cases import Phrasing
from tests.assistant.data.answers_blind import make_cases as blind
from tests.assistant.data.answers_blind2 import make_cases as blind2
from tests.assistant.data.answers_blind3 import make_cases as blind3
from tests.assistant.data.answers_blind4 import make_cases as blind4
from tests.assistant.data.answers_blind5 import make_cases as blind5
from tests.assistant.data.answers_blind6 import make_cases as blind6
from tests.assistant.data.answers_blind7 import make_cases as blind7
from tests.assistant.data.answers_blind8 import make_cases as blind8
from tests.assistant.data.answers_blind9 import make_cases as blind9
from tests.assistant.data.answers_blind10 import make_cases as blind10
from tests.assistant.data.answers_blind11 import make_cases as blind11
from tests.assistant.data.answers_blind12 import make_cases as blind12
from tests.assistant.data.answers_blind13 import make_cases as blind13
from tests.assistant.data.answers_blind14 import make_cases as blind14
from tests.assistant.data.answers_blind15 import make_cases as blind15
from tests.assistant.data.answers_blind16 import make_cases as blind16
from tests.assistant.data.answers_blind17 import make_cases as blind17
from tests.assistant.data.answers_blind18 import make_cases as blind18
from tests.assistant.data.answers_blind19 import make_cases as blind19
from tests.assistant.data.answers_blind20 import make_cases as blind20
from tests.assistant.data.answers_blind21 import make_cases as blind21
from tests.assistant.data.answers_blind22 import make_cases as blind22
from tests.assistant.data.answers_blind23 import make_cases as blind23
from tests.assistant.data.answers_blind24 import make_cases as blind24
from tests.assistant.data.answers_blind25 import make_cases as blind25
from tests.assistant.data.answers_fresh import make_cases as fresh

DATA = Path(__file__).with_name("data")
TEMPLATES = ("need_q", "cheap_q", "best_q", "price_q", "rating_q", "brand_q", "compare_q",
             "more_q", "why_q", "order_q", "no_match_q", "match_q")  # fmt: skip
# Folder, phrasing, plan and the least number of cases of a held-out (all `report`) set.
SETS = (("answers", old.PHRASING, None, 0), ("answers_fresh", fresh.FRESH, fresh.PLAN, 100),
        ("answers_blind", blind.BLIND, blind.PLAN, 160),
        ("answers_blind2", blind2.BLIND2, blind2.PLAN, 160),
        ("answers_blind3", blind3.BLIND3, blind3.PLAN, 160),
        ("answers_blind4", blind4.BLIND4, blind4.PLAN, 160),
        ("answers_blind5", blind5.BLIND5, blind5.PLAN, 160),
        ("answers_blind6", blind6.BLIND6, blind6.PLAN, 160),
        ("answers_blind7", blind7.BLIND7, blind7.PLAN, 160),
        ("answers_blind8", blind8.BLIND8, blind8.PLAN, 160),
        ("answers_blind9", blind9.BLIND9, blind9.PLAN, 160),
        ("answers_blind10", blind10.BLIND10, blind10.PLAN, 160),
        ("answers_blind11", blind11.BLIND11, blind11.PLAN, 160),
        ("answers_blind12", blind12.BLIND12, blind12.PLAN, 160),
        ("answers_blind13", blind13.BLIND13, blind13.PLAN, 160),
        ("answers_blind14", blind14.BLIND14, blind14.PLAN, 160),
        ("answers_blind15", blind15.BLIND15, blind15.PLAN, 160),
        ("answers_blind16", blind16.BLIND16, blind16.PLAN, 160),
        ("answers_blind17", blind17.BLIND17, blind17.PLAN, 160),
        ("answers_blind18", blind18.BLIND18, blind18.PLAN, 160),
        ("answers_blind19", blind19.BLIND19, blind19.PLAN, 160),
        ("answers_blind20", blind20.BLIND20, blind20.PLAN, 160),
        ("answers_blind21", blind21.BLIND21, blind21.PLAN, 160),
        ("answers_blind22", blind22.BLIND22, blind22.PLAN, 160),
        ("answers_blind23", blind23.BLIND23, blind23.PLAN, 160),
        ("answers_blind24", blind24.BLIND24, blind24.PLAN, 160),
        ("answers_blind25", blind25.BLIND25, blind25.PLAN, 160))  # fmt: skip
_FILLER = {"the", "one", "a", "an", "pls", "please"}


def _read(folder: str, name: str) -> list[dict]:
    lines = (DATA / folder / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def test_the_sets_in_the_repo_are_what_their_scripts_build_and_they_validate(shared_data):
    for folder, phrasing, plan, least in SETS:
        cases, labels = old.build(shared_data, phrasing, plan)
        assert cases == _read(folder, "cases.jsonl") and labels == _read(folder, "labels.jsonl")
        assert validate(cases, labels, shared_data) == []
        if least:
            assert len(cases) >= least and {lab["set"] for lab in labels} == {"report"}, folder


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


def _items_shared(ours: Phrasing, theirs: Phrasing) -> list[str]:
    # The need words, no-match and match items and policy questions two sets have in common.
    out = sorted(set(ours.needs) & set(theirs.needs))
    for name in ("no_match", "match"):
        out += sorted({s.lower() for s in getattr(ours, name)}
                      & {s.lower() for s in getattr(theirs, name)})  # fmt: skip
    return out + sorted({q for q, _ in ours.policy} & {q for q, _ in theirs.policy})


def test_the_fresh_phrasings_share_no_template_with_the_first_set():
    for name in (*TEMPLATES, "no_match"):
        ours = {s.lower() for s in getattr(fresh.FRESH, name)}
        assert not ours & {s.lower() for s in getattr(old.PHRASING, name)}, name
    assert _items_shared(fresh.FRESH, old.PHRASING) == []


def _shape(template: str) -> str:
    # A template's words without its slots, punctuation and filler ("the {o} one?" -> "").
    text = re.sub(r"\{\w+\}", " ", template.lower())
    return " ".join(w for w in re.findall(r"[a-z0-9]+", text) if w not in _FILLER)


def _shapes(p: Phrasing) -> set[str]:
    # Every template, first turn and greeting of a set, in any field.
    fields = (*TEMPLATES, "openers", "greet", "match_greet")
    return {_shape(t) for name in fields for t in getattr(p, name)}


def test_the_blind_phrasings_share_no_template_with_either_other_set():
    for other in (old.PHRASING, fresh.FRESH):
        assert not _shapes(blind.BLIND) & _shapes(other)
        assert _items_shared(blind.BLIND, other) == []
        theirs = {s for position in other.ordinals for s in position}
        assert not {s for position in blind.BLIND.ordinals for s in position} & theirs


# The sets in the order they were written: each blind set from the second on shares no
# template, first turn, greeting, ordinal (as shapes: "the first one" and "first" are one) or
# item with any set written before it.
_IN_ORDER = [phrasing for _, phrasing, _, _ in SETS]


@pytest.mark.parametrize("at", range(3, len(SETS)), ids=[f for f, *_ in SETS[3:]])
def test_each_later_blind_set_shares_no_template_with_any_earlier_set(at):
    mine = _IN_ORDER[at]
    ours = {_shape(s) for position in mine.ordinals for s in position}
    for other in _IN_ORDER[:at]:
        assert not _shapes(mine) & _shapes(other)
        assert _items_shared(mine, other) == []
        assert not ours & {_shape(s) for position in other.ordinals for s in position}
