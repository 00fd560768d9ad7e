"""Eval-contract files: corpus / queries / run round trips, line-numbered errors, Home Depot conversion."""

from __future__ import annotations

import json

import pytest

from retrieval.files import (
    InputFileError,
    read_corpus,
    read_qrels,
    read_queries,
    read_run,
    write_run,
)
from retrieval.homedepot import convert_judgments


def test_corpus_errors_name_the_line(tmp_path):
    path = tmp_path / "c.jsonl"
    path.write_text('{"product_id": "1", "title": "drill"}\n{"product_id": "2"}\n')
    with pytest.raises(InputFileError, match=r"c.jsonl:2: missing or empty title"):
        read_corpus(path)
    path.write_text('{"product_id": "1", "title": "a"}\nnot json\n')
    with pytest.raises(InputFileError, match=r":2: not valid JSON"):
        read_corpus(path)
    path.write_text('{"product_id": "1", "title": "a"}\n{"product_id": 1, "title": "b"}\n')
    with pytest.raises(InputFileError, match=r":2: duplicate product_id '1' \(first on line 1\)"):
        read_corpus(path)
    path.write_text('{"product_id": "1", "title": "a", "price": "cheap"}\n')
    with pytest.raises(InputFileError, match="price must be a number"):
        read_corpus(path)


def test_corpus_optional_fields(tmp_path):
    path = tmp_path / "c.jsonl"
    rec = {"product_id": 7, "title": "Hammer", "brand": "Acme", "price": "9.5", "rating": 4}
    path.write_text(json.dumps(rec) + "\n\n")
    (doc,) = read_corpus(path)
    assert (doc.product_id, doc.brand, doc.price, doc.rating, doc.in_stock) == (
        "7",
        "Acme",
        9.5,
        4.0,
        True,
    )


def test_queries_and_run_round_trip(tmp_path):
    q = tmp_path / "q.tsv"
    q.write_text("q1\tcordless drill\nq2\t\n")
    assert read_queries(q) == [("q1", "cordless drill"), ("q2", "")]
    q.write_text("no tab here\n")
    with pytest.raises(InputFileError, match=r"q.tsv:1"):
        read_queries(q)
    run = tmp_path / "run.tsv"
    assert write_run(run, [("q1", [("p2", 0.9), ("p1", 0.5)])]) == 2
    assert run.read_text().splitlines()[0] == "q1\tp2\t1\t0.900000"
    assert read_run(run) == {"q1": ["p2", "p1"]}


def test_homedepot_conversion(shared_data, tmp_path):
    files = convert_judgments(
        shared_data / "homedepot" / "judgments_dev.csv", tmp_path, max_queries=50
    )
    docs = read_corpus(files.corpus)
    queries = read_queries(files.queries)
    qrels = read_qrels(files.qrels)
    assert len(docs) > 40_000  # every judged product, even for 50 queries
    assert len(queries) == 50 and set(qrels) == {q for q, _ in queries}
    assert all(1 <= g <= 3 for grades in qrels.values() for g in grades.values())
    ids = {d.product_id for d in docs}
    assert all(p in ids for grades in qrels.values() for p in grades)
