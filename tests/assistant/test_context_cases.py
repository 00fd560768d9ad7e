"""The held-out context case set is well formed, split by a stable hash, and its checks score."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.services.evaluation import read_cases, read_labels
from tests.assistant.context_eval import failures

DATA = Path(__file__).with_name("data") / "context"


def test_the_case_set_is_multi_turn_and_split_by_a_stable_hash():
    cases = read_cases(DATA / "cases.jsonl")
    labels = read_labels(DATA / "labels.jsonl")
    assert len(cases) >= 40 and {c.id for c in cases} == set(labels)
    assert all(sum(m["role"] == "user" for m in c.messages) >= 2 for c in cases)
    for cid, lab in labels.items():
        even = int(hashlib.sha1(cid.encode()).hexdigest(), 16) % 2 == 0
        assert lab["set"] == ("tune" if even else "report") and lab["check"]
    assert {lab["kind"] for lab in labels.values()} >= {"choice", "orders", "invented_ids"}


def test_the_checks_catch_what_they_name():
    choice = {"chosen": "2", "among": ["1", "2"], "allowed_tools": ["compare_products"]}
    good = {"answer": "I'd go for B [2]: ...", "tool_calls": [
        {"name": "compare_products", "arguments": {"product_ids": ["1", "2"]}}]}  # fmt: skip
    assert failures(good, choice) == []
    bad = {"answer": "Picked for you: X [9]", "tool_calls": [
        {"name": "recommend_for_user", "arguments": {}}]}  # fmt: skip
    assert len(failures(bad, choice)) == 2
    invented = {"answer": "", "tool_calls": [
        {"name": "get_order_status", "arguments": {"order_id": "last_order"}}]}  # fmt: skip
    assert failures(invented, {"no_ids": ["last_order"]})
    honest = {"answer": 'I couldn\'t find anything that matches "x".', "tool_calls": []}
    assert failures(honest, {"no_match": True}) == []
    assert failures({"answer": "Here: A [1]", "cited_product_ids": ["1"]}, {"no_match": True})
