"""The query rewriter on real Home Depot queries and titles, and on a small branded catalog."""

from __future__ import annotations

import csv
import pickle

import pytest

from retrieval.corpus import ProductDoc
from retrieval.rewrite import QueryRewriter, RewriteConfig
from retrieval.rewrite.bench import latency_profile
from retrieval.rewrite.spell import SpellConfig, typing_cost
from tests.conftest import SHARED_DATA

HOMEDEPOT = SHARED_DATA / "homedepot" / "judgments_dev.csv"


@pytest.fixture(scope="module")
def hd():
    """Titles and queries of the Home Depot development judgments, and a rewriter over them."""
    if not HOMEDEPOT.is_file():
        pytest.skip(f"Home Depot judgments not found at {HOMEDEPOT}")
    titles: dict[str, str] = {}
    queries: list[str] = []
    with HOMEDEPOT.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            titles[row["product_uid"]] = row["product_title"]
            queries.append(row["search_term"])
    docs = [ProductDoc(product_id=k, title=v) for k, v in titles.items()]
    return QueryRewriter.from_docs(docs), sorted(set(queries))


@pytest.mark.parametrize(
    "query, expected",
    [
        ("angle braket", "angle bracket"),
        ("kwiksest door handle delta", "kwikset door handle delta"),
        ("pneumatic cynlinder", "pneumatic cylinder"),
        ("hex drill chcuck", "hex drill chuck"),
        ("battery cable conector", "battery cable connector"),
        ("stove gas replacement knops", "stove gas replacement knobs"),
        ("silk poinsetia", "silk poinsettia"),
        ("spray metallicpaint", "spray metallic paint"),  # split
        ("sky light impact", "skylight impact"),  # join
        ("dish washer", "dishwasher"),
        ("versabon 50lb", "versabond 50 lb."),  # units written the catalog's way
        ("dewalt 18v drill", "dewalt 18 volt drill"),  # titles say "18-Volt"
    ],
)
def test_real_typos_are_corrected(hd, query, expected):
    rewriter, _ = hd
    out = rewriter.rewrite(query)
    assert out.query == expected
    assert out.changes and all(0 < c.confidence <= 1 for c in out.changes)
    assert 0 < out.confidence < 1


@pytest.mark.parametrize(
    "query",
    [
        "dewalt dcd771c2 drill kit",  # brand and model number
        "led br30 15w l4011mx",  # model numbers
        "whirlpool wrs325fdam",
        "rheem 40-50 gallon",
        "ROUGE",  # short all-caps: an acronym or a name
        "1/2 ntp to 1/2",
        "ptz camera",  # short words are never guessed at
        "types of hibiscus plants",  # everyday English the catalog lacks
    ],
)
def test_brands_model_numbers_and_known_words_survive(hd, query):
    rewriter, _ = hd
    out = rewriter.rewrite(query)
    assert [c for c in out.changes if c.kind != "filter"] == []
    assert out.query == query


def test_only_unknown_words_are_ever_respelt(hd):
    rewriter, queries = hd
    for q in queries[::7]:
        for c in rewriter.rewrite(q).changes:
            if c.kind in ("spelling", "split"):
                assert not rewriter.spell.is_known(c.before), (q, c)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "a " * 400,
        "ऑर्गेनिक चावल",
        "你好 拖把",
        "bad\x00\x01bytes",
        123,
        None,
        ["angle braket"],
    ],
)
def test_bad_input_comes_back_unchanged_with_confidence_0(hd, query):
    rewriter, _ = hd
    out = rewriter.rewrite(query)
    assert out.confidence == 0.0 and out.changes == [] and out.filters == {}
    assert out.query == (query if isinstance(query, str) else "")


def test_pickled_rewriter_answers_the_same(hd, tmp_path):
    rewriter, queries = hd
    rewriter.save(tmp_path / "rw.pkl")
    again = QueryRewriter.load(tmp_path / "rw.pkl")
    for q in queries[:300]:
        assert again.rewrite(q) == rewriter.rewrite(q)
    with (tmp_path / "bad.pkl").open("wb") as fh:
        pickle.dump((0, rewriter), fh)
    with pytest.raises(ValueError, match="another version"):
        QueryRewriter.load(tmp_path / "bad.pkl")


def test_latency_profile_reports_percentiles(hd):
    rewriter, queries = hd
    prof = latency_profile(rewriter, queries[:200])
    assert prof["queries"] == 200 and 0 < prof["p50_ms"] <= prof["p99_ms"] <= prof["max_ms"]


