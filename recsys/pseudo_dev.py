"""Tuning the learned blend on training data only: a pseudo-dev split one level down.

Every SEQS user's last item is held out as a pseudo-dev target and the whole pipeline (the
held-out view, ALS, transitions, SASRec, the stacker's pool; then the final components) is
fitted on the rest; a quarter of the users (a CRC-32 hash) are scored. The fit and the
candidates are cached in WORK, so stacker variants (feature subsets, tree settings) cost one
LightGBM fit each. The dev labels are never read.

    python -m recsys.pseudo_dev fit SEQS.tsv ITEMS.tsv WORK       # ~ one `eval recsys` fit
    python -m recsys.pseudo_dev feats SEQS.tsv ITEMS.tsv WORK [--candidates N] [--popular N]
                                                                  # [--tag T]: pool + pdev .npz
    python -m recsys.pseudo_dev stack WORK [--pairs [N]] [--drop NAME ...] [--tag T]
                                           [--set leaves=31 refit_trees=0 ...]
"""

from __future__ import annotations

import argparse
import json
import pickle
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from recsys.blend import (
    FEATURES,
    BlendConfig,
    Stacker,
    candidate_features,
    component_scores,
    feature_names,
    stable_share,
    top_rows,
    validation_split,
)
from recsys.coldstart import popularity
from recsys.evaluation import holdout_last
from recsys.ids import IdIndex
from recsys.interactions import from_sequences
from recsys.io import read_items, read_sequences
from recsys.metrics import ndcg_at_k, recall_at_k
from recsys.mf import MatrixFactorization
from recsys.pairs import PAIR_FEATURES, PairContext
from recsys.recommender import RecommenderConfig
from recsys.sasrec import SASRec
from recsys.stacking import fit_view, held_out_view
from recsys.titles import ItemText
from recsys.transitions import fit_transitions

SHARE = 0.25  # users scored on the pseudo-dev split


def load(seqs: str, items: str) -> tuple[list[str], int, list[list[int]], np.ndarray, ItemText]:
    """(users, n_items, histories without their last item, those last items as targets, the
    items' titles)."""
    train, target = holdout_last(read_sequences(seqs))
    ids, titles = read_items(items)
    index = IdIndex(ids)
    unknown = {i for s in train.values() for i in s if i not in index}
    if unknown:
        index = IdIndex(list(index.ids) + sorted(unknown))
    users = list(train)
    hist = [index.lookup(s).tolist() for s in train.values()]
    text = ItemText.build([titles.get(str(i), "") for i in index.ids])
    return users, len(index), hist, np.array([index.get(target[u]) for u in users]), text


def fit(seqs: str, items: str, work: Path) -> None:
    """The held-out view's components and the final ones, as `Recommender.fit` fits them."""
    c = RecommenderConfig()
    configs = (c.mf, c.transitions, c.sequence, c.stack)
    users, n_items, hist, _, _ = load(seqs, items)
    ui = from_sequences(hist, n_items, c.interactions)
    rows, targets = validation_split(users, hist, c.stack)
    view, vh = held_out_view(ui, hist, rows, targets)
    parts = fit_view(view, vh, (rows, targets), users, configs, True)
    parts.seq.save(work / "seq_view")
    view_parts = {"mf": parts.mf, "trans": parts.transitions, "pop": parts.popularity}
    (work / "view.pkl").write_bytes(pickle.dumps({**view_parts, "rows": rows, "targets": targets}))
    mf = MatrixFactorization(c.mf).fit(ui)
    trans = fit_transitions(hist, n_items, c.transitions)
    parts.seq.resume(hist, c.stack.refit_epochs, True).save(work / "seq_final")
    (work / "final.pkl").write_bytes(
        pickle.dumps({"mf": mf, "trans": trans, "pop": popularity(ui)})
    )


def _candidates(
    m: dict,
    seq: SASRec,
    hist: list[list[int]],
    rows: np.ndarray,
    n: int,
    popular: int = 0,
    text: ItemText | None = None,
):
    """Candidates and every feature (FEATURES + PAIR_FEATURES) of the users in rows."""
    ctx = PairContext.build(m["mf"].item_factors, m["trans"], hist, m["pop"], seq, text=text)
    tcfg = RecommenderConfig().transitions
    out_c, out_f = [], []
    for s in range(0, len(rows), 1024):
        part = rows[s : s + 1024]
        h = [hist[r] for r in part]
        comps = component_scores(m["mf"].score(part), m["trans"], tcfg, seq, h)
        cands, x = candidate_features(comps, h, m["pop"], h, n, context=ctx, popular=popular)
        out_c.append(cands)
        out_f.append(x)
    return np.concatenate(out_c), np.concatenate(out_f)


