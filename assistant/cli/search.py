"""Search commands: `index build`, `train ranker`, `eval retrieval` (EVAL.md contract),
`bench search`."""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import typer
from sqlalchemy.exc import OperationalError

from assistant.cli.app import bench_app, eval_app, fail, index_app, train_app
from assistant.cli.engines import ENGINE_HELP, batch_runner
from assistant.config import get_settings
from assistant.db.session import session_scope
from assistant.services.search import (
    build_index,
    engine_config,
    find_ranker,
    index_root,
    refresh_index,
)
from assistant.services.search_training import (
    train_embedder,
    train_from_events,
    train_from_judgments,
)
from retrieval.bench import bench_search as run_bench
from retrieval.bench_scale import bench_scale
from retrieval.embedder_training import EmbedderTrainingConfig
from retrieval.engine import SearchEngine
from retrieval.evaluate import run_queries
from retrieval.files import InputFileError, read_corpus, read_queries, write_run
from retrieval.ranker import RankerConfig
from retrieval.rewrite import QueryRewriter
from retrieval.runner import runner_shards

MODES = ("hybrid", "bm25", "dense")


def _read_corpus(path: Path):
    if not path.is_file():
        fail(f"file not found: {path}")
    try:
        return read_corpus(path)
    except InputFileError as exc:
        fail(str(exc))


def _engine_config(mode: str | None = None, shards: int = 1):
    try:
        cfg = engine_config(get_settings(), shards)
        return replace(cfg, mode=mode) if mode else cfg
    except ValueError as exc:
        fail(str(exc))


@index_app.command("build")
def index_build(
    refresh: bool = typer.Option(
        False, help="Update the existing index incrementally instead of rebuilding it."
    ),
    engine: str = typer.Option("auto", help=ENGINE_HELP),
) -> None:
    """Build the product search index from the catalog in the database (atomic swap)."""
    settings = get_settings()
    start = time.perf_counter()
    try:
        with session_scope(settings.effective_database_url) as db, batch_runner(engine) as runner:
            summary = (
                refresh_index(settings, db)
                if refresh
                else build_index(settings, db, True, runner=runner)
            )
    except OperationalError as exc:
        fail(f"database not ready ({str(exc.orig)[:120]}); run `shopassist db upgrade`")
    except ValueError as exc:
        fail(str(exc))
    typer.echo(json.dumps({**summary, "seconds": round(time.perf_counter() - start, 1)}))


@train_app.command("ranker")
def train_ranker(
    judgments: Path | None = typer.Option(
        None, help="JUDGMENTS.csv: product_uid, product_title, search_term, relevance (0..3)."
    ),
    from_events: bool = typer.Option(
        False, "--from-events", help="Learn from the store's logged search impressions and clicks."
    ),
    corpus: Path | None = typer.Option(
        None,
        help="CORPUS.jsonl searched for candidates (default: the store's index, else the judged "
        "products).",
    ),
    candidates: int = typer.Option(150, min=2, max=1000, help="First-stage hits reranked."),
    trees: int = typer.Option(500, min=1, max=5000, help="Most boosting rounds."),
    max_minutes: float = typer.Option(20.0, min=0.1, help="Training time limit."),
    popularity: bool = typer.Option(
        True, help="Read product popularity (relevant judgments or debiased clicks per product)."
    ),
) -> None:
    """Train the learned reranker (LightGBM lambdarank) and publish it in the data directory."""
    if (judgments is None) == (not from_events):
        fail("give exactly one of --judgments FILE and --from-events")
    if judgments is not None and not judgments.is_file():
        fail(f"file not found: {judgments}")
    settings = get_settings()
    config = RankerConfig(candidates=candidates, trees=trees, max_minutes=max_minutes)
    docs = _read_corpus(corpus) if corpus else None
    try:
        if judgments is not None:
            summary = train_from_judgments(settings, judgments, docs, config, popularity, True)
        else:
            with session_scope(settings.effective_database_url) as db:
                summary = train_from_events(settings, db, config, True)
    except (InputFileError, ValueError) as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(f"database not ready ({str(exc.orig)[:120]}); run `shopassist db upgrade`")
    typer.echo(json.dumps(summary))


@train_app.command("embedder")
def train_embedder_command(
    judgments: Path = typer.Option(
        ..., help="JUDGMENTS.csv: product_uid, product_title, search_term, relevance (0..3)."
    ),
    corpus: Path | None = typer.Option(
        None, help="CORPUS.jsonl to mine hard negatives from (default as for train ranker)."
    ),
    epochs: int = typer.Option(1, min=1, max=20, help="Passes over the training triples."),
    max_minutes: float = typer.Option(15.0, min=0.1, help="Training loop time limit."),
) -> None:
    """Fine-tune the MiniLM embedder (MultipleNegativesRankingLoss, hard negatives from the
    hybrid first stage), publish it in the data directory and export it to ONNX."""
    if not judgments.is_file():
        fail(f"file not found: {judgments}")
    settings = get_settings()
    config = EmbedderTrainingConfig(epochs=epochs, max_minutes=max_minutes)
    docs = _read_corpus(corpus) if corpus else None
    try:
        summary = train_embedder(settings, judgments, docs, config, True)
    except (InputFileError, ValueError) as exc:
        fail(str(exc))
    typer.echo(json.dumps(summary))


