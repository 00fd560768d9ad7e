"""Product search service: builds the index from the catalog, keeps it fresh, serves queries.

Called by `shopassist index build`, the setup step, `POST /v1/search` and the chat tools
`search_products` / `similar_products`:

    hits = search(state, "cordless drill", {"max_price": 100}, k=10)   # list[Hit]
    hits[0].product_id, hits[0].score, hits[0].matched_terms, hits[0].doc.title
    similar(state, "P123", k=5)                                         # excludes P123's group

`state` is the app's AppState: it keeps the loaded engine of the current index version, and a
newly published version is loaded on the next query (no restart). The current version is a row
of the database (`published_versions`), so every replica of the service and every batch job
agree on it; the version directories sit on storage they share (the data directory). Without
the row (an index published before it existed), the directory's CURRENT file says.

A missing or unreadable index raises SearchUnavailable (503), bad input Invalid (422),
an unknown product in similar() ProductNotIndexed (404).
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from assistant.config import SearchMode, Settings
from assistant.db.models import Product
from assistant.db.pointer_models import PublishedVersion
from assistant.db.session import session_scope
from assistant.errors import Invalid, NotFound, Unavailable
from assistant.ingest.export import catalog_docs
from assistant.services import products as catalog
from assistant.services.records import IndexSummary, SimilarProducts
from assistant.services.state import AppState
from retrieval.corpus import ProductDoc
from retrieval.engine import EngineConfig, Hit, SearchEngine
from retrieval.filters import Filters
from retrieval.ranker import Ranker, load_ranker, ranker_version, search_reranked
from retrieval.relevance import (
    RELEVANCE_V1,
    named_only_as_use,
    title_features,
    unknown_compound,
    unknown_kind,
    unknown_word,
)
from retrieval.rewrite.spell import english_counts
from retrieval.runner import Runner, runner_shards
from retrieval.shards import ShardedVectorIndex
from retrieval.store import IndexMissing, IndexNotReady, current_version, version_dir
from retrieval.vectors import VectorIndexConfig

log = logging.getLogger(__name__)
MAX_QUERY_CHARS = 256
MAX_K = 100
MAX_OFFSET = 1000
REBUILD_HINT = "run `shopassist index build`"
INDEX_POINTER = "search_index"  # its row in published_versions
VERSION_TTL_S = 1.0  # how long a replica serves a version before it reads the pointer again


class SearchUnavailable(Unavailable):
    """The index is missing or unreadable; the message says how to rebuild it."""

    code = "search_unavailable"


class ProductNotIndexed(NotFound):
    """similar() was asked about a product the index does not hold."""

    code = "product_not_indexed"


def index_root(settings: Settings) -> Path:
    """Directory holding the versioned search index, embedding cache and ONNX export."""
    return settings.path("index")


def ranker_root(settings: Settings) -> Path:
    """Directory holding the versioned learned reranker (`shopassist train ranker`)."""
    return settings.path("ranker")


def find_ranker(settings: Settings) -> Ranker | None:
    """The published reranker, or None when none is trained, it is switched off
    (SHOPASSIST_SEARCH_LEARNED=false) or unreadable (logged: search keeps its first stage)."""
    if not settings.search_learned:
        return None
    try:
        return _usable(_checked(settings, load_ranker(ranker_root(settings))))
    except IndexMissing:
        return None
    except IndexNotReady as exc:
        log.warning("learned reranker unused: %s", exc)
        return None


def _checked(settings: Settings, ranker: Ranker) -> Ranker:
    """The loaded ranker, marked unused (logged once) when it was trained on the cosines of
    another embedder than the one the index now uses."""
    trained = ranker.meta.get("embedder_fingerprint")
    if trained and trained != settings.embedder_config().fingerprint():
        ranker.meta["unused"] = "trained on another embedder: run `shopassist train ranker` again"
        log.warning("learned reranker %s unused: %s", ranker.version, ranker.meta["unused"])
    return ranker


def _usable(ranker: Ranker) -> Ranker | None:
    return None if ranker.meta.get("unused") else ranker


def get_ranker(state: AppState, learned: bool | None = None) -> Ranker | None:
    """The state's reranker of the current ranker version (a newly trained one is loaded);
    None when learned (default: the settings' search_learned) is False."""
    if not (state.settings.search_learned if learned is None else learned):
        return None
    ranker = state.ranker.recent(VERSION_TTL_S)
    if ranker is None:
        root = ranker_root(state.settings)
        try:
            version = ranker_version(root)
        except IndexNotReady:
            return None
        ranker = state.ranker.get(version, lambda: _checked(state.settings, load_ranker(root)))
    return _usable(ranker)


def engine_config(settings: Settings, shards: int = 1) -> EngineConfig:
    """The engine configuration the settings ask for (shards: when the settings leave it open)."""
    return EngineConfig(
        embedder=settings.embedder_config(),
        vectors=VectorIndexConfig(
            kind=settings.vector_index, shards=settings.vector_shards or shards
        ),
        mode=settings.search_mode,
    )


def _pointer(session: Session) -> str | None:
    """The published index version the database names, if any."""
    row = session.get(PublishedVersion, INDEX_POINTER)
    return None if row is None else row.version


def _publish(session: Session, version: str) -> None:
    """Point every replica at version (committed with the caller's session)."""
    session.merge(PublishedVersion(name=INDEX_POINTER, version=version))


def publish_index(state: AppState) -> IndexSummary:
    """refresh_index, and this replica serves the new version from its next search on (the
    others within VERSION_TTL_S)."""
    summary = refresh_index(state.settings)
    state.search_engine.expire()
    return summary


def index_dir(settings: Settings, session: Session | None = None) -> Path:
    """The published version's directory (IndexMissing / IndexCorrupt when there is none)."""
    if not (index_root(settings) / "versions").is_dir():  # nothing built here: no pointer to read
        raise IndexMissing(f"no search index under {index_root(settings)}")
    if session is None:
        with _session(settings) as s:
            return index_dir(settings, s)
    root, name = index_root(settings), _pointer(session)
    return (
        version_dir(root, name, "the database's index pointer") if name else current_version(root)
    )


def catalog_stamp(session: Session) -> str:
    """Fingerprint of the catalog (count + last update) recorded with the index to spot staleness."""
    count, latest = session.execute(
        select(func.count(Product.id), func.max(Product.updated_at))
    ).one()
    return hashlib.sha1(f"{count}|{latest}".encode()).hexdigest()[:16]


def _catalog_docs(session: Session) -> list[ProductDoc]:
    return catalog_docs(session)


def _session(settings: Settings):
    return session_scope(settings.effective_database_url)


def build_index(
    settings: Settings, session: Session, progress: bool = False, runner: Runner | None = None
) -> IndexSummary:
    """Build the index from every catalog product and publish it atomically; returns a summary.

    runner: where the embedding and the shards are computed (default: this process)."""
    docs = _catalog_docs(session)
    if not docs:
        raise ValueError(
            "the catalog is empty: ingest a catalog first (`shopassist ingest catalog`)"
        )
    root = index_root(settings)
    config = engine_config(settings, runner_shards(runner) if runner else 1)
    engine = SearchEngine.build(docs, config, root / "embcache", progress=progress, runner=runner)
    path = engine.save(root, meta={"catalog_stamp": catalog_stamp(session)})
    _publish(session, path.name)
    summary = IndexSummary(
        products=len(engine),
        vector_index=engine.vindex.kind,
        gpu=engine.vindex.on_gpu,
        embedded=engine.cache.misses if engine.cache else len(docs),
        cached=engine.cache.hits if engine.cache else 0,
        path=str(path),
    )
    if isinstance(engine.vindex, ShardedVectorIndex):
        summary["shards"] = engine.vindex.shard_sizes()
    if runner is not None:
        summary["engine"], summary["steps"] = runner.name, list(runner.steps)
    return summary


def refresh_index(settings: Settings, session: Session | None = None) -> IndexSummary:
    """After a catalog ingest: upsert changed products, delete removed ones, publish a new version."""
    if session is None:
        with _session(settings) as s:
            return refresh_index(settings, s)
    root = index_root(settings)
    try:
        version = index_dir(settings, session).name
        engine = SearchEngine.load(root, engine_config(settings), root / "embcache", version)
    except IndexNotReady as exc:
        log.info("no usable index (%s): building from scratch", exc)
        return build_index(settings, session)
    docs = _catalog_docs(session)
    wanted = {d.product_id for d in docs}
    counts = engine.upsert(docs)
    deleted = engine.delete([pid for pid in list(engine.row_of) if pid not in wanted])
    path = engine.save(root, meta={"catalog_stamp": catalog_stamp(session)})
    _publish(session, path.name)
    return IndexSummary(
        added=counts["added"],
        updated=counts["updated"],
        unchanged=counts["unchanged"],
        deleted=deleted,
        products=len(engine),
        path=str(path),
    )


def ensure_index(settings: Settings) -> None:
    """Setup step: build the index when missing or unreadable, refresh it when the catalog changed."""
    with _session(settings) as session:
        if session.scalar(select(func.count(Product.id))) == 0:
            return  # nothing to index yet; the catalog ingest comes first
        try:
            manifest = json.loads((index_dir(settings, session) / "manifest.json").read_text())
            fresh = manifest.get("meta", {}).get("catalog_stamp") == catalog_stamp(session)
            same_model = manifest.get("embedder_fingerprint") == (
                engine_config(settings).embedder.fingerprint()
            )
        except (IndexNotReady, OSError, ValueError):
            same_model = False
        if not same_model:  # no index, an unreadable one, or another model / precision
            build_index(settings, session, progress=True)
            return
        if not fresh:
            refresh_index(settings, session)
            return
        try:
            load_engine(settings)  # the published version must also load
        except SearchUnavailable as exc:
            log.warning("rebuilding the search index: %s", exc)
            build_index(settings, session, progress=True)


def index_version(settings: Settings) -> str:
    """The name of the published index version (SearchUnavailable when there is none)."""
    try:
        return index_dir(settings).name
    except IndexMissing as exc:
        raise SearchUnavailable(f"search index not built: {REBUILD_HINT}") from exc
    except IndexNotReady as exc:
        raise SearchUnavailable(f"{exc}: {REBUILD_HINT}") from exc


def load_engine(settings: Settings, version: str | None = None) -> SearchEngine:
    """The published index version (or version) loaded from disk (SearchUnavailable when it
    cannot be)."""
    root = index_root(settings)
    version = version or index_version(settings)
    try:
        return SearchEngine.load(root, engine_config(settings), root / "embcache", version)
    except IndexNotReady as exc:
        raise SearchUnavailable(f"{exc}: {REBUILD_HINT}") from exc


def get_engine(state: AppState) -> SearchEngine:
    """The state's engine of the current index version (a newly published one is loaded).

    The published version is read again at most every VERSION_TTL_S, not on every search:
    reading it is a database round trip, and another replica's publish may wait that long."""
    engine = state.search_engine.recent(VERSION_TTL_S)
    if engine is not None:
        return engine
    version = index_version(state.settings)
    return state.search_engine.get(version, lambda: load_engine(state.settings, version))


def parse_filters(filters: Mapping[str, Any] | Filters | None) -> Filters:
    """Filters from a dict (unknown keys and min_price > max_price raise Invalid)."""
    if isinstance(filters, Filters):
        return filters
    try:
        return Filters.from_dict(dict(filters or {}))
    except ValueError as exc:  # the library judges the shopper's filters: a refusal, not a bug
        raise Invalid(str(exc)) from exc


def search(
    state: AppState,
    query: str,
    filters: Mapping[str, Any] | Filters | None = None,
    k: int = 10,
    offset: int = 0,
    mode: SearchMode | None = None,
    learned: bool | None = None,
) -> list[Hit]:
    """Ranked products for a query with optional filters; each Hit says why it matched.

    mode and learned (an experiment arm's) override the settings' search_mode and
    search_learned for this query."""
    query = (query or "").strip()
    if not query:
        raise Invalid("query must not be empty")
    if len(query) > MAX_QUERY_CHARS:
        raise Invalid(f"query is longer than {MAX_QUERY_CHARS} characters")
    if not 1 <= k <= MAX_K:
        raise Invalid(f"k must be between 1 and {MAX_K}")
    if not 0 <= offset <= MAX_OFFSET:
        raise Invalid(f"offset must be between 0 and {MAX_OFFSET}")
    parsed = parse_filters(filters)
    try:
        ranker = get_ranker(state, learned)
    except IndexNotReady as exc:  # a broken ranker: the first stage still serves
        log.warning("learned reranker unused: %s", exc)
        ranker = None
    budget = ranker.config.budget_ms if ranker else None
    return search_reranked(
        get_engine(state), ranker, query, parsed, k=k, offset=offset, budget_ms=budget, mode=mode
    )


def relevance(state: AppState, query: str, hits: Sequence[Hit]) -> dict[str, float]:
    """P(relevant) of each hit for the query: the calibrated model of retrieval.relevance over
    the hit's title and brand (as Home Depot titles carry theirs); the ranking score says only
    how a hit compares with the others."""
    if not hits:
        return {}
    engine = get_engine(state)
    titles = [
        h.doc.title
        if h.doc.brand.lower() in h.doc.title.lower()
        else f"{h.doc.title} {h.doc.brand}"
        for h in hits
    ]
    vectors = engine.embedder.embed([query, *titles])
    feats = title_features(query, vectors[0], titles, vectors[1:], engine.lexical.tokenizer)
    probs = RELEVANCE_V1.probabilities(feats)
    tok = engine.lexical.tokenizer
    return {  # a product made for the thing asked for is not that thing
        h.product_id: 0.0 if named_only_as_use(query, h.doc.title, tok) else float(p)
        for h, p in zip(hits, probs, strict=True)
    }


def carries_kind(state: AppState, query: str) -> bool:
    """False when the query asks for a kind of product no title of the catalog names ("tennis
    racquet" in a grocery store: `retrieval.relevance.unknown_kind`) or a compound its titles
    never put together ("car battery": `unknown_compound`) or a word no title is named by
    ("almirah": `unknown_word`); then no hit is a match."""
    engine = get_engine(state)
    tok = engine.lexical.tokenizer
    english = english_counts()
    return not (
        unknown_kind(query, engine.title_stems(), english, tok)
        or unknown_compound(query, engine.title_rows(), english, tok)
        or unknown_word(query, engine.title_stems(), tok)
    )


def similar(state: AppState, product_id: str, k: int = 10) -> list[Hit]:
    """Products nearest to product_id by embedding, excluding it and its variants."""
    if not 1 <= k <= MAX_K:
        raise Invalid(f"k must be between 1 and {MAX_K}")
    try:
        return get_engine(state).similar(str(product_id), k)
    except KeyError as exc:
        raise ProductNotIndexed(f"product {product_id!r} is not in the search index") from exc


def similar_products(state: AppState, db: Session, product_id: str, k: int = 10) -> SimilarProducts:
    """The product's card and up to k cards like it (ProductNotFound when it does not exist)."""
    base = catalog.get_product(db, product_id)
    hits = [h for h in similar(state, base.id, k + 1) if h.product_id != base.id]
    pairs = [(h.product_id, float(h.score)) for h in hits[:k]]
    return SimilarProducts(
        product=catalog.product_card(base), products=catalog.cards_with_scores(db, pairs)
    )
