"""CI gate: the self-check cases through `shopassist eval assistant` on BigBasket + retail_orders.

Set C was never used for tuning; its thresholds (measured: tool name 28/30, full call 27/30 on
the rules path) allow one case of noise. CI has no adapter for this catalog, so the gate runs
the rules planner (`SHOPASSIST_AGENT_USE_LLM=false`), which is deterministic.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app, load_commands
from assistant.config import get_settings

pytestmark = pytest.mark.slow  # loads the policy embedder; ~1 min on 2 cores
SELFCHECK = Path(__file__).parent / "data" / "selfcheck"
GATE = {"C": {"tool_name_accuracy": 27 / 30, "full_call_accuracy": 26 / 30}}


def _run(*args: str) -> str:
    r = CliRunner().invoke(app, list(args))
    assert r.exit_code == 0, r.output
    return r.stdout


def test_untouched_self_check_set_passes_the_gate(shared_data, tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SHOPASSIST_DATABASE_URL", "")
    monkeypatch.setenv("SHOPASSIST_AGENT_USE_LLM", "false")
    get_settings.cache_clear()
    load_commands()
    try:
        bigbasket = shared_data / "bigbasket" / "bigbasket_products.csv"
        orders = shared_data / "retail_orders"
        pred = tmp_path / "pred.jsonl"
        # the first tool call is what is scored; it does not read the search index
        _run("ingest", "catalog", str(bigbasket), "--format", "bigbasket", "--no-refresh-index")
        _run("ingest", "orders", str(orders), "--format", "retail-orders")
        _run("ingest", "policy", str(orders / "policy.md"))
        cases, labels = SELFCHECK / "cases.jsonl", SELFCHECK / "labels.jsonl"
        out = _run("eval", "assistant", "--cases", str(cases), "--out", str(pred), "--no-build")
        summary = json.loads(out[out.index("{") :])
        scores = json.loads(
            _run("eval", "assistant-score", "--pred", str(pred), "--labels", str(labels))
        )
    finally:
        get_settings.cache_clear()
    assert summary["cases"] == 132 and summary["ungrounded_answers"] == 0
    assert summary["planners"] == {"rules": 132}
    assert scores["missing_predictions"] == 0
    for name, floors in GATE.items():
        got = scores["by_set"][name]
        assert got["cases"] == 30
        for metric, floor in floors.items():
            assert got[metric] >= floor - 1e-9, (name, metric, got)