STORE = [
    ProductDoc("1", "Nike Revolution 6 Running Shoes", brand="Nike", category="Footwear > Running", price=3999.0, extra={"size": "8, 9, 10"}),
    ProductDoc("2", "Nike Air Max Sneakers White", brand="Nike", category="Footwear > Sneakers", price=8999.0),
    ProductDoc("3", "Puma Softride Running Shoes", brand="Puma", category="Footwear > Running", price=2999.0),
    ProductDoc("4", "Amul Butter 500 g", brand="Amul", category="Dairy > Butter", price=275.0),
    ProductDoc("5", "Fresho Basmati Rice 5 kg", brand="Fresho", category="Foodgrains > Rice", price=640.0),
    ProductDoc("6", "Clove Whole 100 g", brand="Catch", category="Masala > Whole Spices", price=120.0),
    ProductDoc("7", "Clove Oil 15 ml", brand="Clove", category="Beauty > Oils", price=199.0),
    ProductDoc("8", "Organic Clove Powder 50 g", brand="Organic Tattva", category="Masala > Powders", price=99.0),
    ProductDoc("9", "Basmati Rice Classic 1 kg", brand="Daawat", category="Foodgrains > Rice", price=180.0),
    ProductDoc("10", "Running Shoes for Men", brand="Campus", category="Footwear > Running", price=1499.0),
]  # fmt: skip


@pytest.fixture(scope="module")
def store():
    return QueryRewriter.from_docs(STORE, past_queries=["sampann dal", "sampann dal", "kurta"])


def test_structure_and_spelling_together(store):
    out = store.rewrite("nike runing shoes under $100 size 10")
    assert out.query == "running shoes"
    assert out.filters == {"brand": "Nike", "max_price": 100.0, "size": "10"}
    assert out.search_filters() == {"brand": "Nike", "max_price": 100.0}
    assert out.search_filters(fields=["brand"]) == {"brand": "Nike"}
    kinds = {c.kind for c in out.changes}
    assert kinds == {"spelling", "filter"}


def test_brand_names_are_not_respelt_and_ambiguous_brands_are_not_filters(store):
    assert store.rewrite("fresho basmati").filters == {"brand": "Fresho"}
    out = store.rewrite("clove powder")  # Clove is a brand, but also the spice in other titles
    assert "brand" not in out.filters and out.query == "clove powder"


def test_past_searches_make_words_known(store):
    assert store.rewrite("sampann dal").changes == []


def test_session_context_steers_the_choice():
    docs = [ProductDoc(str(i), t) for i, t in enumerate(["rice bowl"] * 3 + ["rich cake"] * 12)]
    rewriter = QueryRewriter.from_docs(docs)
    assert rewriter.rewrite("ricx").query == "rich"
    assert rewriter.rewrite("ricx", context=["rice cooker"]).query == "rice"


def test_filter_phrases_the_catalog_cannot_apply_stay_in_the_text(hd):
    rewriter, _ = hd  # Home Depot titles: no prices, ratings or sizes
    out = rewriter.rewrite("bolts under $5 size 10")
    assert out.query == "bolts under $5 size 10"
    assert out.filters == {"max_price": 5.0, "size": "10"} and out.search_filters() == {}


def test_config_is_validated():
    with pytest.raises(ValueError):
        SpellConfig(max_edit_distance=0)
    with pytest.raises(ValueError):
        RewriteConfig(max_query_chars=0)


def test_empty_catalog_leaves_queries_alone():
    out = QueryRewriter.from_docs([]).rewrite("angle braket")
    assert out.query == "angle braket" and out.changes == []


def test_expansions_are_related_catalog_terms_not_the_query(hd):
    rewriter, _ = hd
    out = rewriter.rewrite("riding mower")
    assert out.query == "riding mower"  # expansions never leak into the query itself
    assert out.expansions and {"riding", "mower"}.isdisjoint(out.expansions)
    assert {"lawn", "propelled", "zero", "turn", "behind", "walk"} & set(out.expansions)
    assert all(rewriter.spell.counts[w] >= 3 for e in out.expansions for w in e.split())
    assert "counter top" in rewriter.rewrite("countertop").expansions  # the other compound form


