"""`shopassist rewrite "query"`: the search-box rewriter from the command line (and its latency)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError

from assistant.cli.app import app, fail
from assistant.config import get_settings
from assistant.db.models import Product
from assistant.db.session import session_scope
from assistant.services.rewrite import load_rewriter
from retrieval.files import InputFileError, read_corpus, read_queries
from retrieval.rewrite import QueryRewriter
from retrieval.rewrite.bench import latency_profile


def _rewriter_from_corpus(corpus: Path):
    if not corpus.is_file():
        fail(f"file not found: {corpus}")
    try:
        docs = read_corpus(corpus)
    except InputFileError as exc:
        fail(str(exc))
    return QueryRewriter.from_docs(docs)


def _rewriter_from_db():
    settings = get_settings()
    try:
        with session_scope(settings.effective_database_url) as db:
            if not db.scalar(select(func.count(Product.id))):
                fail("the catalog is empty: ingest a catalog first, or pass --corpus CORPUS.jsonl")
            return load_rewriter(settings, db)
    except OperationalError as exc:
        fail(f"database not ready ({str(exc.orig)[:120]}); run `shopassist db upgrade`")


@app.command("rewrite")
def rewrite(
    query: str = typer.Argument("", help="What the shopper typed."),
    corpus: Path | None = typer.Option(
        None, help="Build the rewriter from CORPUS.jsonl instead of the database catalog."
    ),
    context: list[str] = typer.Option([], help="Earlier searches of the session (repeatable)."),
    bench: bool = typer.Option(False, help="Print rewrite latency (p50/p99) as JSON instead."),
    queries: Path | None = typer.Option(None, help="With --bench: QUERIES.tsv (qid<TAB>query)."),
    as_json: bool = typer.Option(False, "--json", help="Print the rewrite as JSON."),
) -> None:
    """Correct a search query, read its filters (price, brand, rating, size, colour), expand it."""
    t0 = time.perf_counter()
    rewriter = _rewriter_from_corpus(corpus) if corpus else _rewriter_from_db()
    load_s = time.perf_counter() - t0
    if bench:
        if queries is None and not query:
            fail("--bench needs --queries QUERIES.tsv or a query")
        try:
            texts = [q for _, q in read_queries(queries)] if queries else [query] * 200
        except (InputFileError, OSError) as exc:
            fail(str(exc))
        typer.echo(json.dumps({"load_s": round(load_s, 2), **latency_profile(rewriter, texts)}))
        return
    if not query.strip():
        fail('give a query, e.g. shopassist rewrite "angle braket under $20"')
    out = rewriter.rewrite(query, context=context)
    if as_json:
        typer.echo(json.dumps(out.to_dict(), ensure_ascii=False))
        return
    typer.echo(f"query:      {out.query}")
    typer.echo(f"filters:    {json.dumps(out.filters, ensure_ascii=False)}")
    typer.echo(f"expansions: {', '.join(out.expansions) or '-'}")
    for c in out.changes:
        typer.echo(f"  {c.kind:<9} {c.before!r} -> {c.after!r}  ({c.confidence:.2f})")
    typer.echo(f"confidence: {out.confidence:.2f}")
