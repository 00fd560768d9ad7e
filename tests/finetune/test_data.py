"""SFT data builder: every tool covered, held-out phrasings differ, targets parse and validate."""

from __future__ import annotations

import csv
import random
import re

import pytest

from assistant.tools.contract import TOOL_NAMES, validate_call
from finetune.data import (
    Builder,
    DataConfig,
    build_sft_data,
    catalog_fingerprint,
    product_noun,
    read_jsonl,
    write_jsonl,
)
from finetune.evaluate import args_match, grounded, score
from finetune.format import ids_in_text, parse_turn
from finetune.phrases import load_phrasebook

CATALOG = [
    {
        "id": "p1",
        "title": "Water Bottle - Orange, 1 L",
        "brand": "Cello",
        "category": "Kitchen > Bottles",
        "price": 180.0,
        "rating": 4.1,
    },
    {
        "id": "p2",
        "title": "Basmati Rice 5 kg",
        "brand": "India Gate",
        "category": "Foodgrains > Rice",
        "price": 560.0,
        "rating": 4.5,
    },
    {
        "id": "p3",
        "title": "Green Tea Bags",
        "brand": "Tetley",
        "category": "Beverages > Tea",
        "price": 150.0,
        "rating": None,
    },
    {
        "id": "p4",
        "title": "Steel Lunch Box (3 pcs)",
        "brand": "Milton",
        "category": "Kitchen > Storage",
        "price": 420.0,
        "rating": 3.9,
    },
    {
        "id": "p5",
        "title": "Toor Dal 1 kg",
        "brand": "Tata Sampann",
        "category": "Foodgrains > Dals",
        "price": 175.0,
        "rating": 4.2,
    },
]
POLICY = "# Policy\n\n- Delivered orders can be returned within 30 days for a full refund to the original payment method.\n\n- Pending orders can be cancelled at any time before they are processed by the store."


@pytest.fixture(scope="module")
def splits():
    return build_sft_data(
        CATALOG,
        DataConfig(n_train=600, n_eval=200),
        policy_text=POLICY,
        real_queries=["angle bracket", "deck over", "cordless drill", "led bulb", "paint roller"],
    )


def test_every_tool_and_kind_is_covered_and_targets_validate(splits):
    train, held = splits
    for rows in (train, held):
        tools = {r["tool"] for r in rows}
        assert set(TOOL_NAMES) <= tools and None in tools
        for r in rows:
            turn = parse_turn(r["target"])
            if r["tool"] is None:
                assert turn.answer
            else:
                assert turn.name == r["tool"]
                assert validate_call(turn.name, turn.arguments) is not None
                assert args_match(r["arguments"], turn.arguments)
    kinds = {r["kind"] for r in train}
    assert {"search", "compare", "answer", "injection", "smalltalk", "handoff", "policy"} <= kinds


def test_held_out_phrasings_differ(splits):
    train, held = splits
    train_texts = {r["messages"][-1]["content"].lower() for r in train}
    held_texts = [r["messages"][-1]["content"].lower() for r in held if r["kind"] != "smalltalk"]
    overlap = sum(t in train_texts for t in held_texts) / len(held_texts)
    assert overlap < 0.1


def test_filters_and_references_are_right(splits):
    train, _ = splits
    searches = [r for r in train if r["tool"] == "search_products"]
    assert any("max_price" in r["arguments"] and "min_price" in r["arguments"] for r in searches)
    assert any(r["arguments"].get("brand") == "Cello" for r in searches)
    for r in train:
        if r["tool"] in ("get_product", "compare_products", "similar_products"):
            context = "\n".join(m["content"] for m in r["messages"])
            listed = set(ids_in_text(context)) | {
                w.strip("?") for w in r["messages"][-1]["content"].split()
            }
            ids = r["arguments"].get("product_ids") or [r["arguments"]["product_id"]]
            assert set(ids) <= listed
    for r in train:
        if r["kind"] == "answer":
            assert grounded(parse_turn(r["target"]).answer, r["context"])


def test_a_choice_compares_every_listed_product_and_names_one_of_them(splits):
    train, held = splits
    for rows in (train, held):
        choices = [r for r in rows if r["kind"] == "choice"]
        assert choices
        for r in choices:
            listed = ids_in_text("\n".join(m["content"] for m in r["messages"][:-1]))
            assert r["tool"] == "compare_products"
            assert sorted(r["arguments"]["product_ids"]) == sorted(set(listed))
    # some ask by a word of one listed title ("which is the orange one?")
    title_words = {w for p in CATALOG for w in re.findall(r"[a-z]{4,}", p["title"].lower())}
    said = {
        w
        for r in train
        if r["kind"] == "choice"
        for w in re.findall(r"[a-z]{4,}", r["messages"][-1]["content"].lower())
    }
    assert said & title_words


