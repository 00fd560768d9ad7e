"""`shopassist db upgrade` / `ingest ...` from the command line: report, one-line errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import load_commands
from assistant.cli.app import app
from assistant.config import get_settings


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHOPASSIST_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    load_commands()
    yield CliRunner()
    get_settings.cache_clear()


def test_db_upgrade(cli: CliRunner, tmp_path: Path) -> None:
    result = cli.invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "database at revision" in result.output
    assert (tmp_path / "var" / "shopassist.db").is_file()


def test_ingest_bigbasket_then_truncated_copy(
    cli: CliRunner, shared_data: Path, tmp_path: Path
) -> None:
    src = shared_data / "bigbasket/bigbasket_products.csv"
    args = ["ingest", "catalog", str(src), "--format", "bigbasket", "--no-refresh-index"]
    result = cli.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "read 6079, loaded 6079, cleaned" in result.output and "skipped 0" in result.output
    assert "stray extra field dropped (1)" in result.output

    # truncate the record that starts on physical line 500
    with src.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        starts = []
        while True:
            starts.append(reader.line_num + 1)
            if next(reader, None) is None:
                break
    line = next(n for n in starts if n >= 500)
    lines = src.read_bytes().split(b"\n")
    lines[line - 1] = b",".join(lines[line - 1].split(b",")[:4])
    broken = tmp_path / "truncated.csv"
    broken.write_bytes(b"\n".join(lines))
    result = cli.invoke(app, [*args[:2], str(broken), *args[3:], "--json"])
    assert result.exit_code == 1
    assert f"truncated.csv: line {line}: expected 11 fields, found 4" in result.output
    assert "nothing was written" in result.output

    again = cli.invoke(app, args)  # the database still holds the first import, unchanged
    assert "read 6079, loaded 6079, cleaned" in again.output


def test_bad_options_fail_with_one_line(cli: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    result = cli.invoke(app, ["ingest", "events", str(path), "--format", "parquet"])
    assert result.exit_code == 1 and "unknown events format 'parquet'" in result.output
    result = cli.invoke(app, ["ingest", "catalog", str(path), "-f", "csv", "-m", "title"])
    assert result.exit_code == 1 and "bad mapping 'title'" in result.output
    result = cli.invoke(app, ["ingest", "catalog", str(tmp_path / "nope.csv"), "-f", "csv"])
    assert result.exit_code == 1 and "no such file" in result.output
