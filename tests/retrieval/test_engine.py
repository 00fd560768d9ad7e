"""Hybrid search on real products: exact titles, filters that keep k, similar items, updates,
atomic versions, corrupt indexes and the embedding cache."""

from __future__ import annotations

import dataclasses
from collections import Counter

import numpy as np
import pytest

from retrieval.corpus import ProductDoc
from retrieval.engine import EngineConfig, SearchEngine
from retrieval.filters import Filters
from retrieval.store import IndexCorrupt, IndexMissing, current_version
from retrieval.vectors import VectorIndexConfig


def test_exact_title_ranks_that_product_first(engine, bb_docs):
    seen: set[str] = set()
    for doc in bb_docs[::15]:
        if doc.title.lower() in seen or doc.group_id:
            continue  # a repeated title has several right answers
        seen.add(doc.title.lower())
        for mode in ("hybrid", "bm25", "dense"):
            top = engine.search(doc.title, k=3, mode=mode)
            assert top[0].product_id == doc.product_id, (mode, doc.title, top[0].doc.title)


def test_hits_explain_why_they_matched(engine):
    hit = engine.search("green tea", k=1)[0]
    assert "tea" in hit.matched_terms
    assert hit.lexical_score > 0 and 0 < hit.vector_similarity <= 1
    assert hit.rank == 1 and hit.doc.product_id == hit.product_id


def test_filters_are_honoured_and_still_return_k(engine, bb_docs):
    brand, count = Counter(d.brand for d in bb_docs if d.brand).most_common(1)[0]
    assert count >= 5
    # a query about something else: the brand's products rank far below the top 1000 unfiltered
    hits = engine.search("stainless steel water bottle", Filters(brand=brand.upper()), k=5)
    assert len(hits) == 5 and {h.doc.brand for h in hits} == {brand}
    hits = engine.search("shampoo", Filters(brand=brand), k=count + 10)
    assert len(hits) == count  # every product that passes, no more

    f = Filters(min_price=100, max_price=200, min_rating=4.0, in_stock=True)
    passing = [
        d
        for d in bb_docs
        if d.price and 100 <= d.price <= 200 and (d.rating or 0) >= 4 and d.in_stock
    ]
    hits = engine.search("chocolate biscuits", f, k=10)
    assert len(hits) == min(10, len(passing))
    assert all(100 <= h.doc.price <= 200 and h.doc.rating >= 4 and h.doc.in_stock for h in hits)

    out_of_stock = engine.search("oil", Filters(in_stock=False), k=3)
    assert out_of_stock and not any(h.doc.in_stock for h in out_of_stock)


def test_price_range_is_inclusive(engine, bb_docs):
    doc = next(d for d in bb_docs if d.price and not d.group_id)
    hits = engine.search(doc.title, Filters(min_price=doc.price, max_price=doc.price), k=50)
    assert hits[0].product_id == doc.product_id
    assert {h.doc.price for h in hits} == {doc.price}


def test_category_matches_a_segment_or_prefix(engine, bb_docs):
    top, sub = bb_docs[0].category.split(" > ")
    by_segment = engine.search("oil", Filters(category=sub.lower()), k=5)
    assert by_segment and all(h.doc.category.endswith(sub) for h in by_segment)
    by_prefix = engine.search("oil", Filters(category=top), k=20)
    assert len(by_prefix) == 20 and all(h.doc.category.startswith(top) for h in by_prefix)
    assert engine.search("oil", Filters(category="no such aisle"), k=5) == []


def test_paging_with_offset(engine):
    first = engine.search("rice", k=10)
    second = engine.search("rice", k=5, offset=5)
    assert [h.product_id for h in second] == [h.product_id for h in first[5:]]
    assert [h.rank for h in second] == [6, 7, 8, 9, 10]


def test_bad_filters_and_arguments():
    with pytest.raises(ValueError, match="greater than max_price"):
        Filters(min_price=10, max_price=5)
    with pytest.raises(ValueError, match="unknown filter field.*colour.*valid: category"):
        Filters.from_dict({"colour": "red"})
    with pytest.raises(ValueError, match="min_rating"):
        Filters(min_rating=9)


def test_similar_excludes_self_and_variants(engine, bb_docs):
    grouped = [d for d in bb_docs if d.group_id]
    assert grouped, "the sample has products with repeated titles"
    doc = grouped[0]
    hits = engine.similar(doc.product_id, k=10)
    assert len(hits) == 10
    assert all(h.product_id != doc.product_id and h.doc.group_id != doc.group_id for h in hits)
    sims = [h.score for h in hits]
    assert sims == sorted(sims, reverse=True)
    with pytest.raises(KeyError):
        engine.similar("nope")


def test_similar_skips_duplicate_listings(bb_docs, engine_config, cache_dir):
    docs = bb_docs[:50]
    twin = dataclasses.replace(docs[0], product_id="twin", group_id="other")
    eng = SearchEngine.build([*docs, twin], engine_config, cache_dir)
    hits = eng.similar(docs[0].product_id, k=5)
    assert len(hits) == 5 and "twin" not in {h.product_id for h in hits}


