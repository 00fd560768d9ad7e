"""Fit the search-hit relevance model (retrieval.relevance) on Home Depot dev judgments.

    python -m retrieval.homedepot ../shared/data/homedepot/judgments_dev.csv var/hd
    python -m retrieval.calibrate var/hd/corpus.jsonl var/hd/queries.tsv var/hd/qrels.tsv \
        --model-path MINILM_DIR --cache var/index/embcache

Pairs: every judged (query, product), relevant when its grade is at least 2 (Home Depot grades
run from 1, irrelevant, through 2, partly, to 3, exactly relevant), plus, per query, products
drawn at random from the corpus (seeded by the query id) as unrelated pairs. Home Depot judged
only what its own search showed, so it holds few plainly unrelated pairs, and those are the ones
an honest "no match" must catch. The features come from the engine the store searches with
(MiniLM cosine, the BM25 tokenizer's word coverage). Queries are split by sha1 of their id: the
model is fitted on one half and its figures are reported on the other.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

import numpy as np

from retrieval.corpus import ProductDoc
from retrieval.relevance import RelevanceModel, coverage, evaluate, fit, half

RELEVANT_GRADE = 2.0


def pair_features(
    docs: list[ProductDoc],
    queries: list[tuple[str, str]],
    qrels: dict[str, dict[str, float]],
    model_path: str,
    cache: str | None,
    negatives: int = 2,
) -> tuple[np.ndarray, np.ndarray, list[str], np.ndarray]:
    """(features (n, 2), labels (n,), qid of each pair, grade of each pair; 0 for sampled)."""
    from retrieval.embed import EmbedderConfig
    from retrieval.engine import EngineConfig, SearchEngine

    engine = SearchEngine.build(
        docs, EngineConfig(embedder=EmbedderConfig(model_path)), cache, progress=True
    )
    judged = [(qid, q) for qid, q in queries if qrels.get(qid)]
    qvecs = engine.embedder.embed([q for _, q in judged], progress=True, desc="queries")
    tok = engine.lexical.tokenizer
    feats: list[tuple[float, float]] = []
    labels: list[int] = []
    grades: list[float] = []
    qids: list[str] = []
    n_rows = len(engine.docs)
    for (qid, query), qvec in zip(judged, qvecs, strict=True):
        seed = int(hashlib.sha1(qid.encode()).hexdigest()[:8], 16)
        drawn = np.random.default_rng(seed).choice(n_rows, size=negatives * 3, replace=False)
        sampled = [
            engine.docs[r].product_id for r in drawn if engine.docs[r].product_id not in qrels[qid]
        ]
        pairs = list(qrels[qid].items()) + [(pid, 0.0) for pid in sampled[:negatives]]
        for pid, grade in pairs:
            row = engine.row_of.get(pid)
            if row is None:
                continue
            cos = float(engine.vectors[row] @ qvec)
            cov = coverage(query, engine.docs[row].title, tok)
            feats.append((cos, cov))
            labels.append(int(grade >= RELEVANT_GRADE))
            grades.append(grade)
            qids.append(qid)
    return np.asarray(feats), np.asarray(labels), qids, np.asarray(grades)


def calibrate(
    features: np.ndarray,
    labels: np.ndarray,
    qids: list[str],
    grades: np.ndarray,
    min_recall: float = 0.85,
    related_recall: float = 0.95,
    version: str = "hd-dev-v1",
) -> tuple[RelevanceModel, dict[str, dict[str, float]]]:
    """Fit on the "fit" half of the queries; figures on both halves at both thresholds, with
    and without the sampled unrelated pairs (grade 0)."""
    fit_rows = np.array([half(q) == "fit" for q in qids])
    model = fit(features[fit_rows], labels[fit_rows], min_recall, related_recall, version)
    rep, judged = ~fit_rows, grades > 0
    probs = model.probabilities(features[rep & ~judged])
    figures: dict[str, dict[str, float]] = {}
    for name, related in (("match", False), ("related", True)):
        figures[f"{name}_fit_half"] = evaluate(model, features[fit_rows], labels[fit_rows], related)
        figures[f"{name}_report_half"] = evaluate(model, features[rep], labels[rep], related)
        figures[f"{name}_report_half_judged_only"] = evaluate(
            model, features[rep & judged], labels[rep & judged], related
        )
        cut = model.related_threshold if related else model.threshold
        figures[f"{name}_report_half_unrelated"] = {
            "called_relevant": round(float(np.mean(probs >= cut)), 4)
        }
    return model, figures


def main(argv: list[str] | None = None) -> None:
    """python -m retrieval.calibrate CORPUS QUERIES QRELS --model-path DIR [--cache DIR]."""
    from retrieval.files import read_corpus, read_qrels, read_queries

    ap = argparse.ArgumentParser(description=main.__doc__)
    ap.add_argument("corpus")
    ap.add_argument("queries")
    ap.add_argument("qrels")
    ap.add_argument("--model-path", required=True, help="sentence-transformers directory")
    ap.add_argument("--cache", default=None, help="embedding cache directory")
    ap.add_argument("--negatives", type=int, default=2, help="sampled unrelated pairs per query")
    ap.add_argument("--min-recall", type=float, default=0.85, help="recall kept by a match")
    ap.add_argument("--related-recall", type=float, default=0.95, help="and by a related hit")
    ap.add_argument("--features", default=None, help="features .npz to write, or read if present")
    args = ap.parse_args(argv)
    path = Path(args.features) if args.features else None
    if path and path.is_file():
        saved = np.load(path)
        feats, labels, grades = saved["features"], saved["labels"], saved["grades"]
        qids = [str(q) for q in saved["qids"]]
    else:
        feats, labels, qids, grades = pair_features(
            read_corpus(args.corpus),
            read_queries(args.queries),
            read_qrels(args.qrels),
            args.model_path,
            args.cache,
            args.negatives,
        )
        if path:
            np.savez(path, features=feats, labels=labels, grades=grades, qids=np.asarray(qids))
    model, figures = calibrate(feats, labels, qids, grades, args.min_recall, args.related_recall)
    print(json.dumps({"model": model.__dict__, "figures": figures}, indent=1))


if __name__ == "__main__":
    main()
