"""How the learned blend is trained: every validation shopper's last item is held out, ALS,
transitions and SASRec are fitted without those items, and the stacker learns from the
components' scores of them (`recsys/blend.py` has the features and the stacker).

    view, hist = held_out_view(user_items, histories, rows, targets)
    parts = fit_view(view, hist, rows, targets, configs)            # ALS, transitions, SASRec
    pool = training_pool(parts, hist, rows, targets, popularity, n)  # features, in-pool shoppers
    seq, stacker, metrics = learned_blend(user_items, histories, user_ids, configs)

The caller fits ALS and transitions again on everything for the final ranking; SASRec can be
trained a few more epochs on the whole histories (`BlendConfig.refit_epochs`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from recsys.blend import (
    COMPONENTS,
    BlendConfig,
    Stacker,
    candidate_features,
    component_scores,
    stable_share,
    top_rows,
    validation_split,
)
from recsys.coldstart import popularity
from recsys.metrics import ndcg_at_k, recall_at_k
from recsys.mf import MatrixFactorization, MFConfig
from recsys.pairs import PairContext
from recsys.sasrec import SASRec, SASRecConfig, warm_start
from recsys.titles import ItemText
from recsys.transitions import TransitionConfig, fit_transitions

Configs = tuple[MFConfig, TransitionConfig, SASRecConfig, BlendConfig]


@dataclass
class ViewParts:
    """The components fitted without the held-out items."""

    mf: MatrixFactorization
    transitions: sp.csr_matrix
    tconfig: TransitionConfig
    seq: SASRec
    popularity: np.ndarray


@dataclass
class Pool:
    """The stacker's training data: candidates and features of the shoppers whose target is in
    the pool, and each component's Recall@10 / NDCG@10 over all validation shoppers."""

    cands: np.ndarray  # (B', C) item rows, -1 empty
    feats: np.ndarray  # (B', C, F)
    targets: np.ndarray  # (B',)
    shoppers: int  # validation shoppers, in the pool or not
    components: dict[str, dict[str, float]]


def held_out_view(
    user_items: sp.csr_matrix,
    histories: Sequence[Sequence[int]],
    rows: np.ndarray,
    targets: np.ndarray,
) -> tuple[sp.csr_matrix, list[list[int]]]:
    """The interactions and histories without each validation shopper's last item (the only
    occurrence of that item in their history)."""
    hist = [list(h) for h in histories]
    for r in rows:
        hist[r] = hist[r][:-1]
    drop = np.full(user_items.shape[0], -1, np.int64)
    drop[rows] = targets
    coo = sp.coo_matrix(user_items, dtype=np.float32)
    keep = drop[coo.row] != coo.col
    view = sp.csr_matrix(
        (coo.data[keep], (coo.row[keep], coo.col[keep])), shape=user_items.shape, dtype=np.float32
    )
    return view, hist


def fit_view(
    view: sp.csr_matrix,
    hist: Sequence[Sequence[int]],
    valid: tuple[np.ndarray, np.ndarray],
    user_ids: Sequence[str],
    configs: Configs,
    show_progress: bool = False,
) -> ViewParts:
    """ALS, transitions and SASRec on the held-out view; SASRec early-stops on seq_valid of the
    validation shoppers (chosen by a stable hash), its item embeddings start from ALS's."""
    mf_cfg, t_cfg, seq_cfg, cfg = configs
    rows, targets = valid
    mf = MatrixFactorization(mf_cfg).fit(view, show_progress=show_progress)
    trans = fit_transitions(hist, view.shape[1], t_cfg)
    init = None
    if seq_cfg.warm_start_std and mf.item_factors is not None:
        init = warm_start(mf.item_factors, seq_cfg.dim, seq_cfg.warm_start_std)
    order = np.argsort([stable_share(str(user_ids[r]), "early") for r in rows], kind="stable")
    early = order[: cfg.seq_valid]
    early_valid = ([hist[r] for r in rows[early]], targets[early].tolist())
    seq = SASRec(seq_cfg).fit(hist, view.shape[1], early_valid, show_progress, init)
    return ViewParts(mf, trans, t_cfg, seq, popularity(view))


