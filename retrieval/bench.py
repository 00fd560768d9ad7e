"""`bench search`: build time, embedding throughput vs plain sentence-transformers, query latency
with and without filters, ANN recall against flat, memory. Plain data in, one dict out."""

from __future__ import annotations

import dataclasses
import os
import random
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from retrieval.corpus import ProductDoc, product_text
from retrieval.embed import Embedder
from retrieval.engine import EngineConfig, SearchEngine
from retrieval.evaluate import percentiles
from retrieval.filters import Filters
from retrieval.ranker import Ranker, search_reranked
from retrieval.vectors import VectorIndex, VectorIndexConfig


def rss_mb() -> float:
    """Current resident memory of this process in MiB (Linux /proc; peak RSS elsewhere)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        pass
    return peak_rss_mb()


def peak_rss_mb() -> float:
    """Peak resident memory of this process in MiB."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def with_attributes(docs: list[ProductDoc], seed: int = 0) -> tuple[list[ProductDoc], int]:
    """docs where those without a price get seeded synthetic price/rating/stock (for filters);
    returns the docs and how many were given synthetic attributes."""
    rng = random.Random(seed)
    out, n = [], 0
    for d in docs:
        if d.price is None:
            n += 1
            d = dataclasses.replace(
                d,
                price=round(rng.lognormvariate(3.5, 1.0), 2),
                rating=round(rng.uniform(1, 5), 1),
                in_stock=rng.random() < 0.9,
            )
        out.append(d)
    return out, n


def sample_queries(docs: list[ProductDoc], n: int, seed: int = 0) -> list[str]:
    """Short queries made of the first words of random titles (when no query file is given)."""
    rng = random.Random(seed)
    picks = rng.sample(docs, min(n, len(docs)))
    return [" ".join(d.title.split()[: rng.randint(2, 4)]) for d in picks]


def _embed_rate(fn, texts: list[str]) -> tuple[float, np.ndarray]:
    start = time.perf_counter()
    vecs = fn(texts)
    return len(texts) / (time.perf_counter() - start), np.asarray(vecs)


def reference_rate(model_path: str, texts: list[str]) -> tuple[float, np.ndarray]:
    """Plain sentence-transformers (its defaults) on texts: (texts/s, vectors)."""
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(model_path, device="cpu", local_files_only=True)
    model.encode(texts[:32])  # warm-up
    return _embed_rate(lambda t: model.encode(t, normalize_embeddings=True), texts)


def _latency(
    engine: SearchEngine,
    queries: list[str],
    filters: Filters | None,
    k: int,
    ranker: Ranker | None = None,
) -> dict:
    times, full = [], 0
    for q in queries:
        start = time.perf_counter()
        hits = search_reranked(engine, ranker, q, filters, k=k)
        times.append((time.perf_counter() - start) * 1000)
        full += len(hits) == k
    return percentiles(times) | {"queries": len(queries), "returned_k_share": full / len(queries)}


def ann_recall(vectors: np.ndarray, queries: np.ndarray, k: int = 10) -> dict[str, dict]:
    """Recall@k of HNSW and IVF against exact flat search on the same vectors, and their latency."""
    ids = np.arange(len(vectors), dtype=np.int64)
    flat = VectorIndex(vectors.shape[1], VectorIndexConfig(kind="flat", gpu="never")).build(
        ids, vectors
    )
    truth = [set(flat.search(q, k)[1].tolist()) for q in queries]
    out: dict[str, dict] = {}
    for kind in ("hnsw", "ivf"):
        start = time.perf_counter()
        index = VectorIndex(vectors.shape[1], VectorIndexConfig(kind=kind, gpu="never"))
        index.build(ids, vectors)
        build_s = time.perf_counter() - start
        times, hits = [], 0
        for q, t in zip(queries, truth, strict=True):
            s = time.perf_counter()
            got = index.search(q, k)[1]
            times.append((time.perf_counter() - s) * 1000)
            hits += len(t.intersection(got.tolist()))
        out[kind] = {
            "recall_at_10_vs_flat": round(hits / (k * len(queries)), 4),
            "build_s": round(build_s, 2),
        } | percentiles(times)
    return out