def test_incremental_upsert_and_delete(bb_docs, engine_config, cache_dir, tmp_path):
    docs = bb_docs[:60]
    eng = SearchEngine.build(docs, engine_config, cache_dir)
    new = ProductDoc("new-1", "Solar powered garden lantern", brand="Glowco", price=499.0)
    changed = dataclasses.replace(docs[0], title="Cold pressed mustard oil")
    repriced = dataclasses.replace(docs[1], price=1.0)
    misses = eng.cache.misses
    counts = eng.upsert([new, changed, repriced, docs[2]])
    assert counts == {"added": 1, "updated": 2, "unchanged": 1}
    assert eng.cache.misses - misses == 2  # only the two new texts were embedded
    assert eng.search("solar lantern", k=1)[0].product_id == "new-1"
    assert eng.search("mustard oil", k=1)[0].product_id == docs[0].product_id
    assert eng.get(docs[1].product_id).price == 1.0
    assert eng.delete([docs[3].product_id, "unknown"]) == 1
    assert docs[3].product_id not in [h.product_id for h in eng.search(docs[3].title, k=60)]
    assert len(eng) == 60
    eng.save(tmp_path / "idx")
    back = SearchEngine.load(tmp_path / "idx", engine_config)
    assert len(back) == 60 and back.search("solar lantern", k=1)[0].product_id == "new-1"
    assert docs[3].product_id not in {h.product_id for h in back.search(docs[3].title, k=60)}


def test_ann_indexes_keep_answers_and_filters(bb_docs, engine_config, cache_dir):
    for kind in ("hnsw", "ivf"):
        cfg = dataclasses.replace(engine_config, vectors=VectorIndexConfig(kind=kind))
        eng = SearchEngine.build(bb_docs, cfg, cache_dir)
        assert eng.vindex.kind == kind
        doc = next(d for d in bb_docs[40:] if not d.group_id)
        assert eng.search(doc.title, k=1, mode="dense")[0].product_id == doc.product_id
        eng.delete([doc.product_id])
        assert doc.product_id not in {
            h.product_id for h in eng.search(doc.title, k=5, mode="dense")
        }
        brand = Counter(d.brand for d in bb_docs).most_common(1)[0][0]
        assert len(eng.search("anything", Filters(brand=brand), k=5, mode="dense")) == 5


def test_atomic_versions_and_failed_writes(engine, tmp_path):
    root = tmp_path / "idx"
    with pytest.raises(IndexMissing):
        current_version(root)
    first = engine.save(root)
    assert current_version(root) == first

    class Boom(Exception):
        pass

    def failing(tmp):  # a writer that dies half-way must leave CURRENT alone
        tmp.mkdir()
        (tmp / "docs.jsonl").write_text("partial")
        raise Boom

    from retrieval.store import write_version

    with pytest.raises(Boom):
        write_version(root, failing)
    assert current_version(root) == first
    assert not [p for p in (root / "versions").iterdir() if p.name.startswith(".tmp")]
    second = engine.save(root)
    assert current_version(root) == second != first
    assert len(SearchEngine.load(root, engine.config)) == len(engine)


def test_corrupt_index_is_a_clear_error(engine, tmp_path):
    root = tmp_path / "idx"
    path = engine.save(root)
    (path / "vectors.npy").write_bytes(b"garbage")
    with pytest.raises(IndexCorrupt, match="unreadable"):
        SearchEngine.load(root, engine.config)
    (root / "CURRENT").write_text("v-does-not-exist")
    with pytest.raises(IndexCorrupt, match="missing version"):
        SearchEngine.load(root, engine.config)


def test_reindex_hits_the_embedding_cache(bb_docs, engine_config, tmp_path):
    docs = bb_docs[:40]
    first = SearchEngine.build(docs, engine_config, tmp_path / "cache")
    assert first.cache.misses == 40
    first.save(tmp_path / "idx")  # persists the cache too
    again = SearchEngine.build(
        docs + [ProductDoc("x1", "Basmati rice 5 kg")], engine_config, tmp_path / "cache"
    )
    assert (again.cache.hits, again.cache.misses) == (40, 1)
    np.testing.assert_allclose(again.vectors[:40], first.vectors, atol=1e-6)


def test_unknown_names_list_the_valid_ones(engine_config):
    with pytest.raises(ValueError, match="valid: onnx, torch"):
        dataclasses.replace(engine_config.embedder, backend="tensorflow")
    with pytest.raises(ValueError, match="valid: hybrid, bm25, dense"):
        EngineConfig(engine_config.embedder, mode="magic")
    with pytest.raises(ValueError, match="valid: auto, flat, ivf, hnsw"):
        VectorIndexConfig(kind="lsh")


def test_bm25_only_engine_skips_embedding(bb_docs, engine_config, tmp_path):
    cfg = dataclasses.replace(engine_config, mode="bm25")
    eng = SearchEngine.build(bb_docs[:30], cfg, tmp_path / "cache")
    assert eng.cache.misses == 0 and eng._embedder is None  # no model was even loaded
    assert eng.search(bb_docs[3].title, k=1)[0].product_id == bb_docs[3].product_id
    with pytest.raises(ValueError, match="without vectors"):
        eng.search("oil", mode="dense")