def test_embedding_neighbours_become_synonyms():
    import numpy as np

    titles = (
        ["Refrigerator French Door", "Refrigerator Top Freezer", "Refrigerator Side"]
        + ["Fridge Magnet Set"] * 3
        + ["Garden Hose Reel"] * 3
    )
    axes = {"refrigerator": 0, "fridge": 0, "freezer": 1, "french": 2, "door": 3, "magnet": 4}

    def embed(words: list[str]) -> np.ndarray:
        out = np.zeros((len(words), 8), dtype=np.float32)
        for i, w in enumerate(words):
            out[i, axes.get(w, 5 + i % 2)] = 1.0
            out[i, 7] = 0.1 * (w == "fridge")
        return out / np.linalg.norm(out, axis=1, keepdims=True)

    docs = [ProductDoc(str(i), t) for i, t in enumerate(titles)]
    rewriter = QueryRewriter.from_docs(docs, embed=embed)
    assert rewriter.rewrite("fridge").expansions[0] == "refrigerator"


def test_a_brand_named_in_a_few_other_titles_is_still_a_brand():
    docs = [ProductDoc(str(i), f"Apple Shimla {i} kg", brand="Fresho") for i in range(20)]
    docs += [ProductDoc(f"c{i}", f"Fresho Fruit Combo {i}", brand="bb Combo") for i in range(3)]
    docs += [ProductDoc("s1", "Fresho Signature Cake", brand="Fresho Signature")]
    docs += [ProductDoc(f"k{i}", f"Clove Whole {i} g", brand="Catch") for i in range(4)]
    docs += [ProductDoc("k9", "Clove Oil", brand="Clove")]
    rewriter = QueryRewriter.from_docs(docs)
    assert rewriter.rewrite("fresho aple").filters == {"brand": "Fresho"}
    assert "brand" not in rewriter.rewrite("clove whole").filters


@pytest.mark.parametrize(
    "typed, right, wrong",
    [
        ("hieght", "height", "light"),  # swapped neighbours beat a more frequent word
        ("trimer", "trimmer", "primer"),  # a doubled letter left out
        ("morter", "mortar", "porter"),  # a vowel for a vowel; first letters rarely go wrong
        ("gridlee", "griddle", "grille"),
    ],
)
def test_typing_cost_ranks_the_usual_slips_first(typed, right, wrong):
    assert typing_cost(typed, right) < typing_cost(typed, wrong)
    assert typing_cost(typed, typed) == 0.0


def test_the_typing_error_model_finds_what_edit_distance_missed(hd):
    rewriter, _ = hd
    assert rewriter.rewrite("thinset morter").query == "thinset mortar"  # was "porter"


def test_glued_dimensions_are_searched_softly():
    docs = [
        ProductDoc(product_id="1", title="2 in. x 4 in. x 8 ft. Stud"),
        ProductDoc(product_id="2", title="2x6 Joist Hanger"),
    ]
    rewriter = QueryRewriter.from_docs(docs, config=RewriteConfig(dimension_weight=0.3))
    out = rewriter.rewrite("2x4x8 stud")
    assert out.query == "2x4x8 stud"  # the typed token stays: its parts alone match too much
    assert out.soft_terms == (("2 x 4 x 8", 0.3),)
    assert out.to_dict()["soft_terms"] == [["2 x 4 x 8", 0.3]]
    assert rewriter.rewrite("2x6 hanger").soft_terms == ()  # the catalog writes it that way
    off = QueryRewriter.from_docs(docs, config=RewriteConfig(dimension_weight=0.0))
    assert off.rewrite("2x4x8 stud").soft_terms == ()
    with pytest.raises(ValueError, match="dimension_weight"):
        RewriteConfig(dimension_weight=1.5)


def test_soft_terms_add_weighted_bm25(engine_config, tmp_path):
    import dataclasses

    from retrieval.engine import SearchEngine

    docs = [
        ProductDoc(product_id="a", title="Pine Stud 2 in. x 4 in."),
        ProductDoc(product_id="b", title="Pine Stud Premium"),
        ProductDoc(product_id="c", title="Steel Shelf"),
    ]
    cfg = dataclasses.replace(engine_config, mode="bm25")
    engine = SearchEngine.build(docs, cfg, tmp_path)
    plain = engine.search("pine stud premium 2x4", k=2)
    soft = engine.search("pine stud premium 2x4", k=2, soft_terms=[("2 x 4", 0.3)])
    assert plain[0].product_id == "b"
    assert soft[0].lexical_score == pytest.approx(plain[0].lexical_score)  # "b" has no 2 or 4
    assert soft[1].product_id == "a" and soft[1].lexical_score > plain[1].lexical_score