def bench_search(
    docs: list[ProductDoc],
    config: EngineConfig,
    queries: list[str] | None = None,
    n_queries: int = 300,
    reference_sample: int = 1000,
    k: int = 10,
    progress: bool = False,
    ranker: Ranker | None = None,
) -> dict:
    """Every figure of `shopassist bench search` for docs under config (temp dirs, cleaned up);
    with a ranker, also the latency of the learned reranker over the same queries (no budget:
    every query is reranked)."""
    load_start = round(os.getloadavg()[0], 2)  # other processes on the cores skew every figure
    docs, synthetic = with_attributes(docs)
    queries = (queries or sample_queries(docs, n_queries))[:n_queries]
    report: dict = {
        "products": len(docs),
        "queries": len(queries),
        "synthetic_attributes": synthetic,  # products given made-up prices
        "embedder": dataclasses.asdict(config.embedder) | {"export_dir": None},
        "threads": os.cpu_count(),
    }
    rng = random.Random(1)
    sample = [
        product_text(d, config.max_description_chars)
        for d in rng.sample(docs, min(reference_sample, len(docs)))
    ]
    with tempfile.TemporaryDirectory(prefix="shopassist-bench-") as tmp:
        cfg = dataclasses.replace(
            config,
            embedder=dataclasses.replace(config.embedder, export_dir=str(Path(tmp) / "onnx")),
        )
        ref_rate, ref_vecs = reference_rate(cfg.embedder.model_path, sample)
        embedder = Embedder(cfg.embedder)
        embedder.embed(sample[:32])
        our_rate, our_vecs = _embed_rate(embedder.embed, sample)
        cos = (ref_vecs * our_vecs).sum(1)
        others = {}
        for backend, precision in (("onnx", "int8"), ("onnx", "fp32"), ("torch", "fp32")):
            if (backend, precision) == (cfg.embedder.backend, cfg.embedder.precision):
                continue
            alt = Embedder(dataclasses.replace(cfg.embedder, backend=backend, precision=precision))
            alt.embed(sample[:32])
            rate, vecs = _embed_rate(alt.embed, sample)
            others[f"{backend}-{precision}"] = {
                "texts_per_s": round(rate, 1),
                "cosine_to_reference_mean": round(float((ref_vecs * vecs).sum(1).mean()), 5),
            }
        report["embedding"] = {
            "sample": len(sample),
            "backend": f"{cfg.embedder.backend}-{cfg.embedder.precision}",
            "texts_per_s": round(our_rate, 1),
            "sentence_transformers_texts_per_s": round(ref_rate, 1),
            "speedup": round(our_rate / ref_rate, 2),
            "cosine_to_reference_mean": round(float(cos.mean()), 5),
            "cosine_to_reference_min": round(float(cos.min()), 5),
            "other_backends_same_sample": others,
        }
        start = time.perf_counter()
        engine = SearchEngine.build(docs, cfg, Path(tmp) / "cache", progress=progress)
        build_s = time.perf_counter() - start
        start = time.perf_counter()
        engine.save(Path(tmp) / "index")
        save_s = time.perf_counter() - start
        start = time.perf_counter()
        engine = SearchEngine.load(Path(tmp) / "index", cfg, Path(tmp) / "cache")
        load_s = time.perf_counter() - start
        start = time.perf_counter()
        again = SearchEngine.build(docs, cfg, Path(tmp) / "cache")
        report["index"] = {
            "build_s": round(build_s, 2),
            "build_embed_texts_per_s": round(len(docs) / build_s, 1),
            "rebuild_with_cache_s": round(time.perf_counter() - start, 2),
            "rebuild_cache_hits": again.cache.hits if again.cache else 0,
            "save_s": round(save_s, 2),
            "load_s": round(load_s, 3),
            "vector_index": engine.vindex.kind,
            "gpu": engine.vindex.on_gpu,
        }
        del again
        prices = np.array([d.price for d in docs if d.price is not None])
        lo, hi = (
            (float(np.percentile(prices, 25)), float(np.percentile(prices, 60)))
            if len(prices)
            else (None, None)
        )
        filters = Filters(min_price=lo, max_price=hi, min_rating=3.0, in_stock=True)
        for q in queries[:5]:
            engine.search(q, k=k)  # warm-up
        learned = {}
        if ranker is not None:
            for q in queries[:5]:
                search_reranked(engine, ranker, q, k=k)  # warm-up
            learned = {
                "learned_reranker": _latency(engine, queries, None, k, ranker)
                | {"version": ranker.version, "candidates": ranker.config.candidates}
            }
        report["latency"] = {
            "k": k,
            **learned,
            "no_filters": _latency(engine, queries, None, k),
            "with_filters": _latency(engine, queries, filters, k)
            | {
                "filters": filters.as_dict(),
                "passing_products": int(engine.attrs.mask(filters).sum()),
            },
        }
        qv = engine.embedder.embed(queries[:200])
        report["ann_vs_flat"] = ann_recall(engine.vectors[engine.alive], qv, 10)
    report["memory"] = {"rss_mb": rss_mb(), "peak_rss_mb": peak_rss_mb()}
    report["load_average_1m"] = {"start": load_start, "end": round(os.getloadavg()[0], 2)}
    return report
