"""Search-box query rewriting over the store's catalog: builds, caches and serves a QueryRewriter.

The rewriter is cached on disk per catalog stamp and kept loaded in the app's state; the catalog's
stamp is checked at most every STAMP_TTL_S, so a changed catalog is picked up without a restart.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.config import Settings
from assistant.db.models import Event, Product
from assistant.db.session import session_scope
from assistant.ingest.export import catalog_docs
from assistant.services.search import get_engine, parse_filters
from assistant.services.state import AppState
from retrieval.rewrite import QueryRewriter, Rewrite, search_rewritten

STAMP_TTL_S = 30.0  # how long a rewriter is served before the catalog is checked for changes
MAX_PAST_QUERIES = 50_000
SESSION_CONTEXT = 10


def catalog_stamp(db: Session) -> str:
    """A cheap fingerprint of the catalog: product count and last update time."""
    count, latest = db.execute(select(func.count(Product.id), func.max(Product.updated_at))).one()
    return hashlib.sha1(f"{count}|{latest}".encode()).hexdigest()[:16]


def past_queries(db: Session, limit: int = MAX_PAST_QUERIES) -> list[str]:
    """The store's most recent search queries (from "search" behaviour events)."""
    stmt = (
        select(Event.query)
        .where(Event.type == "search", Event.query != "")
        .order_by(Event.ts.desc())
        .limit(limit)
    )
    return [q for q in db.scalars(stmt) if q]


def session_queries(db: Session, session_id: str, limit: int = SESSION_CONTEXT) -> list[str]:
    """The shopper's latest searches in this session, newest first."""
    stmt = (
        select(Event.query)
        .where(Event.type == "search", Event.session_id == session_id, Event.query != "")
        .order_by(Event.ts.desc())
        .limit(limit)
    )
    return list(db.scalars(stmt))


def cache_path(settings: Settings, stamp: str) -> Path:
    """Where the rewriter of one catalog version is cached."""
    return settings.path("rewrite", f"rewriter-{stamp}.pkl")


def build_rewriter(settings: Settings, db: Session) -> QueryRewriter:
    """Build the rewriter from the catalog and past searches in the database, and cache it."""
    stamp = catalog_stamp(db)
    rewriter = QueryRewriter.from_docs(catalog_docs(db), past_queries=past_queries(db))
    path = cache_path(settings, stamp)
    for old in path.parent.glob("rewriter-*.pkl"):
        old.unlink(missing_ok=True)
    rewriter.save(path)
    return rewriter


def load_rewriter(settings: Settings, db: Session) -> QueryRewriter:
    """The rewriter for the current catalog from the disk cache, else built (and cached)."""
    path = cache_path(settings, catalog_stamp(db))
    if path.is_file():
        try:
            return QueryRewriter.load(path)
        except Exception:  # noqa: BLE001 - a stale or broken cache is rebuilt, never fatal
            pass
    return build_rewriter(settings, db)


def get_rewriter(state: AppState, db: Session) -> QueryRewriter:
    """The rewriter for the current catalog: the state's, else the disk cache's, else built."""
    rewriter = state.rewriter.recent(STAMP_TTL_S)  # its stamp was checked a moment ago
    if rewriter is not None:
        return rewriter
    stamp = catalog_stamp(db)
    return state.rewriter.get(stamp, lambda: load_rewriter(state.settings, db))


def recheck_catalog(state: AppState) -> None:
    """Make the next request compare the catalog's stamp (after an ingest, and in tests)."""
    state.rewriter.expire()


def rewrite_query(
    state: AppState, db: Session, query: object, session_id: str | None = None, k: int = 0
) -> dict[str, Any]:
    """Rewrite one search-box query (and with k > 0 search it: "hits"); input that is not
    usable text comes back unchanged."""
    if not isinstance(query, str) or not query.strip():
        out = Rewrite.unchanged(query).to_dict()
        out["original"] = out["query"] = query
        return out
    rewriter = get_rewriter(state, db)
    context = session_queries(db, session_id) if session_id else []
    result = rewriter.rewrite(query, context=context)
    out = result.to_dict()
    out["search_filters"] = search_filters = result.search_filters()
    if k > 0:  # search_rewritten returns nothing for an empty rewrite
        filters = parse_filters(search_filters)
        out["hits"] = search_rewritten(get_engine(state), result, filters, k=k)
    return out


def prepare(settings: Settings) -> None:
    """Setup step: build the rewriter cache for the current catalog (fast when it exists)."""
    with session_scope(settings.effective_database_url) as db:
        load_rewriter(settings, db)
