"""Run many queries through an engine (the `eval retrieval` contract) and score runs (dev only)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import numpy as np

from retrieval.engine import SearchEngine
from retrieval.ranker import Ranker, search_reranked
from retrieval.rewrite import hedge_vectors, typed_text

if TYPE_CHECKING:
    from retrieval.rewrite import Rewrite


def run_queries(
    engine: SearchEngine,
    queries: list[tuple[str, str]],
    k: int = 100,
    mode: str | None = None,
    progress: bool = False,
    rewrites: Sequence[Rewrite] | None = None,
    ranker: Ranker | None = None,
) -> Iterator[tuple[str, list[tuple[str, float]]]]:
    """(qid, [(product_id, score), ...]) per query, best first; query vectors embedded in batches.

    rewrites: the rewriter's output for each query (queries then hold the rewritten texts);
    BM25 adds its soft terms, and the query vector is the mean of the typed and the rewritten
    query's vectors, which hedges a wrong correction on the side that reads typos best.
    ranker: a learned reranker over the first stage's candidates (retrieval.ranker).
    """
    from tqdm.auto import tqdm

    mode = mode or engine.config.mode
    texts = [q for _, q in queries]
    qvecs = (
        engine.embedder.embed(texts, progress=progress, desc="queries") if mode != "bm25" else None
    )
    if qvecs is not None and rewrites is not None:  # batched form of search_rewritten
        typed = [typed_text(rw) for rw in rewrites]
        changed = [i for i, t in enumerate(typed) if t and t != texts[i]]
        if changed:
            typed_vecs = engine.embedder.embed([typed[i] for i in changed])
            qvecs[changed] = hedge_vectors(qvecs[changed], typed_vecs)
    for i, (qid, query) in enumerate(
        tqdm(queries, desc=f"search ({mode})", unit="q", disable=not progress)
    ):
        if not query.strip():
            yield qid, []
            continue
        hits = search_reranked(
            engine,
            ranker,
            query,
            k=k,
            mode=mode,
            explain=False,
            query_vector=None if qvecs is None else qvecs[i],
            soft_terms=rewrites[i].soft_terms if rewrites is not None else (),
        )
        yield qid, [(h.product_id, h.score) for h in hits]


def main(argv: list[str] | None = None) -> None:
    """Score a run against labels: python -m retrieval.evaluate RUN.tsv QRELS.tsv."""
    from retrieval.files import read_qrels, read_run
    from retrieval.metrics import evaluate_run

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("run")
    ap.add_argument("qrels")
    ap.add_argument("--ndcg-k", type=int, default=10)
    ap.add_argument("--recall-k", type=int, default=100)
    args = ap.parse_args(argv)
    scores = evaluate_run(read_run(args.run), read_qrels(args.qrels), args.ndcg_k, args.recall_k)
    print(json.dumps({k: round(v, 4) for k, v in scores.items()}))


def percentiles(samples_ms: list[float]) -> dict[str, float]:
    """p50 / p99 / mean of latencies in milliseconds."""
    a = np.asarray(samples_ms, dtype=np.float64)
    return {
        "p50_ms": round(float(np.percentile(a, 50)), 3),
        "p99_ms": round(float(np.percentile(a, 99)), 3),
        "mean_ms": round(float(a.mean()), 3),
    }


if __name__ == "__main__":
    main()
