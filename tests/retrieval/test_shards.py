"""Sharded vector indexes: flat shards answer exactly as one flat index, IVF-PQ shards come close,
both survive save and load, and the engine searches them the same way."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from retrieval.bench_scale import bench_scale, compose, exact_top
from retrieval.engine import SearchEngine
from retrieval.runner import LocalRunner, make_runner
from retrieval.shards import ShardedVectorIndex, load_vector_index, save_vector_index
from retrieval.vectors import VectorIndex, VectorIndexConfig


def _unit(n: int, dim: int = 64, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=(n, dim)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def test_flat_shards_answer_as_one_flat_index_ties_included():
    vecs = _unit(3000)
    vecs[20] = vecs[10]  # equal scores: both keep the lower id at the cut
    ids = np.arange(len(vecs), dtype=np.int64)
    flat = VectorIndex(64, VectorIndexConfig(kind="flat")).build(ids, vecs)
    sharded = ShardedVectorIndex(64, VectorIndexConfig(shards=3)).build(ids, vecs)
    assert sharded.kinds == ["flat"] * 3 and sharded.shard_sizes() == [1000] * 3
    allowed = np.zeros(len(vecs), dtype=bool)
    allowed[::5] = True
    for q in [vecs[10] + 0.01, *(vecs[:40] + 0.02)]:
        for mask, k in ((None, 10), (allowed, 7), (None, 1)):
            s1, i1 = flat.search(q, k, mask)
            s2, i2 = sharded.search(q, k, mask)
            assert sorted(i1.tolist()) == sorted(i2.tolist())
            np.testing.assert_allclose(np.sort(s1), np.sort(s2), rtol=0, atol=1e-6)
    one = sharded.search(vecs[10] + 0.01, 1)[1]
    assert one.tolist() == [10]
    sharded.remove(np.array([10]))
    assert 10 not in sharded.search(vecs[10], 5)[1] and sharded.ntotal == 2999


def test_ivfpq_shards_recall_and_round_trip(tmp_path):
    vecs = _unit(6000, dim=64, seed=1)
    ids = np.arange(len(vecs), dtype=np.int64)
    cfg = VectorIndexConfig(shards=2, ann_threshold=1000, pq_m=16, nprobe=32)
    index = ShardedVectorIndex(64, cfg).build(ids, vecs, map_fn=LocalRunner().map)
    assert index.kinds == ["ivfpq", "ivfpq"]
    flat = VectorIndex(64, VectorIndexConfig(kind="flat")).build(ids, vecs)
    queries = vecs[:50] + 0.05
    recall = np.mean(
        [len(set(flat.search(q, 10)[1]) & set(index.search(q, 10)[1])) / 10 for q in queries]
    )
    assert recall > 0.3  # PQ codes of random 64-d vectors: approximate, far above chance
    fields = save_vector_index(index, tmp_path)
    assert [s["kind"] for s in fields["shards"]] == ["ivfpq", "ivfpq"]
    back = load_vector_index(tmp_path, fields, vecs, ids, cfg)
    assert isinstance(back, ShardedVectorIndex)
    for q in queries[:10]:
        assert back.search(q, 10)[1].tolist() == index.search(q, 10)[1].tolist()


def test_sharded_engine_equals_single_engine(bb_docs, engine_config, cache_dir, tmp_path):
    single = SearchEngine.build(bb_docs, engine_config, cache_dir)
    cfg = replace(engine_config, vectors=replace(engine_config.vectors, shards=3))
    runner = LocalRunner()
    sharded = SearchEngine.build(bb_docs, cfg, cache_dir, runner=runner)
    assert isinstance(sharded.vindex, ShardedVectorIndex)
    assert runner.steps[-1]["step"] == "build_shard"  # embedding: whatever the cache lacked
    sharded.save(tmp_path / "index")
    loaded = SearchEngine.load(tmp_path / "index", engine_config, cache_dir)
    assert isinstance(loaded.vindex, ShardedVectorIndex) and loaded.vindex.n_shards == 3
    queries = [" ".join(d.title.split()[:2]) for d in bb_docs[:40]]
    for q in queries:
        for mode in ("dense", "hybrid"):
            want = [h.product_id for h in single.search(q, k=10, mode=mode)]
            assert [h.product_id for h in sharded.search(q, k=10, mode=mode)] == want
            assert [h.product_id for h in loaded.search(q, k=10, mode=mode)] == want
    doc = bb_docs[3]
    assert [h.product_id for h in loaded.similar(doc.product_id, 5)] == [
        h.product_id for h in single.similar(doc.product_id, 5)
    ]


def test_unknown_engine_names_the_valid_ones():
    with pytest.raises(ValueError, match="auto, local, ray"):
        make_runner("spark")
    assert make_runner("auto", "").name == "local"


def test_bench_scale_on_a_small_synthetic_catalog(bb_docs, engine_config):
    cfg = replace(engine_config, vectors=replace(engine_config.vectors, ann_threshold=1000))
    report = bench_scale(
        bb_docs, cfg, LocalRunner(), n=3000, shards=2, vocab_size=200, embed_sample=64,
        n_queries=20,
    )  # fmt: skip
    assert report["index"]["kinds"] == ["ivfpq", "ivfpq"]
    assert report["index"]["shard_vectors"] == [1500, 1500]
    assert report["vectors_composed"]["words_embedded"] == 200
    q = report["queries"]
    assert 0 < q["recall_at_10_ivfpq_vs_flat"] <= q["recall_at_10_ivfpq_pool_100_rescored_vs_flat"]
    assert report["embedding_measured"]["titles_per_s"] > 0


def test_composed_vectors_are_normalised_sums_of_word_vectors():
    words = _unit(5, dim=8)
    ids = np.array([[0, 1, 4], [2, 2, 3]])
    out = compose(words, ids, np.array([2, 3]))
    want = np.stack([words[0] + words[1], 2 * words[2] + words[3]])
    np.testing.assert_allclose(out, want / np.linalg.norm(want, axis=1, keepdims=True), atol=1e-6)
    assert exact_top(out, out[:1], 1).tolist() == [[0]]