def training_pool(
    parts: ViewParts,
    hist: Sequence[Sequence[int]],
    rows: np.ndarray,
    targets: np.ndarray,
    n: int,
    batch_size: int = 1024,
    pairs: bool = True,
    text: ItemText | None = None,
) -> Pool:
    """Candidates and features of the validation shoppers (history items never candidates),
    kept for those whose target is in the pool; each component's top 10 scored on all."""
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    per_comp: dict[str, list[list[int]]] = {c: [] for c in COMPONENTS}
    ctx = None
    if pairs:
        f, t = parts.mf.item_factors, parts.transitions
        ctx = PairContext.build(f, t, hist, parts.popularity, parts.seq, text=text)
    for s in range(0, len(rows), batch_size):
        part, tgt = rows[s : s + batch_size], targets[s : s + batch_size]
        vh = [hist[r] for r in part]
        comps = component_scores(
            parts.mf.score(part), parts.transitions, parts.tconfig, parts.seq, vh
        )
        seen = ([r for r, h in enumerate(vh) for _ in h], [i for h in vh for i in h])
        for c in COMPONENTS:
            comps[c][seen] = -np.inf
            per_comp[c] += top_rows(comps[c], 10)
        cands, feats = candidate_features(comps, vh, parts.popularity, vh, n, context=ctx)
        keep = (cands == tgt[:, None]).any(axis=1)
        kept.append((cands[keep], feats[keep], tgt[keep]))
    truth = targets.tolist()
    metrics = {
        c: {"recall@10": recall_at_k(r, truth), "ndcg@10": ndcg_at_k(r, truth)}
        for c, r in per_comp.items()
    }
    cands, feats, tgt = (np.concatenate(x) for x in zip(*kept, strict=True))
    return Pool(cands, feats, tgt, len(rows), metrics)


def learned_blend(
    user_items: sp.csr_matrix,
    histories: Sequence[Sequence[int]],
    user_ids: Sequence[str],
    configs: Configs,
    show_progress: bool = False,
    text: ItemText | None = None,
) -> tuple[SASRec, Stacker, dict[str, dict[str, float]]] | None:
    """Train the sequence model and the stacker without the validation shoppers' last items.

    text: the items' titles for the pair features (None: their title features are 0).
    Returns (sequence model, stacker, Recall@10 / NDCG@10 of each component on the validation
    shoppers and of the blend on the stacker's held-out shoppers), or None when there are too
    few validation shoppers.
    """
    cfg = configs[3]
    rows, targets = validation_split(user_ids, histories, cfg)
    if len(rows) < cfg.min_valid_users:
        return None
    view, hist = held_out_view(user_items, histories, rows, targets)
    parts = fit_view(view, hist, (rows, targets), user_ids, configs, show_progress)
    pool = training_pool(parts, hist, rows, targets, cfg.candidates, pairs=cfg.pairs, text=text)
    stacker = Stacker(cfg).fit(pool.cands, pool.feats, pool.targets)
    seq = parts.seq.resume(histories, cfg.refit_epochs, show_progress)
    in_pool = len(pool.targets) / max(pool.shoppers, 1)
    st = stacker.metrics
    metrics = dict(pool.components)
    # the stacker's held-out shoppers, the ones whose target is outside the pool counted as
    # misses: Recall@10 / NDCG@10 comparable with the components'
    metrics["blend"] = {k: st[f"stop_{k}"] * in_pool for k in ("recall@10", "ndcg@10")}
    metrics["validation"] = {**st, "shoppers": float(pool.shoppers), "target_in_pool": in_pool}
    return seq, stacker, metrics
