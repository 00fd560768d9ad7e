"""`shopassist eval recsys|behavior` write exactly the EVAL.md formats and reject bad input."""

from __future__ import annotations

import csv

from typer.testing import CliRunner

from assistant.cli import app, load_commands

from .conftest import DAY

load_commands()
runner = CliRunner()


def test_eval_recsys_writes_k_unseen_items_per_user(tmp_path):
    items = tmp_path / "items.tsv"
    items.write_text("item_id\ttitle\n" + "".join(f"i{n}\tGame {n}\n" for n in range(30)))
    seqs = tmp_path / "seqs.tsv"
    lines = [f"u{n}\ti{n % 5} i{(n % 5) + 5} i{(n % 5) + 10}\n" for n in range(40)]
    seqs.write_text("".join(lines))
    out = tmp_path / "recs.tsv"
    res = runner.invoke(
        app,
        [
            "eval",
            "recsys",
            "--items",
            str(items),
            "--train",
            str(seqs),
            "--out",
            str(out),
            "--k",
            "5",
        ],
    )
    assert res.exit_code == 0, res.output
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert len(rows) == 40 * 5 and all(len(r) == 3 for r in rows)
    hist = {ln.split("\t")[0]: set(ln.split("\t")[1].split()) for ln in lines}
    for user, item, rank in rows:
        assert item not in hist[user] and 1 <= int(rank) <= 5
    assert [r[2] for r in rows[:5]] == ["1", "2", "3", "4", "5"]


def test_eval_recsys_bad_file_names_the_line(tmp_path):
    items = tmp_path / "items.tsv"
    items.write_text("i1\tA\n")
    seqs = tmp_path / "seqs.tsv"
    seqs.write_text("u1\ti1\nu2 i1 no tab\n")
    res = runner.invoke(
        app,
        [
            "eval",
            "recsys",
            "--items",
            str(items),
            "--train",
            str(seqs),
            "--out",
            str(tmp_path / "o"),
        ],
    )
    assert res.exit_code != 0 and "seqs.tsv:2" in res.output


def test_eval_behavior_scores_every_seen_pair(tmp_path, behaviour_log):
    cutoff = int(behaviour_log["ts"].min()) + 7 * DAY
    log = behaviour_log[behaviour_log["ts"] < cutoff].copy()
    log["type"] = log["type"].map({"view": "pv", "cart": "cart", "purchase": "buy"})
    events = tmp_path / "E.csv"
    log[["user_id", "item_id", "category", "type", "ts"]].to_csv(events, header=False, index=False)
    out = tmp_path / "SCORES.csv"
    args = [
        "eval",
        "behavior",
        "--events",
        str(events),
        "--format",
        "taobao",
        "--cutoff",
        str(cutoff),
        "--out",
        str(out),
    ]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    with open(out) as f:
        reader = csv.reader(f)
        assert next(reader) == ["user_id", "item_id", "score"]
        rows = list(reader)
    assert {(u, i) for u, i, _ in rows} == set(zip(log["user_id"], log["item_id"], strict=True))
    assert all(0.0 <= float(s) <= 1.0 for _, _, s in rows)
    bad = tmp_path / "bad.csv"
    bad.write_text("1,2,3,pv,1500000000\n1,2,3,teleport,1500000001\n")
    res = runner.invoke(
        app, ["eval", "behavior", "--events", str(bad), "--cutoff", "1", "--out", str(out)]
    )
    assert res.exit_code != 0 and "bad.csv:2" in res.output