@eval_app.command("retrieval")
def eval_retrieval(
    corpus: Path = typer.Option(..., help="CORPUS.jsonl: product_id, title, optional attributes."),
    queries: Path = typer.Option(..., help="QUERIES.tsv: qid<TAB>query, no header."),
    out: Path = typer.Option(..., help="RUN.tsv to write: qid<TAB>product_id<TAB>rank<TAB>score."),
    k: int = typer.Option(100, min=1, max=1000, help="Results per query."),
    mode: str = typer.Option("hybrid", help="hybrid (default, best) | bm25 | dense."),
    rewrite: bool = typer.Option(False, help="Pass every query through the query rewriter first."),
    rewrites_out: Path | None = typer.Option(
        None, help="With --rewrite: write qid<TAB>rewritten query<TAB>filters JSON."
    ),
    engine: str = typer.Option("auto", help=ENGINE_HELP),
    learned: bool = typer.Option(
        True,
        help="Use the learned stages trained in the data directory (`train ranker`); "
        "--no-learned ranks with the first stage alone.",
    ),
) -> None:
    """Rank the corpus for every query with indexes built inside this call (never reads labels)."""
    if mode not in MODES:
        fail(f"unknown mode {mode!r}; valid: {', '.join(MODES)}")
    if rewrites_out and not rewrite:
        fail("--rewrites-out needs --rewrite")
    docs = _read_corpus(corpus)
    if not queries.is_file():
        fail(f"file not found: {queries}")
    try:
        qs = read_queries(queries)
    except InputFileError as exc:
        fail(str(exc))
    start = time.perf_counter()
    rewrites = None
    if rewrite:
        rewriter = QueryRewriter.from_docs(docs)
        rewritten = [(qid, rewriter.rewrite(q)) for qid, q in qs]
        if rewrites_out:
            with rewrites_out.open("w", encoding="utf-8") as fh:
                for qid, rw in rewritten:
                    fh.write(f"{qid}\t{rw.query}\t{json.dumps(rw.filters, ensure_ascii=False)}\n")
        qs = [(qid, rw.query) for qid, rw in rewritten]
        rewrites = [rw for _, rw in rewritten]
    cfg = _engine_config(mode)
    # the index lives only for this call; the content-hash embedding cache and the ONNX export
    # stay in the data directory (a fresh one starts empty), so repeated runs skip re-embedding
    cache = index_root(get_settings()) / "embcache"
    with batch_runner(engine) as runner:
        if runner.name == "ray":
            cfg = _engine_config(mode, runner_shards(runner))
        index = SearchEngine.build(docs, cfg, cache, progress=True, runner=runner)
        steps = list(runner.steps)
    if index.cache is not None:
        index.cache.save()
    ranker = find_ranker(get_settings()) if learned and mode == "hybrid" else None
    lines = write_run(
        out,
        run_queries(index, qs, k=k, mode=mode, progress=True, rewrites=rewrites, ranker=ranker),
    )
    stages = f", learned reranker {ranker.version}" if ranker else ""
    typer.echo(
        f"{len(qs)} queries x {len(docs)} products, mode {mode}{stages}: {lines} lines -> {out} "
        f"({time.perf_counter() - start:.0f} s; engine {engine}: {json.dumps(steps)})",
        err=True,
    )


@bench_app.command("search")
def bench_search(
    corpus: Path = typer.Option(..., help="CORPUS.jsonl to index."),
    queries: Path | None = typer.Option(
        None, help="QUERIES.tsv (default: words of random titles)."
    ),
    n_queries: int = typer.Option(300, min=10, help="How many queries to time."),
    sample: int = typer.Option(1000, min=32, help="Texts for the embedding-throughput comparison."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    synthetic: int = typer.Option(
        0,
        min=0,
        help="Bench a sharded index over this many synthetic products whose titles come from "
        "the corpus's vocabulary (embedding measured on a sample, vectors composed from "
        "embedded words: see retrieval/bench_scale.py).",
    ),
    shards: int = typer.Option(4, min=1, help="With --synthetic: index shards."),
    engine: str = typer.Option("auto", help=ENGINE_HELP),
    learned: bool = typer.Option(
        True, help="Also time the learned reranker trained in the data directory, if any."
    ),
) -> None:
    """Index build time, embeddings/s vs sentence-transformers, query latency (first stage and
    learned reranker), ANN recall, memory."""
    docs = _read_corpus(corpus)
    progress = not as_json and sys.stderr.isatty()
    if synthetic:
        with batch_runner(engine) as runner:
            scale = bench_scale(
                docs, _engine_config(), runner, synthetic, shards, progress=progress
            )
        typer.echo(json.dumps(scale, indent=None if as_json else 2))
        return
    qs = None
    if queries:
        try:
            qs = [q for _, q in read_queries(queries) if q.strip()]
        except (OSError, InputFileError) as exc:
            fail(str(exc))
    report = run_bench(
        docs,
        _engine_config(),
        qs,
        n_queries,
        sample,
        progress=progress,
        ranker=find_ranker(get_settings()) if learned else None,
    )
    typer.echo(json.dumps(report, indent=None if as_json else 2))
