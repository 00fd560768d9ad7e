"""`bench search --synthetic N`: a sharded index over N synthetic products, built by a runner
(in this process or on Ray), with its build time, memory per shard, query latency and IVF-PQ's
recall@10 against exact search. Plain data in, one dict out.

Titles are drawn from the vocabulary of a real catalog (its title words, by frequency).
Embedding N titles with MiniLM is what a real build does, and on a few CPU cores it takes hours
for a million: so the embedding throughput is *measured* on a sample of the synthetic titles
(through the runner) and the full embedding time *extrapolated*, while the N vectors that the
index is built from are *composed*: each vocabulary word is embedded once (really, by the same
model) and a title's vector is the normalised sum of its words' vectors. The report labels
each figure as measured, extrapolated or composed.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import replace

import numpy as np

from retrieval.bench import peak_rss_mb, rss_mb
from retrieval.corpus import ProductDoc
from retrieval.embed import Embedder
from retrieval.engine import EngineConfig
from retrieval.evaluate import percentiles
from retrieval.lexical import Tokenizer
from retrieval.runner import Runner
from retrieval.shards import ShardedVectorIndex

CHUNK = 20_000  # titles composed at a time: (CHUNK, max words, dim) floats stay ~250 MB


def vocabulary(docs: list[ProductDoc], size: int) -> tuple[list[str], np.ndarray]:
    """The size most frequent title words of docs and their sampling weights (freq^0.75)."""
    words_of = Tokenizer(stem=False).words  # stopwords out, as typed
    counts = Counter(w for d in docs for w in words_of(d.title) if len(w) > 1)
    words, freq = zip(*counts.most_common(size), strict=True)
    weights = np.asarray(freq, dtype=np.float64) ** 0.75
    return list(words), weights / weights.sum()


def synthetic_titles(
    n: int, n_words: int, weights: np.ndarray, seed: int, lengths: tuple[int, int] = (3, 8)
) -> tuple[np.ndarray, np.ndarray]:
    """(n, max_len) word ids and (n,) lengths of n random titles (word ids drawn by weight)."""
    rng = np.random.default_rng(seed)
    lens = rng.integers(lengths[0], lengths[1] + 1, size=n)
    ids = rng.choice(n_words, size=(n, lengths[1]), p=weights)
    return ids, lens


def compose(word_vecs: np.ndarray, ids: np.ndarray, lens: np.ndarray) -> np.ndarray:
    """(n, max_len) word ids, (n,) lengths -> (n, dim) unit vectors: the sum of the first
    lens[i] words' vectors of row i, normalised."""
    out = np.zeros((len(ids), word_vecs.shape[1]), dtype=np.float32)
    keep = np.arange(ids.shape[1])[None, :] < lens[:, None]  # (n, max_len)
    for s in range(0, len(ids), CHUNK):
        part = word_vecs[ids[s : s + CHUNK]] * keep[s : s + CHUNK, :, None]  # (c, max_len, dim)
        out[s : s + CHUNK] = part.sum(1)
    return out / np.clip(np.linalg.norm(out, axis=1, keepdims=True), 1e-12, None)


def exact_top(vectors: np.ndarray, queries: np.ndarray, k: int) -> np.ndarray:
    """(q, k) ids of each query's k best inner products over all vectors (chunked)."""
    best_s = np.full((len(queries), k), -np.inf, dtype=np.float32)
    best_i = np.zeros((len(queries), k), dtype=np.int64)
    for s in range(0, len(vectors), 100_000):
        scores = queries @ vectors[s : s + 100_000].T  # (q, chunk)
        top = np.argpartition(-scores, k, axis=1)[:, :k]
        cand_s = np.concatenate([best_s, np.take_along_axis(scores, top, 1)], axis=1)
        cand_i = np.concatenate([best_i, top + s], axis=1)
        order = np.argsort(-cand_s, axis=1, kind="stable")[:, :k]
        best_s, best_i = np.take_along_axis(cand_s, order, 1), np.take_along_axis(cand_i, order, 1)
    return best_i


def _words(vocab: list[str], ids: np.ndarray, lens: np.ndarray) -> list[str]:
    return [" ".join(vocab[j] for j in row[:n]) for row, n in zip(ids, lens, strict=True)]


