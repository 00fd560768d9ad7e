"""`shopassist eval retrieval` (EVAL.md contract) and `index build` on a small Home Depot slice."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from assistant.cli import app, load_commands
from assistant.config import get_settings
from assistant.db.models import Base
from assistant.db.session import get_engine
from retrieval.files import read_corpus, read_qrels, read_run
from retrieval.metrics import evaluate_run
from tests.retrieval.catalog import homedepot_slice


@pytest.fixture(scope="module")
def hd_slice(tmp_path_factory):
    """30 real queries over their judged products plus 200 distractors."""
    return homedepot_slice(tmp_path_factory.mktemp("hd"))


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("SHOPASSIST_DATA_DIR", str(tmp_path / "var"))
    get_settings.cache_clear()
    load_commands()
    yield CliRunner()
    get_settings.cache_clear()


def test_eval_retrieval_writes_a_trec_run(cli, hd_slice, tmp_path):
    corpus, queries, qrels = hd_slice
    ids = {d.product_id for d in read_corpus(corpus)}
    for mode, k in (("hybrid", 20), ("bm25", 5)):
        out = tmp_path / f"{mode}.tsv"
        args = ["eval", "retrieval", "--corpus", str(corpus), "--queries", str(queries)]
        r = cli.invoke(app, args + ["--out", str(out), "--k", str(k), "--mode", mode])
        assert r.exit_code == 0, r.output
        rows = [line.split("\t") for line in out.read_text().splitlines()]
        by_q: dict[str, list[list[str]]] = {}
        for row in rows:
            assert len(row) == 4 and row[1] in ids
            by_q.setdefault(row[0], []).append(row)
        assert len(by_q) == 30
        for hits in by_q.values():
            assert [int(h[2]) for h in hits] == list(range(1, k + 1))
            scores = [float(h[3]) for h in hits]
            assert scores == sorted(scores, reverse=True)
        # a small corpus is easy: a broken ranker would score near 0 here
        assert evaluate_run(read_run(out), read_qrels(qrels))["ndcg@10"] > 0.4


def test_eval_retrieval_with_rewrite(cli, hd_slice, tmp_path):
    corpus, queries, _ = hd_slice
    rw = tmp_path / "rw.tsv"
    args = ["eval", "retrieval", "--corpus", str(corpus), "--queries", str(queries), "--k", "3"]
    r = cli.invoke(
        app, args + ["--out", str(tmp_path / "run.tsv"), "--rewrite", "--rewrites-out", str(rw)]
    )
    assert r.exit_code == 0, r.output
    rows = [line.split("\t") for line in rw.read_text().splitlines()]
    assert len(rows) == 30 and all(
        len(row) == 3 and isinstance(json.loads(row[2]), dict) for row in rows
    )


def test_eval_retrieval_bad_input(cli, hd_slice, tmp_path):
    corpus, queries, _ = hd_slice
    base = ["eval", "retrieval", "--queries", str(queries), "--out", str(tmp_path / "o.tsv")]
    r = cli.invoke(app, base + ["--corpus", str(tmp_path / "nope.jsonl")])
    assert r.exit_code == 1 and "file not found" in r.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"product_id": "1", "title": "x"}\n{"title": "no id"}\n')
    r = cli.invoke(app, base + ["--corpus", str(bad)])
    assert r.exit_code == 1 and "bad.jsonl:2: missing product_id" in r.output
    r = cli.invoke(app, base + ["--corpus", str(corpus), "--mode", "fuzzy"])
    assert r.exit_code == 1 and "valid: hybrid, bm25, dense" in r.output
    r = cli.invoke(app, base + ["--corpus", str(corpus), "--rewrites-out", str(tmp_path / "r.tsv")])
    assert r.exit_code == 1 and "--rewrites-out needs --rewrite" in r.output


def test_index_build_on_an_empty_catalog_fails_clearly(cli, tmp_path):
    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    Base.metadata.create_all(get_engine(settings.effective_database_url))
    r = cli.invoke(app, ["index", "build"])
    assert r.exit_code == 1 and "catalog is empty" in r.output


def _judgments_csv(hd_slice, path):
    """The slice's labels as JUDGMENTS.csv (Home Depot's columns)."""
    corpus, queries, qrels = hd_slice
    titles = {d.product_id: d.title for d in read_corpus(corpus)}
    text = dict(line.split("\t", 1) for line in queries.read_text().splitlines())
    rows = ["id,product_uid,product_title,search_term,relevance"]
    for n, (qid, grades) in enumerate(read_qrels(qrels).items()):
        for pid, grade in grades.items():
            title = titles[pid].replace('"', '""')
            rows.append(f'{n},{pid},"{title}","{text[qid].strip()}",{grade:g}')
    path.write_text("\n".join(rows) + "\n")
    return path


def test_train_ranker_then_eval_retrieval_uses_it(cli, hd_slice, tmp_path):
    corpus, queries, _ = hd_slice
    judgments = _judgments_csv(hd_slice, tmp_path / "j.csv")
    r = cli.invoke(
        app,
        ["train", "ranker", "--judgments", str(judgments), "--corpus", str(corpus)]
        + ["--candidates", "30", "--trees", "20"],
    )
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["queries"] == 30 and summary["first_stage"] == "corpus"
    assert summary["trees"] >= 1 and (get_settings().data_dir / "ranker" / "CURRENT").is_file()
    args = ["eval", "retrieval", "--corpus", str(corpus), "--queries", str(queries), "--k", "10"]
    r = cli.invoke(app, args + ["--out", str(tmp_path / "learned.tsv")])
    assert r.exit_code == 0 and f"learned reranker {summary['version']}" in r.output
    r = cli.invoke(app, args + ["--out", str(tmp_path / "first.tsv"), "--no-learned"])
    assert r.exit_code == 0 and "learned reranker" not in r.output
    learned, first = read_run(tmp_path / "learned.tsv"), read_run(tmp_path / "first.tsv")
    assert learned.keys() == first.keys() and learned != first
    # EVAL.md's form (no corpus, no store index): the judged products are searched
    r = cli.invoke(app, ["train", "ranker", "--judgments", str(judgments), "--trees", "5"])
    assert r.exit_code == 0 and json.loads(r.stdout.splitlines()[-1])["first_stage"] == (
        "judged products"
    )


def test_train_ranker_bad_input(cli, hd_slice, tmp_path):
    r = cli.invoke(app, ["train", "ranker"])
    assert r.exit_code == 1 and "exactly one of --judgments FILE and --from-events" in r.output
    r = cli.invoke(app, ["train", "ranker", "--judgments", str(tmp_path / "nope.csv")])
    assert r.exit_code == 1 and "file not found" in r.output
    bad = tmp_path / "bad.csv"
    for body, reason in (
        ("id,product_uid,product_title,search_term,relevance\n1,p1,A drill,drill,3\n"
         "2,p2,A saw,saw,high\n", "bad.csv:3: relevance must be a number, got 'high'"),
        ("id,product_uid,product_title,search_term,relevance\n1,p1,A drill,drill,4\n",
         "bad.csv:2: relevance 4 is outside 0..3"),
        ("id,product_uid,title,query\n1,p1,A drill,drill\n", "bad.csv:1: missing column(s)"),
    ):  # fmt: skip
        bad.write_text(body)
        r = cli.invoke(app, ["train", "ranker", "--judgments", str(bad)])
        assert r.exit_code == 1 and reason in r.output, r.output
    assert not (get_settings().data_dir / "ranker").exists()  # nothing half-written
