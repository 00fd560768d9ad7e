"""`shopassist analytics report` and `experiment create|status|report` on a store's database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import load_commands
from assistant.cli.app import app
from assistant.config import get_settings
from tests.assistant.simulated import add_simulated


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHOPASSIST_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    load_commands()
    yield CliRunner()
    get_settings.cache_clear()


def test_report_and_experiment_commands(cli: CliRunner, tmp_path: Path):
    assert cli.invoke(app, ["db", "upgrade"]).exit_code == 0
    args = ["experiment", "create", "sim", "--arm", "control=1:assistant_enabled=false",
            "--arm", "assistant=1", "--description", "assistant on vs off"]  # fmt: skip
    result = cli.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["arms"][0] == {
        "name": "control", "weight": 0.5, "settings": {"assistant_enabled": "false"}
    }  # fmt: skip
    # an arm's settings are checked: an unknown adapter or search mode names the valid ones
    bad = ["experiment", "create", "bad", "--arm", "a=1", "--arm", "b=1:adapter=nope"]
    result = cli.invoke(app, bad)
    assert result.exit_code == 1 and "adapter may be: general" in result.output
    result = cli.invoke(app, [*bad[:-1], "b=1:search_mode=vector"])
    assert result.exit_code == 1 and "search_mode may be: hybrid, bm25, dense" in result.output
    add_simulated(get_settings(), 1500, seed=1)
    out = tmp_path / "r.html"
    result = cli.invoke(app, ["analytics", "report", "--out", str(out), "--experiment", "sim"])
    assert result.exit_code == 0, result.output
    figures = json.loads(out.with_suffix(".json").read_text())
    assert figures["metrics"]["users"] == 1500
    assert [a["arm"] for a in figures["experiment"]["arms"]] == ["control", "assistant"]
    conv = figures["experiment"]["comparisons"][0]
    assert conv["metric"] == "conversion" and conv["ci_low"] <= 0.10 <= conv["ci_high"]
    assert 'data-chart="experiment"' in out.read_text()
    result = cli.invoke(app, ["experiment", "report", "sim"])
    assert result.exit_code == 0 and json.loads(result.output)["srm"]["mismatch"] is False
    result = cli.invoke(app, ["experiment", "status", "sim", "--stop"])
    assert json.loads(result.output)["status"] == "stopped"
    result = cli.invoke(app, ["analytics", "report", "--out", str(out), "--from", "2031-01-01"])
    assert result.exit_code == 1 and "no events in the selected period" in result.output
    result = cli.invoke(app, ["experiment", "report", "nope"])
    assert result.exit_code == 1 and "experiment 'nope' not found" in result.output
