"""Hybrid product search: BM25 + dense vectors fused, filtered without losing recall, persisted.

Rows are stable int ids shared by the vector index, the attribute columns and the document
list; a delete marks a row dead, an update appends a new row, so nothing is re-embedded that
did not change. Saving compacts when many rows are dead.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from retrieval.corpus import ProductDoc, product_text
from retrieval.embcache import EmbeddingCache
from retrieval.embed import Embedder, EmbedderConfig, model_dim
from retrieval.filters import Attributes, Filters
from retrieval.fusion import FusionConfig, fuse
from retrieval.lexical import LexicalConfig, LexicalIndex
from retrieval.shards import (
    AnyVectorIndex,
    ShardedVectorIndex,
    load_vector_index,
    new_vector_index,
    save_vector_index,
)
from retrieval.store import IndexCorrupt, current_version, version_dir, write_version
from retrieval.vectors import VectorIndexConfig

if TYPE_CHECKING:
    from retrieval.runner import Runner

MODES = ("hybrid", "bm25", "dense")
FORMAT = 1


@dataclass(frozen=True)
class EngineConfig:
    """Everything that shapes the index and the ranking."""

    embedder: EmbedderConfig
    vectors: VectorIndexConfig = field(default_factory=VectorIndexConfig)
    lexical: LexicalConfig = field(default_factory=LexicalConfig)
    fusion: FusionConfig = field(default_factory=FusionConfig)
    mode: str = "hybrid"
    max_description_chars: int = 300

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown search mode {self.mode!r}; valid: {', '.join(MODES)}")


@dataclass(frozen=True)
class Hit:
    """One ranked product with its scores and why it matched."""

    product_id: str
    rank: int
    score: float
    lexical_score: float | None  # BM25 score (None in dense mode)
    vector_similarity: float | None  # cosine to the query (None in bm25 mode)
    matched_terms: list[str]
    doc: ProductDoc


def _doc_record(doc: ProductDoc) -> dict:
    return asdict(doc)


class SearchEngine:
    """Build, update, persist and query a product collection."""

    def __init__(self, config: EngineConfig, cache_dir: str | Path | None = None) -> None:
        self.config = config
        self._embedder: Embedder | None = None  # loaded on first use: loading an index stays cheap
        self._embedder_lock = threading.Lock()  # concurrent first searches load it once
        self.dim = model_dim(config.embedder.model_path)
        self.dense = config.mode != "bm25"  # a bm25-only engine skips embedding entirely
        self.cache = EmbeddingCache(cache_dir, config.embedder.fingerprint()) if cache_dir else None
        self.docs: list[ProductDoc] = []
        self.texts: list[str] = []
        self.alive = np.zeros(0, dtype=bool)
        self.vectors = np.zeros((0, self.dim), dtype=np.float32)
        self.row_of: dict[str, int] = {}
        self.vindex: AnyVectorIndex = new_vector_index(self.dim, config.vectors)
        self.lexical = LexicalIndex(config.lexical)
        self._lex_rows = np.zeros(0, dtype=np.int64)
        self.attrs = Attributes([])
        # each title stem and the live rows whose titles have it: built on first use, reset on changes
        self._title_rows: dict[str, frozenset[int]] | None = None
        self._title_stems: frozenset[str] | None = None
        self.meta: dict = {}

    @property
    def embedder(self) -> Embedder:
        """The query/document embedder (created on first use)."""
        if self._embedder is None:
            # one thread loads it: two first requests importing transformers at once made one
            # fail ("cannot import name 'AutoModel'", a 500 under bench api's load)
            with self._embedder_lock:
                if self._embedder is None:
                    self._embedder = Embedder(self.config.embedder)
        return self._embedder

    # ---- building and updating -------------------------------------------------------
    def _embed(self, texts: list[str], progress: bool, runner: Runner | None = None) -> np.ndarray:
        if not self.dense:
            return np.zeros((len(texts), self.dim), dtype=np.float32)
        if runner is not None:  # a cluster embeds: this process loads no model
            fn = lambda t: runner.embed(t, self.config.embedder, progress)  # noqa: E731
        else:
            fn = lambda t: self.embedder.embed(t, progress=progress)  # noqa: E731
        return self.cache.embed(texts, fn) if self.cache is not None else fn(texts)

    def _text(self, doc: ProductDoc) -> str:
        return product_text(doc, self.config.max_description_chars)

    @classmethod
    def build(
        cls,
        docs: list[ProductDoc],
        config: EngineConfig,
        cache_dir: str | Path | None = None,
        progress: bool = False,
        runner: Runner | None = None,
    ) -> SearchEngine:
        """A fresh engine over docs (product ids must be unique); runner: where the embedding
        and the index shards are computed (default: here)."""
        engine = cls(config, cache_dir)
        ids = [d.product_id for d in docs]
        if len(set(ids)) != len(ids):
            raise ValueError("duplicate product_id in the documents")
        engine.docs = list(docs)
        engine.texts = [engine._text(d) for d in docs]
        engine.vectors = engine._embed(engine.texts, progress, runner)
        engine.alive = np.ones(len(docs), dtype=bool)
        engine.row_of = {pid: i for i, pid in enumerate(ids)}
        rows = np.arange(len(docs), dtype=np.int64)
        if isinstance(engine.vindex, ShardedVectorIndex) and runner is not None:
            engine.vindex.build(rows, engine.vectors, map_fn=runner.map)
        else:
            engine.vindex.build(rows, engine.vectors)
        engine._refresh(progress)
        return engine

    def _refresh(self, progress: bool = False) -> None:
        # BM25 statistics depend on the whole collection, and indexing is cheap: rebuild it
        self._lex_rows = np.flatnonzero(self.alive)
        self.lexical.build([self.texts[i] for i in self._lex_rows], show_progress=progress)
        self.attrs = Attributes(self.docs)
        self._title_rows = None
        self._title_stems = None

    def title_rows(self) -> dict[str, frozenset[int]]:
        """Each stem of the live products' titles and the rows whose titles have it (which words
        the catalog uses to name things, and which it uses together)."""
        if self._title_rows is None:
            tok = self.lexical.tokenizer
            rows: dict[str, set[int]] = {}
            for i in np.flatnonzero(self.alive):
                for w in tok(self.docs[i].title):
                    rows.setdefault(w, set()).add(int(i))
            self._title_rows = {w: frozenset(r) for w, r in rows.items()}
        return self._title_rows

    def title_stems(self) -> frozenset[str]:
        """The stems of every word in the live products' titles (what the catalog calls things)."""
        if self._title_stems is None:  # asked on every search: made once per change
            self._title_stems = frozenset(self.title_rows())
        return self._title_stems

    def upsert(self, docs: list[ProductDoc], progress: bool = False) -> dict[str, int]:
        """Add new products and update changed ones; only changed texts are embedded."""
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        new_rows: list[int] = []
        for doc in docs:
            row = self.row_of.get(doc.product_id)
            text = self._text(doc)
            if row is not None and self.texts[row] == text:
                counts["unchanged" if self.docs[row] == doc else "updated"] += 1
                self.docs[row] = doc  # attributes only (price, stock, ...): no re-embedding
                continue
            if row is not None:
                self._kill(row)
                counts["updated"] += 1
            else:
                counts["added"] += 1
            self.row_of[doc.product_id] = len(self.docs)
            new_rows.append(len(self.docs))
            self.docs.append(doc)
            self.texts.append(text)
        if new_rows:
            vecs = self._embed([self.texts[r] for r in new_rows], progress)
            self.vectors = np.concatenate([self.vectors, vecs])
            self.alive = np.concatenate([self.alive, np.ones(len(new_rows), dtype=bool)])
            self.vindex.add(np.array(new_rows, dtype=np.int64), vecs)
        self._refresh()
        return counts

    def _kill(self, row: int) -> None:
        self.alive[row] = False
        self.vindex.remove(np.array([row], dtype=np.int64))

    def delete(self, product_ids: list[str]) -> int:
        """Remove products by id; returns how many existed."""
        rows = [self.row_of.pop(pid) for pid in product_ids if pid in self.row_of]
        for row in rows:
            self._kill(row)
        if rows:
            self._refresh()
        return len(rows)

    def compact(self) -> None:
        """Drop dead rows and renumber (vectors are reused, nothing is embedded)."""
        keep = np.flatnonzero(self.alive)
        self.docs = [self.docs[i] for i in keep]
        self.texts = [self.texts[i] for i in keep]
        self.vectors = self.vectors[keep]
        self.alive = np.ones(len(keep), dtype=bool)
        self.row_of = {d.product_id: i for i, d in enumerate(self.docs)}
        self.vindex = new_vector_index(self.dim, self.config.vectors)
        self.vindex.build(np.arange(len(keep), dtype=np.int64), self.vectors)
        self._refresh()

    def __len__(self) -> int:
        return len(self.row_of)

    def get(self, product_id: str) -> ProductDoc | None:
        """The document of a live product, or None."""
        row = self.row_of.get(product_id)
        return None if row is None else self.docs[row]

    # ---- querying ----------------------------------------------------------------------
    def _allowed(self, filters: Filters | None) -> np.ndarray | None:
        """Bool mask of rows passing filters, or None when every live row passes."""
        return self.alive & self.attrs.mask(filters) if filters and filters.active() else None

    def _lexical_scores(self, query: str) -> np.ndarray:
        full = np.zeros(len(self.docs), dtype=np.float32)
        full[self._lex_rows] = self.lexical.scores(query)
        return full

    def _dense_top(self, qvec: np.ndarray, allowed: np.ndarray | None, n: int) -> np.ndarray:
        """Rows of the n nearest allowed vectors, exact over the subset when the index misses."""
        n_allowed = len(self) if allowed is None else int(allowed.sum())
        if n_allowed == 0:
            return np.zeros(0, dtype=np.int64)
        _, rows = self.vindex.search(qvec, n, allowed=allowed)
        if len(rows) < min(n, n_allowed):  # an ANN index lost filtered neighbours: go exact
            allowed = self.alive if allowed is None else allowed
            cand = np.flatnonzero(allowed)
            sims = self.vectors[cand] @ qvec
            rows = cand[np.argsort(-sims, kind="stable")[:n]]
        return rows

    def search(
        self,
        query: str,
        filters: Filters | None = None,
        k: int = 10,
        offset: int = 0,
        mode: str | None = None,
        explain: bool = True,
        query_vector: np.ndarray | None = None,
        soft_terms: Sequence[tuple[str, float]] = (),
    ) -> list[Hit]:
        """Ranked hits k at a time from offset; k results whenever k products pass the filters.

        explain=False skips the matched-terms explanation (bulk evaluation); query_vector lets a
        caller pass a precomputed query embedding; soft_terms are (text, weight) pairs whose
        BM25 scores are added at that weight (a query rewriter's less certain readings).
        """
        mode = mode or self.config.mode
        if mode not in MODES:
            raise ValueError(f"unknown search mode {mode!r}; valid: {', '.join(MODES)}")
        if mode != "bm25" and not self.dense:
            raise ValueError(f"this index was built without vectors (mode bm25): no {mode} search")
        if k < 1 or offset < 0:
            raise ValueError("k must be >= 1 and offset >= 0")
        allowed = self._allowed(filters)
        passing = self.alive if allowed is None else allowed
        need = k + offset
        pool = max(self.config.fusion.candidates, need)
        lex = self._lexical_scores(query) if mode != "dense" else None
        if lex is not None:
            for text, weight in soft_terms:
                lex = lex + weight * self._lexical_scores(text)
        qvec = None
        if mode != "bm25":
            qvec = self.embedder.embed_query(query) if query_vector is None else query_vector
        cands: list[np.ndarray] = []
        if lex is not None:
            masked = np.where(passing, lex, -1.0)
            top = _top_n(masked, pool)
            cands.append(top[masked[top] > 0])
        if qvec is not None:
            cands.append(self._dense_top(qvec, allowed, pool))
        rows = np.unique(np.concatenate(cands)) if cands else np.zeros(0, dtype=np.int64)
        if len(rows) < need and mode == "bm25":  # too few term matches: fill in catalog order
            extra = np.setdiff1d(np.flatnonzero(passing), rows)[: need - len(rows)]
            rows = np.concatenate([rows, extra])
        lex_c = lex[rows] if lex is not None else None
        sim_c = self.vectors[rows] @ qvec if qvec is not None else None
        if lex_c is not None and sim_c is not None:
            score = fuse(lex_c, sim_c, self.config.fusion)
        elif lex_c is not None:
            score = lex_c
        else:
            assert sim_c is not None  # every mode scores rows lexically, densely or both
            score = sim_c
        order = np.lexsort((rows, -score))[offset:need]
        return [
            Hit(
                product_id=self.docs[rows[i]].product_id,
                rank=offset + j + 1,
                score=float(score[i]),
                lexical_score=None if lex_c is None else float(lex_c[i]),
                vector_similarity=None if sim_c is None else float(sim_c[i]),
                matched_terms=(
                    self.lexical.matched_terms(query, self.texts[rows[i]]) if explain else []
                ),
                doc=self.docs[rows[i]],
            )
            for j, i in enumerate(order)
        ]

    def similar(self, product_id: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        """Nearest products by vector, excluding the product, its variants (group_id) and
        duplicate listings (identical text)."""
        row = self.row_of.get(product_id)
        if row is None:
            raise KeyError(f"unknown product_id {product_id!r}")
        if k < 1 or not self.dense:
            raise ValueError("k must be >= 1" if self.dense else "index built without vectors")
        allowed = self._allowed(filters)
        allowed = (self.alive if allowed is None else allowed).copy()
        allowed &= ~self.attrs.same_group(row)
        qvec = self.vectors[row]
        # a listing with the very same text is the same product under another id: skip it too
        n = k + 8
        while True:
            rows = self._dense_top(qvec, allowed, n)
            keep = rows[[self.texts[r] != self.texts[row] for r in rows]]
            if len(keep) >= k or len(rows) < n:
                break
            n *= 4
        rows = keep[:k]
        sims = self.vectors[rows] @ qvec
        return [
            Hit(self.docs[r].product_id, i + 1, float(s), None, float(s), [], self.docs[r])
            for i, (r, s) in enumerate(zip(rows, sims, strict=True))
        ]

    # ---- persistence -------------------------------------------------------------------
    def save(self, root: str | Path, meta: dict | None = None) -> Path:
        """Publish the engine as a new version under root (atomic swap); returns its directory."""
        if (~self.alive).sum() > 0.25 * max(1, len(self.alive)):
            self.compact()
        if self.cache is not None:
            self.cache.save()

        def write(tmp: Path) -> None:
            tmp.mkdir(parents=True)
            with (tmp / "docs.jsonl").open("w", encoding="utf-8") as fh:
                for doc, text in zip(self.docs, self.texts, strict=True):
                    fh.write(json.dumps({"doc": _doc_record(doc), "text": text}) + "\n")
            np.save(tmp / "vectors.npy", self.vectors)
            np.save(tmp / "alive.npy", self.alive)
            self.lexical.save(tmp / "lexical")
            # flat indexes are rebuilt from vectors.npy in ms; the others are written
            vector_fields = save_vector_index(self.vindex, tmp)
            manifest = {
                "format": FORMAT,
                "rows": len(self.docs),
                "live": len(self),
                "dim": self.dim,
                "dense": self.dense,
                "embedder_fingerprint": self.config.embedder.fingerprint(),
                **vector_fields,
                "meta": meta or {},
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1))

        return write_version(root, write)

    @classmethod
    def load(
        cls,
        root: str | Path,
        config: EngineConfig,
        cache_dir: str | Path | None = None,
        version: str | None = None,
    ) -> SearchEngine:
        """Open version (default: the one CURRENT names) under root; IndexMissing /
        IndexCorrupt say what is wrong."""
        path = version_dir(root, version) if version else current_version(root)
        try:
            manifest = json.loads((path / "manifest.json").read_text())
            if manifest.get("format") != FORMAT:
                raise ValueError(f"unsupported index format {manifest.get('format')}")
            if manifest["embedder_fingerprint"] != config.embedder.fingerprint():
                raise ValueError("built with a different embedding model or precision")
            records = [json.loads(line) for line in (path / "docs.jsonl").open(encoding="utf-8")]
            vectors = np.load(path / "vectors.npy")
            alive = np.load(path / "alive.npy")
            if not (len(records) == len(vectors) == len(alive) == manifest["rows"]):
                raise ValueError("row counts of documents, vectors and flags disagree")
            if vectors.ndim != 2 or vectors.shape[1] != manifest["dim"]:
                raise ValueError(f"vectors have shape {vectors.shape}")
            lexical = LexicalIndex.load(path / "lexical")
            live = np.flatnonzero(alive)
            if lexical.n_docs != len(live):
                raise ValueError("lexical index and live rows disagree")
            engine = cls(config, cache_dir)
            if engine.dim != manifest["dim"]:
                raise ValueError(f"model dimension {engine.dim} != index {manifest['dim']}")
            engine.dense = bool(manifest.get("dense", True))
            engine.docs = [ProductDoc(**r["doc"]) for r in records]
            engine.texts = [r["text"] for r in records]
            engine.vectors, engine.alive, engine.lexical, engine._lex_rows = (
                vectors,
                alive,
                lexical,
                live,
            )
            engine.row_of = {engine.docs[i].product_id: int(i) for i in live}
            engine.vindex = load_vector_index(path, manifest, vectors, live, config.vectors)
            engine.attrs = Attributes(engine.docs)
            engine.meta = manifest["meta"]
        except Exception as exc:  # any unreadable piece means the same thing: rebuild
            raise IndexCorrupt(f"search index at {path} is unreadable: {exc}") from exc
        return engine


def _top_n(scores: np.ndarray, n: int) -> np.ndarray:
    """Indices of the n largest scores (unordered)."""
    if n >= len(scores):
        return np.arange(len(scores))
    return np.argpartition(-scores, n)[:n]