def bench_scale(
    docs: list[ProductDoc],
    config: EngineConfig,
    runner: Runner,
    n: int = 1_000_000,
    shards: int = 4,
    vocab_size: int = 4000,
    embed_sample: int = 2000,
    n_queries: int = 200,
    k: int = 10,
    progress: bool = False,
) -> dict:
    """Every figure of `bench search --synthetic n` (see the module docstring)."""
    load_start = round(os.getloadavg()[0], 2)
    vocab, weights = vocabulary(docs, vocab_size)
    report: dict = {
        "products": n,
        "engine": runner.name,
        "vocabulary": {"source_products": len(docs), "words": len(vocab)},
    }
    ids, lens = synthetic_titles(n, len(vocab), weights, seed=0)
    sample = _words(vocab, ids[:embed_sample], lens[:embed_sample])
    runner.embed(sample[:64], config.embedder, False)  # loads the model (exports it once)
    start = time.perf_counter()
    runner.embed(sample, config.embedder, progress)
    rate = len(sample) / (time.perf_counter() - start)
    report["embedding_measured"] = {
        "sample_titles": len(sample),
        "titles_per_s": round(rate, 1),  # with Ray: starting the actor pool included
        "workers": runner.steps[-1].get("actors", 1),
        "where": runner.steps[-1]["nodes"],
        "extrapolated_hours_for_all": round(n / rate / 3600, 2),
    }
    start = time.perf_counter()
    word_vecs = runner.embed(vocab, config.embedder, progress)
    vectors = compose(word_vecs, ids, lens)
    report["vectors_composed"] = {
        "words_embedded": len(vocab),
        "seconds": round(time.perf_counter() - start, 1),
        "vector_mb": round(vectors.nbytes / 2**20, 1),
    }
    cfg = replace(config.vectors, shards=shards, gpu="never")
    start = time.perf_counter()
    index = ShardedVectorIndex(vectors.shape[1], cfg).build(
        np.arange(n, dtype=np.int64), vectors, map_fn=runner.map
    )
    build_s = time.perf_counter() - start
    shard_mb = [
        round(_faiss_bytes(s.index) / 2**20, 1) for s in index.shards if s.index is not None
    ]
    report["index"] = {
        "shards": shards,
        "kinds": index.kinds,
        "build_s": round(build_s, 1),
        "build_where": runner.steps[-1]["nodes"],
        "shard_vectors": index.shard_sizes(),
        "memory_per_shard_mb": shard_mb,
        "float_vectors_per_shard_mb": round(vectors.nbytes / shards / 2**20, 1),
        "nprobe": cfg.nprobe,
        "pq_bytes_per_vector": cfg.pq_m,
    }
    q_ids, q_lens = synthetic_titles(n_queries, len(vocab), weights, seed=1, lengths=(2, 3))
    queries = compose(word_vecs, q_ids, q_lens)
    truth = exact_top(vectors, queries, k)
    times, rescored_times, hits, rescored_hits = [], [], 0, 0
    for q, t in zip(queries, truth, strict=True):
        s = time.perf_counter()
        got = index.search(q, k)[1]
        times.append((time.perf_counter() - s) * 1000)
        hits += len(set(t.tolist()) & set(got.tolist()))
        s = time.perf_counter()  # what the engine does: a wider pool, re-scored exactly
        pool = index.search(q, 10 * k)[1]
        best = pool[np.argsort(-(vectors[pool] @ q), kind="stable")[:k]]
        rescored_times.append((time.perf_counter() - s) * 1000)
        rescored_hits += len(set(t.tolist()) & set(best.tolist()))
    embedder = Embedder(config.embedder)
    texts = _words(vocab, q_ids, q_lens)
    embedder.embed_query(texts[0])
    embed_ms = []
    for text in texts:
        s = time.perf_counter()
        embedder.embed_query(text)
        embed_ms.append((time.perf_counter() - s) * 1000)
    report["queries"] = {
        "queries": n_queries,
        "k": k,
        "search_fan_out_merge": percentiles(times),
        "search_pool_100_rescored_exactly": percentiles(rescored_times),
        "query_embedding_measured": percentiles(embed_ms),
        "recall_at_10_ivfpq_vs_flat": round(hits / (k * n_queries), 4),
        "recall_at_10_ivfpq_pool_100_rescored_vs_flat": round(rescored_hits / (k * n_queries), 4),
        "nprobe_sweep": _nprobe_sweep(index, queries, truth, k),
    }
    report["memory"] = {"rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb()}
    report["load_average_1m"] = {"start": load_start, "end": round(os.getloadavg()[0], 2)}
    report["steps"] = list(runner.steps)
    return report


def _nprobe_sweep(
    index: ShardedVectorIndex, queries: np.ndarray, truth: np.ndarray, k: int
) -> dict[str, dict]:
    """Recall@k against exact search and latency at more inverted lists probed per shard."""
    out: dict[str, dict] = {}
    base = [s.config for s in index.shards]
    for nprobe in (16, 64, 256):
        for shard, cfg in zip(index.shards, base, strict=True):
            shard.config = replace(cfg, nprobe=nprobe)
        times, hits = [], 0
        for q, t in zip(queries, truth, strict=True):
            s = time.perf_counter()
            got = index.search(q, k)[1]
            times.append((time.perf_counter() - s) * 1000)
            hits += len(set(t.tolist()) & set(got.tolist()))
        out[str(nprobe)] = {"recall_at_10": round(hits / (k * len(queries)), 4)} | percentiles(
            times
        )
    for shard, cfg in zip(index.shards, base, strict=True):
        shard.config = cfg
    return out


def _faiss_bytes(index) -> int:
    import faiss

    return int(faiss.serialize_index(index).nbytes)
