"""Policy passages: splitting, hybrid search with cited ids, the eval and ingest commands."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app, load_commands
from assistant.config import Settings, get_settings
from assistant.services.policy import (
    PolicyIndex,
    PolicySearchConfig,
    get_policy_index,
    search_policy,
    section_rest,
    split_passages,
)
from assistant.services.state import AppState
from retrieval.fusion import rrf
from tests.assistant.retail import POLICY

QUESTIONS = Path(__file__).parent / "data" / "policy_questions.jsonl"
MD = """# Store policy

Intro paragraph
continues here.

## Returns

- Items can be returned within 30 days.
- Refunds go to the original card.

### Gift cards

Gift cards are never refunded.
"""


def test_split_passages_by_heading_and_item() -> None:
    ps = split_passages(MD, "faq")
    assert [p.id for p in ps] == [
        "faq:store-policy:1",
        "faq:returns:1",
        "faq:returns:2",
        "faq:gift-cards:1",
    ]
    assert ps[0].text == "Intro paragraph continues here."
    assert ps[3].path == ("Store policy", "Returns", "Gift cards") and ps[3].heading == "Gift cards"
    assert ps[1].as_dict(0.5) == {
        "passage_id": "faq:returns:1",
        "doc": "faq",
        "heading": "Returns",
        "section": "Store policy > Returns",
        "text": "Items can be returned within 30 days.",
        "score": 0.5,
    }


def test_policy_md_passages(shared_data) -> None:
    ps = split_passages(POLICY.read_text(), "policy")
    assert len(ps) == 33 and len({p.id for p in ps}) == 33
    headings = {p.heading for p in ps}
    assert {
        "Cancel pending order",
        "Modify payment",
        "Return delivered order",
        "Exchange delivered order",
    } <= headings


def test_rrf_rewards_agreement() -> None:
    scores = rrf([[0, 1, 2], [1, 0, 2]], [1.0, 1.0], k=10)
    assert scores[0] == scores[1] > scores[2]
    assert rrf([[2]], [2.0], k=1) == {2: 1.0}


def test_search_policy_cites_the_right_passage(shared_data, tmp_path) -> None:
    settings = Settings(data_dir=tmp_path, policy_path=str(POLICY))
    state = AppState(settings)
    hits = search_policy(state, "which reasons can a customer give to cancel an order?", k=3)
    assert hits[0]["passage_id"] == "policy:cancel-pending-order:2"
    assert all({"passage_id", "heading", "text", "score"} <= set(h) for h in hits)
    refund = search_policy(state, "where can the refund for a returned item go?", k=3)
    assert "policy:return-delivered-order:3" in [h["passage_id"] for h in refund]
    rest = section_rest(state, "policy:cancel-pending-order:2")
    assert [p["passage_id"] for p in rest] == [
        "policy:cancel-pending-order:1",
        "policy:cancel-pending-order:3",
    ]  # the same section, in the document's order, the passage itself left out
    assert section_rest(state, "policy:no-such:1") == []
    with pytest.raises(ValueError):
        search_policy(state, "   ")
    with pytest.raises(ValueError):
        search_policy(state, "refund", k=0)


def test_modes_and_bad_config(shared_data, tmp_path) -> None:
    ps = split_passages(POLICY.read_text(), "policy")
    bm25 = PolicyIndex(ps, "", PolicySearchConfig(mode="bm25"))  # needs no embedder
    assert bm25.search("gift card balance for payment", 3)[0][0].heading == "Modify payment"
    assert bm25.search("zzzz qqqq", 3) == []  # no shared word: no passage
    with pytest.raises(ValueError, match="valid: bm25, dense, hybrid"):
        PolicySearchConfig(mode="magic")
    with pytest.raises(FileNotFoundError):
        PolicyIndex(ps, str(tmp_path / "nope"), PolicySearchConfig(mode="dense"))


def test_missing_policy_says_how_to_install(tmp_path) -> None:
    with pytest.raises(FileNotFoundError, match="ingest policy"):
        search_policy(AppState(Settings(data_dir=tmp_path)), "refund")


def test_the_state_rebuilds_the_index_when_a_policy_file_changes(tmp_path) -> None:
    doc = tmp_path / "faq.md"
    doc.write_text("# Returns\n\nReturns are accepted within 7 days.\n")
    settings = Settings(data_dir=tmp_path / "var", policy_path=str(doc), embedder_backend="torch")
    state = AppState(settings)
    index = get_policy_index(state)
    assert get_policy_index(state) is index  # kept while the file is unchanged
    doc.write_text("# Returns\n\nReturns are accepted within 30 days.\n")
    os.utime(doc, ns=(doc.stat().st_atime_ns, doc.stat().st_mtime_ns + 1_000_000))
    assert get_policy_index(state) is not index
    assert "30 days" in get_policy_index(state).passages[0].text


def _run(args: list[str], env: dict[str, str]):  # noqa: ANN202
    load_commands()
    get_settings.cache_clear()  # the command reads the environment given here
    try:
        return CliRunner().invoke(app, args, env=env)
    finally:
        get_settings.cache_clear()


def test_eval_policy_command(shared_data, tmp_path) -> None:
    env = {"SHOPASSIST_DATA_DIR": str(tmp_path)}
    out = tmp_path / "pred.jsonl"
    r = _run(
        [
            "eval",
            "policy",
            "--questions",
            str(QUESTIONS),
            "--policy",
            str(POLICY),
            "--out",
            str(out),
        ],
        env,
    )
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("accuracy@1"))
    acc3 = float(line.split("accuracy@3")[1].split()[0])
    assert 0.0 <= acc3 <= 1.0
    assert len(out.read_text().splitlines()) == len(QUESTIONS.read_text().splitlines())
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "a", "passage_ids": ["policy:domain-basic:1"]}\n{"question": \n')
    r = _run(["eval", "policy", "--questions", str(bad), "--policy", str(POLICY)], env)
    assert r.exit_code == 1 and f"{bad}:2:" in r.output
    unknown = tmp_path / "unknown.jsonl"
    unknown.write_text(json.dumps({"question": "a", "passage_ids": ["policy:nope:1"]}) + "\n")
    r = _run(["eval", "policy", "--questions", str(unknown), "--policy", str(POLICY)], env)
    assert r.exit_code == 1 and "unknown passage id" in r.output


def test_ingest_policy_command(shared_data, tmp_path) -> None:
    env = {"SHOPASSIST_DATA_DIR": str(tmp_path)}
    r = _run(["ingest", "policy", str(POLICY)], env)
    assert r.exit_code == 0, r.output
    assert (tmp_path / "policy" / "policy.md").is_file() and "33 passages" in r.output
    empty = tmp_path / "empty.md"
    empty.write_text("\n\n")
    r = _run(["ingest", "policy", str(empty)], env)
    assert r.exit_code == 1 and "no passages" in r.output
    r = _run(["ingest", "policy", str(tmp_path / "missing.md")], env)
    assert r.exit_code == 1 and "no such file" in r.output


def test_each_passage_comes_with_the_sentence_that_answers(shared_data, tmp_path) -> None:
    state = AppState(Settings(data_dir=tmp_path, policy_path=str(POLICY)))
    hits = search_policy(state, "can I swap a shirt I got for a pair of shoes?", k=3)
    exchange = next(h for h in hits if h["heading"] == "Exchange delivered order")
    assert (
        exchange["highlight"]
        == "There cannot be any change of product types, e.g. modify shirt to shoe."
    )
    assert all(h["highlight"] in " ".join(h["text"].split()) for h in hits)
