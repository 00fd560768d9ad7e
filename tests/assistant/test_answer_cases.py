"""The held-out answer cases are well formed and split by a stable hash; their checks score;
the writer's SFT examples keep the copy rule the decoder enforces."""

from __future__ import annotations

import hashlib
from pathlib import Path

from assistant.demo import DEMO_POLICY, DemoConfig, generate
from assistant.services.answer_checks import answer_report, failures
from assistant.services.evaluation import read_cases, read_labels
from finetune.answer_data import build_writer_data, copyable
from finetune.answers import Facts, facts_for

DATA = Path(__file__).with_name("data") / "answers"
KINDS = {"choice", "attribute", "comparison", "explanation", "reference", "orders", "no_match",
         "match", "policy"}  # fmt: skip


def test_the_answer_set_covers_every_kind_split_by_a_stable_hash():
    cases = read_cases(DATA / "cases.jsonl")
    labels = read_labels(DATA / "labels.jsonl")
    assert len(cases) >= 150 and {c.id for c in cases} == set(labels)
    assert all(sum(m["role"] == "user" for m in c.messages) >= 2 for c in cases)
    for cid, lab in labels.items():
        even = int(hashlib.sha1(cid.encode()).hexdigest(), 16) % 2 == 0
        assert lab["set"] == ("tune" if even else "report") and lab["check"]
    assert {lab["kind"] for lab in labels.values()} == KINDS


def test_answer_checks_catch_what_they_name():
    check = {"cites": ["1"], "contains": ["₹85"], "contains_any": ["cheaper", "better"]}
    assert failures({"answer": "A [1] costs ₹85 and is cheaper."}, check) == []
    assert len(failures({"answer": "A [2] costs ₹86."}, check)) == 3
    preds = {"a": {"answer": "A [1] costs ₹85, cheaper.", "writer": "model", "grounded": True,
                   "latency_ms": 10}}  # fmt: skip
    labels = {"a": {"kind": "attribute", "set": "report", "check": check},
              "b": {"kind": "attribute", "set": "report", "check": check}}  # fmt: skip
    report = answer_report(preds, labels)["halves"]["report"]
    assert report["checks_passed"] == 0.5 and report["written_by_model"] == 0.5


def test_writer_examples_copy_every_fact_from_their_prompt():
    store = generate(DemoConfig(products=300, users=10, days=3))
    orders = [
        {**{k: o[k] for k in ("order_id", "status", "total", "currency", "created_at")},
         "items": [{"name": i["name"]} for i in o["items"]], "tracking": []}
        for o in store.orders
    ]  # fmt: skip
    rows = build_writer_data([dict(p) for p in store.products], orders,
                             DEMO_POLICY.read_text(encoding="utf-8"), 80, seed=3)  # fmt: skip
    assert {r["kind"] for r in rows} >= {"choice", "attribute", "no_match", "orders", "policy"}
    for r in rows:
        facts = r["messages"][-1]["content"]
        lead = facts.rsplit("\nAnswer with: ", 1)[1]  # the decided lead, copied first
        assert r["target"].startswith(lead) and r["target"] not in facts.split("\nAnswer")[0]
        cited = [w for w in r["target"].split() if w.startswith("[")]
        assert all(c.rstrip(".,:;") in facts for c in cited)
    broken = Facts(spans={"₹85"})
    assert copyable("It costs ₹85.", broken) and not copyable("It costs ₹86.", broken)
    assert (
        "[7]"
        in facts_for("", [("get_product", {"product": {"product_id": "7", "title": "X"}})]).spans
    )
