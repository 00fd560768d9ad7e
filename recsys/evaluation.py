"""Offline evaluation of next-item recommendation: the `eval recsys` engine and a scorer.

Scoring helper (labels never reach the recommender):
    python -m recsys.evaluation games GAMES_DIR OUT_DIR   # ITEMS.tsv, SEQS.tsv, labels.tsv
    python -m recsys.evaluation score RECS.tsv labels.tsv [--k 10]
    python -m recsys.evaluation tune SEQS.tsv ITEMS.tsv    # fixed-rule grid, hold-last split
    python -m recsys.evaluation components ITEMS.tsv SEQS.tsv OUT_DIR   # RECS per component, rule
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path

import numpy as np

from recsys.blend import COMPONENTS, component_scores, rule_scores, top_rows
from recsys.io import (
    read_items,
    read_recbole_inter,
    read_recommendations,
    read_sequences,
    write_items,
    write_recommendations,
    write_sequences,
)
from recsys.metrics import ndcg_at_k, recall_at_k
from recsys.recommender import Recommender, RecommenderConfig
from retrieval.runner import Runner


def recommend_sequences(
    item_ids: Sequence[str],
    sequences: Mapping[str, Sequence[str]],
    k: int = 10,
    config: RecommenderConfig | None = None,
    show_progress: bool = False,
) -> tuple[list[str], list[list[str]]]:
    """Fit on the sequences and return (users, k next items each), never an item already seen."""
    _, users, recs = fit_and_recommend(item_ids, sequences, k, config, show_progress)
    return users, recs


def fit_and_recommend(
    item_ids: Sequence[str],
    sequences: Mapping[str, Sequence[str]],
    k: int = 10,
    config: RecommenderConfig | None = None,
    show_progress: bool = False,
    runner: Runner | None = None,
    parts: int = 1,
    titles: Mapping[str, str] | None = None,
) -> tuple[Recommender, list[str], list[list[str]]]:
    """recommend_sequences, also returning the fitted recommender (fitted on runner; titles:
    {item id: title} for the stacker's title features)."""
    if k < 1:
        raise ValueError("k must be >= 1")
    rec = Recommender.fit_sequences(
        sequences, item_ids, config, show_progress, runner, parts, titles
    )
    users = list(sequences.keys())
    rows = rec.users.lookup(users)
    top = rec.recommend_rows(rows, k, show_progress=show_progress)
    ids = rec.items.ids
    return rec, users, [[str(ids[i]) for i in row if i >= 0] for row in top]


def component_recommendations(
    rec: Recommender, users: Sequence[str], k: int = 10
) -> dict[str, list[list[str]]]:
    """Top-k of each component alone (ALS, transitions, SASRec), of the fixed rule (the default
    before the learned blend) and of the final blend for known users, their excluded items
    never recommended."""
    rows = rec.users.lookup(users)
    out: dict[str, list[list[int]]] = {c: [] for c in (*COMPONENTS, "rule", "blend")}
    bs = rec.config.batch_size
    for s in range(0, len(rows), bs):
        part = rows[s : s + bs]
        hist = [rec.histories[r] for r in part]
        comps = component_scores(
            rec.mf.score(part), rec.transitions, rec.config.transitions, rec.seq, hist
        )
        comps["rule"] = rule_scores(
            comps["als"], comps["transitions"], rec.popularity, rec.config.blend
        )
        excluded = rec.exclude[part].nonzero()
        for name, scores in comps.items():
            scores[excluded] = -np.inf
            out[name] += top_rows(scores, k)
        out["blend"] += top_rows(rec.blended_scores(part, hist, k), k)
    ids = rec.items.ids
    return {name: [[str(ids[i]) for i in r] for r in recs] for name, recs in out.items()}


def holdout_last(
    sequences: Mapping[str, Sequence[str]],
) -> tuple[dict[str, list[str]], dict[str, str]]:
    """Split off each sequence's last item (users with >= 2 items) for tuning on train data."""
    train, target = {}, {}
    for user, seq in sequences.items():
        if len(seq) >= 2:
            train[user], target[user] = list(seq[:-1]), seq[-1]
    return train, target


def score_recommendations(
    recs: Mapping[str, Sequence[str]], targets: Mapping[str, str], k: int = 10
) -> dict[str, float]:
    """Recall@k and NDCG@k over every user that has a target (missing recs count as misses)."""
    users = list(targets)
    ranked = [list(recs.get(u, [])) for u in users]
    truth = [targets[u] for u in users]
    return {
        f"recall@{k}": recall_at_k(ranked, truth, k),
        f"ndcg@{k}": ndcg_at_k(ranked, truth, k),
        "users": float(len(users)),
    }


def tune_blend(
    item_ids: Sequence[str],
    sequences: Mapping[str, Sequence[str]],
    blends: Sequence[float] = (0.0, 0.3, 0.5, 0.7, 1.0),
    config: RecommenderConfig | None = None,
    k: int = 10,
) -> dict[float, dict[str, float]]:
    """Metrics per weight of the fixed MF + transitions rule (no sequence model, no learned
    blend) on a hold-last-item split of the training sequences."""
    train, target = holdout_last(sequences)
    config = replace(config or RecommenderConfig(), learned=False)
    rec = Recommender.fit_sequences(train, item_ids, config)
    users = list(train)
    rows = rec.users.lookup(users)
    out = {}
    for b in blends:
        rec.config = replace(config, blend=b)
        top = rec.recommend_rows(rows, k)
        recs = {u: [str(rec.items.ids[i]) for i in r] for u, r in zip(users, top, strict=True)}
        out[b] = score_recommendations(recs, target, k)
    return out


def prepare_games(games_dir: str | Path, out_dir: str | Path) -> dict[str, str]:
    """Games-6k.valid.inter + Games.item -> ITEMS.tsv, SEQS.tsv (histories), labels.tsv."""
    games_dir, out = Path(games_dir), Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    hist, target = read_recbole_inter(games_dir / "Games-6k.valid.inter")
    _, titles = read_items(games_dir / "Games.item")
    write_items(out / "ITEMS.tsv", titles)
    write_sequences(out / "SEQS.tsv", hist)
    (out / "labels.tsv").write_text("".join(f"{u}\t{i}\n" for u, i in target.items()))
    return {n: str(out / n) for n in ("ITEMS.tsv", "SEQS.tsv", "labels.tsv")}


def _main() -> None:
    p = argparse.ArgumentParser(prog="python -m recsys.evaluation")
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("games", help="write ITEMS/SEQS/labels from the Games RecBole files")
    g.add_argument("games_dir")
    g.add_argument("out_dir")
    s = sub.add_parser("score", help="Recall@k / NDCG@k of RECS.tsv against labels.tsv")
    s.add_argument("recs")
    s.add_argument("labels")
    s.add_argument("--k", type=int, default=10)
    t = sub.add_parser("tune", help="blend weights on a hold-last split of SEQS.tsv")
    t.add_argument("seqs")
    t.add_argument("items")
    c = sub.add_parser("components", help="one fit; RECS-{als,transitions,sasrec,rule,blend}.tsv")
    c.add_argument("items")
    c.add_argument("seqs")
    c.add_argument("out_dir")
    a = p.parse_args()
    if a.cmd == "games":
        print(json.dumps(prepare_games(a.games_dir, a.out_dir), indent=2))
    elif a.cmd == "score":
        labels = dict(
            line.rstrip("\n").split("\t")[:2]
            for line in open(a.labels, encoding="utf-8")
            if line.strip()
        )
        print(json.dumps(score_recommendations(read_recommendations(a.recs), labels, a.k)))
    elif a.cmd == "components":
        t0 = time.time()
        seqs = read_sequences(a.seqs)
        ids, titles = read_items(a.items)
        rec = Recommender.fit_sequences(seqs, ids, show_progress=True, titles=titles)
        fitted = time.time() - t0
        users = list(seqs)
        out = Path(a.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        for name, recs in component_recommendations(rec, users).items():
            write_recommendations(out / f"RECS-{name}.tsv", users, recs)
        print(json.dumps({"learned_blend": rec.fit_metrics, "fit_s": round(fitted)}, indent=2))
        print(f"{time.time() - t0:.0f} s")
    else:
        t0 = time.time()
        res = tune_blend(read_items(a.items)[0], read_sequences(a.seqs))
        print(json.dumps({str(b): m for b, m in res.items()}, indent=2))
        print(f"{time.time() - t0:.0f} s")


if __name__ == "__main__":
    _main()