def feats(seqs: str, items: str, work: Path, n: int = 50, popular: int = 0, tag: str = "") -> None:
    """The stacker's pool (view components) and the pseudo-dev users' candidates (final): the
    top n of each component (and the `popular` most recently popular items), pool{tag}.npz and
    pdev{tag}.npz."""
    users, _, hist, tgt, text = load(seqs, items)
    v = pickle.loads((work / "view.pkl").read_bytes())
    held = set(v["rows"].tolist())
    vh = [h[:-1] if r in held else h for r, h in enumerate(hist)]
    cands, x = _candidates(v, SASRec.load(work / "seq_view"), vh, v["rows"], n, popular, text)
    keep = (cands == v["targets"][:, None]).any(axis=1)
    pool = {"cands": cands[keep], "feats": x[keep], "targets": v["targets"][keep]}
    np.savez(work / f"pool{tag}.npz", **pool, rows=v["rows"][keep])
    fin = pickle.loads((work / "final.pkl").read_bytes())
    rows = np.array([r for r, u in enumerate(users) if stable_share(u, "pseudo") < SHARE])
    cands, x = _candidates(fin, SASRec.load(work / "seq_final"), hist, rows, n, popular, text)
    np.savez(work / f"pdev{tag}.npz", cands=cands, feats=x, targets=tgt[rows], rows=rows)
    print(json.dumps({"target_in_pool": float(keep.mean()), "pseudo_dev_users": len(rows)}))


def stack(work: Path, names: list[str], config: BlendConfig, tag: str = "") -> dict[str, float]:
    """Fit the stacker on the cached pool{tag} with these features; score the pseudo-dev users."""
    names_all = feature_names(len(FEATURES) + len(PAIR_FEATURES))
    cols = [names_all.index(f) for f in names]
    p, q = np.load(work / f"pool{tag}.npz"), np.load(work / f"pdev{tag}.npz")
    st = Stacker(config).fit(p["cands"], p["feats"][:, :, cols], p["targets"], names)
    n_items = int(max(q["cands"].max(), q["targets"].max())) + 1
    top = top_rows(st.scores(q["cands"], q["feats"][:, :, cols], n_items), 10)
    truth = q["targets"].tolist()
    return {
        "recall@10": recall_at_k(top, truth),
        "ndcg@10": ndcg_at_k(top, truth),
        "trees": st.metrics["trees"],
    }


def config_with(sets: list[str]) -> BlendConfig:
    """BlendConfig with key=value overrides, each typed as its default."""
    base, kw = BlendConfig(), dict[str, Any]()
    for kv in sets:
        k, v = kv.split("=", 1)
        kind = type(getattr(base, k))
        kw[k] = v.lower() in ("1", "true") if kind is bool else kind(v)
    return replace(base, **kw)


def _main() -> None:
    p = argparse.ArgumentParser(prog="python -m recsys.pseudo_dev")
    sub = p.add_subparsers(dest="cmd", required=True)
    for cmd in ("fit", "feats"):
        s = sub.add_parser(cmd)
        s.add_argument("seqs")
        s.add_argument("items")
        s.add_argument("work", type=Path)
        if cmd == "feats":
            s.add_argument("--candidates", type=int, default=BlendConfig().candidates)
            s.add_argument("--popular", type=int, default=0, help="recently popular candidates")
    s = sub.add_parser("stack")
    s.add_argument("work", type=Path)
    s.add_argument("--pairs", type=int, nargs="?", const=len(PAIR_FEATURES), default=0,
                   help="add the first N PAIR_FEATURES (no N: all)")  # fmt: skip
    s.add_argument("--drop", nargs="*", default=[], help="features left out")
    s.add_argument("--set", nargs="*", default=[], help="BlendConfig fields, e.g. leaves=31")
    for cmd in ("feats", "stack"):
        sub.choices[cmd].add_argument("--tag", default="", help="suffix of pool / pdev .npz")
    a = p.parse_args()
    t0 = time.time()
    if a.cmd == "stack":
        pairs = PAIR_FEATURES[: a.pairs]
        names = [f for f in FEATURES + pairs if f not in a.drop]
        cfg = config_with(a.set)
        print(json.dumps({**stack(a.work, names, cfg, a.tag), "s": round(time.time() - t0)}))
        return
    a.work.mkdir(parents=True, exist_ok=True)
    if a.cmd == "fit":
        fit(a.seqs, a.items, a.work)
    else:
        feats(a.seqs, a.items, a.work, a.candidates, a.popular, a.tag)
    print(f"{a.cmd}: {time.time() - t0:.0f} s")


if __name__ == "__main__":
    _main()
