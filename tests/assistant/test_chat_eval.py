"""`shopassist eval assistant` (EVAL.md format) and its scorer, on the tiny known store."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app, load_commands
from assistant.config import get_settings
from assistant.services.evaluation import call_matches, score


@pytest.fixture
def cli_env(store_settings, store, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(store_settings.data_dir))
    monkeypatch.setenv("SHOPASSIST_AGENT_USE_LLM", "false")
    get_settings.cache_clear()
    load_commands()
    yield CliRunner()
    get_settings.cache_clear()


def test_eval_assistant_writes_one_prediction_per_case(cli_env, tmp_path):
    cases = tmp_path / "cases.jsonl"
    rows = [
        {"id": "a", "messages": [{"role": "user", "content": "basmati rice under 300"}]},
        {"id": "b", "messages": [{"role": "user", "content": "where is #W1000002"}], "user_id": "u1"},
        {"id": "c", "messages": [
            {"role": "user", "content": "bottles"},
            {"role": "assistant", "content": "1. Water Bottle - Orange 1 L [101]\n2. Steel Water Bottle 750 ml [102]"},
            {"role": "user", "content": "more about the second one"}]},
        {"id": "d", "messages": [{"role": "user", "content": "order #W2000001 status"}], "user_id": "u1"},
    ]  # fmt: skip
    cases.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "pred.jsonl"
    r = cli_env.invoke(
        app, ["eval", "assistant", "--cases", str(cases), "--out", str(out), "--no-build"]
    )
    assert r.exit_code == 0, r.output
    preds = {p["id"]: p for p in map(json.loads, out.read_text().splitlines())}
    assert set(preds) == {"a", "b", "c", "d"}
    for p in preds.values():
        assert set(p) == {"id", "tool_calls", "answer", "cited_product_ids", "latency_ms"}
    assert preds["a"]["tool_calls"][0] == {
        "name": "search_products",
        "arguments": {"query": "basmati rice", "max_price": 300.0},
    }
    assert "104" in preds["a"]["cited_product_ids"] and "[104]" in preds["a"]["answer"]
    assert "pending" in preds["b"]["answer"]
    assert preds["c"]["tool_calls"][0] == {
        "name": "get_product",
        "arguments": {"product_id": "102"},
    }
    assert "processed" not in preds["d"]["answer"]  # another shopper's order
    assert '"ungrounded_answers": 0' in r.output

    r = cli_env.invoke(
        app, ["eval", "answers", "--cases", str(cases), "--out", str(out), "--no-build"]
    )
    assert r.exit_code == 0, r.output
    answers = [json.loads(line) for line in out.read_text().splitlines()]
    for p in answers:  # EVAL.md's answers fields: who wrote it (no writer adapter: templates)
        assert {"writer", "grounded", "latency_ms", "answer", "tool_calls"} <= set(p)
        assert p["writer"] == "template" and p["grounded"] is True

    labels = tmp_path / "labels.jsonl"
    labels.write_text(
        json.dumps({"id": "a", "expected": [{"name": "search_products", "arguments": {"query": "basmati rice", "max_price": 300}}]}) + "\n"
        + json.dumps({"id": "c", "expected": [{"name": "get_product", "arguments": {"product_id": "101"}}]}) + "\n"
    )  # fmt: skip
    r = cli_env.invoke(
        app, ["eval", "assistant-score", "--pred", str(out), "--labels", str(labels)]
    )
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout)
    assert (result["tool_name_accuracy"], result["full_call_accuracy"]) == (1.0, 0.5)


@pytest.mark.parametrize(
    "line, reason",
    [
        ("{not json", "not valid JSON"),
        ('{"messages": [{"role": "user", "content": "x"}]}', '"id"'),
        ('{"id": "x", "messages": []}', "non-empty"),
        (
            '{"id": "x", "messages": [{"role": "user", "content": "x"}, {"role": "assistant", "content": "y"}]}',
            "last message",
        ),
        ('{"id": "x", "messages": [{"role": "robot", "content": "x"}]}', "role"),
    ],
)
def test_bad_case_files_fail_with_the_line_number(cli_env, tmp_path, line, reason):
    cases = tmp_path / "cases.jsonl"
    cases.write_text(
        '{"id": "ok", "messages": [{"role": "user", "content": "hi"}]}\n' + line + "\n"
    )
    out = tmp_path / "pred.jsonl"
    r = cli_env.invoke(
        app, ["eval", "assistant", "--cases", str(cases), "--out", str(out), "--no-build"]
    )
    assert r.exit_code == 1 and "cases.jsonl:2" in r.output and reason in r.output
    assert not out.exists()


def test_a_bad_labels_file_fails_with_the_line_number(tmp_path):
    from assistant.services.evaluation import CaseError, read_labels

    labels = tmp_path / "labels.jsonl"
    labels.write_text('{"id": "a", "expected": []}\n{"id": "b", "expected": "search"}\n')
    with pytest.raises(CaseError, match=r"labels.jsonl:2: \"expected\" must be a list"):
        read_labels(labels)


def test_call_matching_rules():
    want = {"name": "search_products", "arguments": {"query": "basmati rice", "max_price": 300}}
    assert call_matches(
        {"name": "search_products", "arguments": {"query": "Basmati rice 1kg", "max_price": 300.0}},
        want,
    ) == (True, True)
    assert call_matches(
        {"name": "search_products", "arguments": {"query": "basmati rice", "min_price": 300}}, want
    ) == (True, False)
    assert call_matches({"name": "get_product", "arguments": {}}, want) == (False, False)
    assert call_matches(None, None) == (True, True) and call_matches(None, want) == (False, False)
    s = score({"a": {"tool_calls": []}}, {"a": {"expected": []}, "b": {"expected": [want]}})
    assert s["tool_name_accuracy"] == 0.5 and s["missing_predictions"] == 1


CALLED: list[str] = []


def record_step(settings) -> None:
    CALLED.append(str(settings.data_dir))


def broken_step(settings) -> None:
    raise RuntimeError("cannot build")


def test_eval_builds_missing_artifacts_with_the_setup_steps_but_no_demo(monkeypatch, settings):
    from assistant import setup
    from assistant.services.evaluation import ensure_artifacts

    here = "tests.assistant.test_chat_eval"
    monkeypatch.setattr(setup, "SETUP_STEPS", [
        ("demo store (when the catalog is empty)", f"{here}:broken_step"),
        ("search index", f"{here}:record_step"),
        ("adapter", f"{here}:broken_step"),
    ])  # fmt: skip
    assert ensure_artifacts(settings) == ["search index"]
    assert CALLED == [str(settings.data_dir)]


def test_bench_chat_prints_figures_and_the_reference(cli_env):
    r = cli_env.invoke(app, ["bench", "chat", "--json", "--turns", "4"])
    assert r.exit_code == 0, r.output
    result = json.loads(r.stdout.strip().splitlines()[-1])
    assert result["turns"] == 4 and result["reference"]["turns"] == 4
    for fig in (result, result["reference"]):
        assert 0 < fig["first_token_ms_p50"] <= fig["full_answer_ms_p50"]
    assert result["model"] == "none"  # SHOPASSIST_AGENT_USE_LLM=false in this test
