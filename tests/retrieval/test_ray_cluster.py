"""`index build --engine ray` on a real two-node Ray cluster (a head and a worker, each its own
`ray start` on this machine with one CPU): the published index answers the Home Depot queries
as the in-process build does, and the build says which nodes embedded and built the shards.
The cluster is the session's (`ray_cluster` in tests/conftest.py), stopped at its end (bounded,
by process id).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from assistant.cli import app, load_commands
from assistant.config import get_settings
from assistant.services.search import load_engine
from retrieval.embed import export_onnx
from retrieval.evaluate import run_queries
from retrieval.files import read_qrels, read_queries
from retrieval.metrics import evaluate_run
from retrieval.runner import RayRunner
from retrieval.shards import ShardedVectorIndex
from tests.retrieval.catalog import homedepot_slice

pytest.importorskip("ray", reason="the `ray` extra is not installed (make install installs it)")


@pytest.fixture(scope="module")
def hd_small(tmp_path_factory):
    """30 real Home Depot dev queries over their judged products plus 200 distractors."""
    return homedepot_slice(tmp_path_factory.mktemp("hd"))


def _cli(monkeypatch, data_dir: Path, *args: str) -> str:
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    load_commands()
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


def _ndcg_and_run(data_dir: Path, monkeypatch, queries: Path, qrels: Path, version: str):
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(data_dir))
    get_settings.cache_clear()
    # both builds publish to the one database's pointer: each is loaded by its own version
    engine = load_engine(get_settings(), version)
    run = dict(run_queries(engine, read_queries(queries), k=10))
    ids = {q: [p for p, _ in hits] for q, hits in run.items()}
    return evaluate_run(ids, read_qrels(qrels), 10, 10)["ndcg@10"], ids, engine


def test_index_build_on_the_cluster_equals_in_process(
    ray_cluster, hd_small, engine_config, tmp_path, monkeypatch
):
    corpus, queries, qrels = hd_small
    monkeypatch.setenv("SHOPASSIST_DATABASE_URL", f"sqlite:///{tmp_path / 'shop.db'}")
    local, on_ray = tmp_path / "local", tmp_path / "ray"
    # the ONNX export is cached per data directory: both take the session's (the Ray actors
    # would otherwise export the model again, each)
    onnx = export_onnx(engine_config.embedder)
    for data_dir in (local, on_ray):
        (data_dir / "index" / "onnx").mkdir(parents=True)
        shutil.copy(onnx, data_dir / "index" / "onnx" / onnx.name)
    _cli(monkeypatch, local, "ingest", "catalog", str(corpus), "-f", "jsonl", "--no-refresh-index")
    built = json.loads(_cli(monkeypatch, local, "index", "build", "--engine", "local"))
    assert "engine" in built and built["vector_index"] == "flat"
    monkeypatch.setenv("SHOPASSIST_RAY_ADDRESS", ray_cluster)  # --engine auto picks the cluster
    summary = json.loads(_cli(monkeypatch, on_ray, "index", "build"))
    monkeypatch.delenv("SHOPASSIST_RAY_ADDRESS")
    # a fresh data directory: every distinct text is embedded on the cluster
    assert summary["engine"] == "ray" and summary["embedded"] == built["embedded"]
    assert summary["vector_index"] == "sharded" and sum(summary["shards"]) == built["products"]
    steps = {s["step"]: s for s in summary["steps"]}
    assert steps["embed"]["items"] == built["embedded"] and steps["embed"]["device"] == "cpu"
    assert sum(steps["embed"]["nodes"].values()) == built["embedded"]
    assert len(steps["build_shard"]["nodes"]) == 2  # one shard on each node

    ndcg_local, run_local, engine_local = _ndcg_and_run(
        local, monkeypatch, queries, qrels, Path(built["path"]).name
    )
    ndcg_ray, run_ray, engine_ray = _ndcg_and_run(
        on_ray, monkeypatch, queries, qrels, Path(summary["path"]).name
    )
    assert isinstance(engine_ray.vindex, ShardedVectorIndex)
    np.testing.assert_allclose(engine_ray.vectors, engine_local.vectors, rtol=0, atol=1e-5)
    assert run_ray == run_local
    assert ndcg_ray == ndcg_local > 0.2


def test_ray_runner_spreads_the_embedding_over_both_nodes(ray_cluster, hd_small, engine_config):
    corpus, _, _ = hd_small
    texts = [json.loads(line)["title"] for line in corpus.read_text().splitlines()] * 3
    runner = RayRunner(ray_cluster)
    try:
        vectors = runner.embed(texts, engine_config.embedder, progress=False)
        assert runner.nodes == 2 and runner.cpus == 2
    finally:
        runner.close()
    assert vectors.shape == (len(texts), 384)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    (step,) = runner.steps
    assert step["actors"] == 2 and sum(step["nodes"].values()) == len(texts)
    assert len(step["nodes"]) == 2, step
