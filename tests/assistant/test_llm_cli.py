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


def test_build_data_on_ray_equals_the_same_shards_here(cli, tmp_path, monkeypatch, ray_cluster):
    """Each shard is a Ray task seeded by (seed, shard, shards): the files equal an in-process
    build with as many shards, and the plan of kinds is the one a single shard draws."""
    _catalog(8)
    out = {}
    for name, engine, shards in (("one", "local", "1"), ("here", "local", "3")):
        result = cli("finetune", "build-data", "--n-train", "60", "--n-eval", "12",
                     "--engine", engine, "--shards", shards, "--out", str(tmp_path / name))  # fmt: skip
        assert result.exit_code == 0, result.output
    from assistant.config import get_settings

    monkeypatch.setenv("SHOPASSIST_RAY_ADDRESS", ray_cluster)  # --engine auto: the cluster
    get_settings.cache_clear()
    result = cli("finetune", "build-data", "--n-train", "60", "--n-eval", "12",
                 "--shards", "3", "--out", str(tmp_path / "ray"))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "3 shard(s) per split on ray" in result.output
    steps = json.loads(result.output.split("on ray: ")[1].split(") ->")[0])
    assert steps[0]["step"] == "build_examples" and sum(steps[0]["nodes"].values()) == 6
    for split in ("train.jsonl", "eval.jsonl"):
        out = {name: (tmp_path / name / split).read_text() for name in ("one", "here", "ray")}
        assert out["ray"] == out["here"] != out["one"]
        kinds = {
            name: sorted(json.loads(line)["kind"] for line in text.splitlines())
            for name, text in out.items()
        }
        assert kinds["ray"] == kinds["one"]