def test_small_catalog_fails_and_fingerprint_is_stable(tmp_path):
    with pytest.raises(ValueError, match="at least 4 products"):
        build_sft_data(CATALOG[:2])
    assert catalog_fingerprint(CATALOG) == catalog_fingerprint(list(reversed(CATALOG)))
    assert catalog_fingerprint(CATALOG) != catalog_fingerprint(CATALOG[:4])
    assert product_noun(CATALOG[1]) == "basmati rice"
    write_jsonl(tmp_path / "x.jsonl", [{"a": 1}])
    assert read_jsonl(tmp_path / "x.jsonl") == [{"a": 1}]
    (tmp_path / "bad.jsonl").write_text('{"a": 1}\n{oops\n')
    with pytest.raises(ValueError, match=r"bad.jsonl:2"):
        read_jsonl(tmp_path / "bad.jsonl")


def test_score_counts_names_arguments_and_grounding():
    ex = [
        {
            "kind": "search",
            "tool": "search_products",
            "arguments": {"query": "rice", "max_price": 300},
        },
        {"kind": "smalltalk", "tool": None, "arguments": None},
        {"kind": "answer", "tool": None, "context": "1. [p1] Rice | price 120"},
    ]
    preds = [
        {
            "tool": "search_products",
            "arguments": {"query": "Rice", "min_price": 300},
            "valid_json": True,
        },
        {"tool": None, "valid_json": True},
        {"answer": "Try Rice [p1] at 99."},
    ]
    s = score(ex, preds)
    assert s["tool_name_accuracy"] == 1.0 and s["full_call_accuracy"] == 0.5
    assert s["argument_accuracy"] == pytest.approx(1 / 3, abs=1e-3) and s["groundedness"] == 0.0


def test_real_catalog_rows(shared_data):
    path = shared_data / "bigbasket" / "bigbasket_products.csv"
    with path.open(encoding="utf-8") as f:
        rows = [
            {
                "id": f"bb{r['index']}",
                "title": r["product"],
                "brand": r["brand"],
                "category": r["category"],
                "price": r["sale_price"],
            }
            for _, r in zip(range(300), csv.DictReader(f), strict=False)
        ]
    train, held = build_sft_data(rows, DataConfig(n_train=200, n_eval=50))
    assert len(train) == 200 and len(held) == 50


def test_shopper_phrasings_are_trained_on_and_never_held_out():
    train, held = build_sft_data(
        CATALOG, DataConfig(n_train=400, n_eval=150, shopper_share=1.0), policy_text=POLICY
    )
    book = load_phrasebook()
    asked = {q.lower() for s in book.shopper for q in s.families.get("policy", [])}
    said = [r["messages"][-1]["content"].lower() for r in train if r["kind"] == "policy"]
    assert said and sum(t in asked for t in said) / len(said) > 0.7  # the rest got a typo
    assert not any(r["messages"][-1]["content"].lower() in asked for r in held)


def test_a_shoppers_place_word_is_its_own_sets_and_only_for_a_list_of_three():
    book = load_phrasebook()
    b = Builder(CATALOG, "train", random.Random(0), [], [], [], book, shopper_share=1.0)
    b.phrase("compare")
    assert b.places in [s.ordinals for s in book.shopper]
    assert {b.ordinal(1, of=3) for _ in range(20)} <= set(b.places[1])
    assert {b.ordinal(1, of=4) for _ in range(20)} <= set(book.ordinals[1][0])
    held = Builder(CATALOG, "eval", random.Random(0), [], [], [], book, shopper_share=1.0)
    held.phrase("compare")
    assert held.places is None and held.ordinal(1, of=3) in book.ordinals[1][1]


def test_what_the_store_does_not_sell_is_a_search_and_questions_come_mid_conversation():
    train, _ = build_sft_data(
        CATALOG, DataConfig(n_train=400, n_eval=50, shopper_share=1.0), policy_text=POLICY
    )
    not_sold = {i for s in load_phrasebook().shopper for i in s.not_sold}
    asked = [r for r in train if r["tool"] == "search_products"]
    assert any(r["arguments"]["query"] in not_sold for r in asked)
    for kind in ("orders", "policy"):
        rows = [r for r in train if r["kind"] == kind]
        assert any(len(r["messages"]) > 1 for r in rows)  # after a list was shown
        assert any(len(r["messages"]) == 1 for r in rows)  # and opening a conversation
