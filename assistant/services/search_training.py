"""Training the learned search stages: `shopassist train ranker` (from judgments or from the
store's search clicks) and `shopassist train embedder` (from judgments).

The first stage searched for training is the one that will serve: a given corpus (what `eval
retrieval --corpus` will read), else the store's published index, else the judged products
themselves. The trained ranker is published under data_dir/ranker as a new version (atomic
swap); the service and `eval retrieval` pick it up on their next query.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import cast

from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.services import search as search_service
from assistant.services.records import EmbedderSummary, RankerSummary
from assistant.services.search_events import click_log
from retrieval.clicks import click_training_set
from retrieval.corpus import ProductDoc
from retrieval.embed import export_onnx
from retrieval.embedder_training import EmbedderTrainingConfig, fine_tune, training_triples
from retrieval.engine import SearchEngine
from retrieval.judgments import by_query, judged_docs, read_judgments, relevant_counts, training_set
from retrieval.ranker import Ranker, RankerConfig, fit_ranker, save_ranker

log = logging.getLogger(__name__)


def first_stage(
    settings: Settings, docs: list[ProductDoc] | None, fallback: list[ProductDoc], progress: bool
) -> tuple[SearchEngine, str]:
    """The hybrid engine to train over and where its products came from."""
    root = search_service.index_root(settings)
    if docs is None:
        try:
            return search_service.load_engine(settings), "store index"
        except search_service.SearchUnavailable:
            docs, source = fallback, "judged products"
    else:
        source = "corpus"
    if not docs:
        raise ValueError("no products to search: give --corpus or build the store's index")
    cfg = search_service.engine_config(settings)
    engine = SearchEngine.build(docs, cfg, root / "embcache", progress=progress)
    if engine.cache is not None:
        engine.cache.save()
    return engine, source


def train_from_judgments(
    settings: Settings,
    judgments: Path,
    docs: list[ProductDoc] | None = None,
    config: RankerConfig | None = None,
    popularity: bool = True,
    progress: bool = False,
) -> RankerSummary:
    """Train and publish the reranker on graded judgments (JUDGMENTS.csv)."""
    config = config or RankerConfig()
    rows = read_judgments(judgments)
    graded = by_query(rows)
    engine, source = first_stage(settings, docs, judged_docs(rows), progress)
    pop = {p: float(n) for p, n in relevant_counts(graded).items()} if popularity else {}
    data = training_set(engine, graded, config, pop, progress=progress)
    ranker = fit_ranker(data, config, pop, progress=progress)
    ranker.meta |= {"trained_on": str(judgments), "first_stage": source, "products": len(engine)}
    return _publish(settings, ranker, engine)


def train_embedder(
    settings: Settings,
    judgments: Path,
    docs: list[ProductDoc] | None = None,
    config: EmbedderTrainingConfig | None = None,
    progress: bool = False,
) -> EmbedderSummary:
    """Fine-tune the base embedder on graded judgments with hard negatives from the hybrid
    first stage, publish it under data_dir/embedder and export it to ONNX for serving. The
    search index and the reranker use it while SHOPASSIST_SEARCH_EMBEDDER=learned (the default; rebuild
    the index and retrain the ranker: their vectors and cosines change)."""
    config = config or EmbedderTrainingConfig()
    rows = read_judgments(judgments)
    base = settings.model_copy(update={"search_embedder": "base"})
    engine, source = first_stage(base, docs, judged_docs(rows), progress)
    triples = training_triples(engine, by_query(rows), config, progress)
    path, figures = fine_tune(
        settings.embedder_path, triples, settings.path("embedder"), config, progress
    )
    served = replace(settings.embedder_config(), model_path=str(path))
    onnx = export_onnx(served) if served.backend == "onnx" else None
    summary = {
        "path": str(path),
        "version": path.name,
        "onnx": str(onnx or ""),
        "first_stage": source,
        "in_use": settings.search_embedder == "learned",
        **figures,
    }
    return cast(EmbedderSummary, summary)


def train_from_events(
    settings: Settings,
    db: Session,
    config: RankerConfig | None = None,
    progress: bool = False,
) -> RankerSummary:
    """Train and publish the reranker on the store's logged search impressions and clicks,
    corrected for position bias (retrieval.clicks)."""
    config = config or RankerConfig()
    impressions = click_log(db)
    if not impressions:
        raise ValueError(
            "no search impressions logged: POST /v1/events with type 'impression' "
            "(query, product_id, value = position, page = the search's id)"
        )
    try:
        engine = search_service.load_engine(settings)
    except search_service.SearchUnavailable as exc:
        raise ValueError(f"the store's search index is needed: {exc}") from exc
    data, signals, figures = click_training_set(engine, impressions, config, progress)
    ranker = fit_ranker(data, config, signals.popularity, signals.clicks, progress)
    ranker.meta |= {"trained_on": "events", "first_stage": "store index", **figures}
    return _publish(settings, ranker, engine)


def _publish(settings: Settings, ranker: Ranker, engine: SearchEngine) -> RankerSummary:
    """Save the ranker as the new published version, marked with the embedder its cosine
    features came from (search refuses it with another)."""
    ranker.meta["embedder_fingerprint"] = engine.config.embedder.fingerprint()
    path = save_ranker(search_service.ranker_root(settings), ranker)
    return cast(RankerSummary, {"path": str(path), "version": path.name, **ranker.meta})
