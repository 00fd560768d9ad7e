"""`shopassist finetune build-data|train|eval` and `bench generate`: data from the database, clear errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from typer.testing import CliRunner

    from assistant.cli import load_commands
    from assistant.cli.app import app
    from assistant.config import get_settings

    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.delenv("SHOPASSIST_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    load_commands()
    yield lambda *args: CliRunner().invoke(app, list(args))
    get_settings.cache_clear()


def _catalog(n: int) -> None:
    from assistant.config import get_settings
    from assistant.db.models import Base, Product
    from assistant.db.session import get_engine, session_scope

    url = get_settings().effective_database_url
    get_settings().data_dir.mkdir(parents=True, exist_ok=True)
    Base.metadata.create_all(get_engine(url))
    with session_scope(url) as s:
        for i in range(n):
            s.add(
                Product(
                    id=f"p{i}",
                    title=f"Item {i} - Steel Bottle",
                    brand=["Cello", "Milton"][i % 2],
                    category="Kitchen > Bottles",
                    price=100 + 10 * i,
                    rating=4.0,
                )
            )


def test_build_data_reads_the_catalog_and_train_eval_fail_clearly(cli, tmp_path):
    result = cli("finetune", "train")
    assert result.exit_code == 1 and "build-data" in result.output
    _catalog(2)
    result = cli("finetune", "build-data")
    assert result.exit_code == 1 and "ingest a catalog" in result.output
    _catalog_more = [f"p{i}" for i in range(2, 8)]
    from assistant.config import get_settings
    from assistant.db.models import Product
    from assistant.db.session import session_scope

    with session_scope(get_settings().effective_database_url) as s:
        for pid in _catalog_more:
            s.add(
                Product(id=pid, title=f"Green Tea {pid}", brand="Tetley", category="Tea", price=150)
            )
    result = cli("finetune", "build-data", "--n-train", "40", "--n-eval", "10")
    assert result.exit_code == 0, result.output
    folder = tmp_path / "var" / "finetune"
    rows = [json.loads(x) for x in (folder / "train.jsonl").read_text().splitlines()]
    assert len(rows) == 40
    names = json.loads((folder / "catalog_names.json").read_text())
    assert names["brands"] == ["Cello", "Milton", "Tetley"]
    result = cli("finetune", "eval", "--only", "nope")
    assert result.exit_code == 1


def test_bench_rejects_unknown_backend(cli):
    result = cli("bench", "generate", "--backend", "nope", "--json")
    assert result.exit_code == 1 and "transformers, openai" in result.output
