"""The learned blend: ALS, transitions and the sequence model each score items; a LightGBM
ranker, trained on held-out next items of validation users, orders their pooled top items
(`recsys/stacking.py` trains it).

    rows, targets = validation_split(user_ids, histories, BlendConfig())   # every shopper
    comps = component_scores(mf_scores, transitions, tconfig, seq, histories)
    cands, feats = candidate_features(comps, excluded, popularity, histories, n=50)
    stacker = Stacker(BlendConfig()).fit(cands, feats, targets)
    scores = stacker.scores(cands, feats, n_items)        # (B, n_items), -inf off the pool

Features of a (shopper, item) pair: for each component its raw score, the gap to the
shopper's best score of that component and the item's rank there (capped), plus the item's
popularity, the history's length, SASRec's log-probability of the item and the transitions'
total mass; with a `PairContext` the `recsys/pairs.py` features after them (the candidate
against the shopper's latest items, recent popularity). Nothing here is hand-weighted.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import lightgbm as lgb
import numpy as np
import scipy.sparse as sp

from recsys.metrics import ndcg_at_k, recall_at_k, row_logsumexp, topk_rows
from recsys.mf import rank_scores
from recsys.pairs import PAIR_FEATURES, PairContext, pair_features
from recsys.sasrec import SASRec
from recsys.transitions import TransitionConfig, transition_scores

COMPONENTS = ("als", "transitions", "sasrec")


@dataclass
class BlendConfig:
    """Which shoppers train the stacker, how many items each component proposes, tree sizes."""

    candidates: int = 50  # top items each component puts into the pool
    # shoppers (by a stable hash of their id) whose last item is held out for the blend: all
    # of them, so the stacker learns from every shopper whose target is in the pool
    valid_share: float = 1.0
    max_valid_users: int = 100_000
    # fewer: no SASRec, no learned blend (MF + transitions by the fixed rule); the demo store
    # (500 shoppers) has about 270
    min_valid_users: int = 500
    seq_valid: int = 2_000  # validation shoppers SASRec early-stops on (the first by hash)
    trees: int = 300
    leaves: int = 15
    min_leaf: int = 100  # LightGBM's min_data_in_leaf: candidates a leaf must hold
    l2: float = 1.0  # LightGBM's lambda_l2
    learning_rate: float = 0.05
    objective: str = "lambdarank"  # lambdarank | binary (LightGBM's objective)
    stop_share: float = 0.2  # stacker's shoppers held out for its early stopping
    stop_rounds: int = 60  # trees without a better NDCG@10 on them before stopping
    # > 0: once early stopping has chosen the tree count, the stacker is trained again on every
    # shopper (the held-out fifth too) with refit_trees x that many trees
    refit_trees: float = 1.2
    # epochs SASRec trains on every shopper's whole history after the stacker learned (0: the
    # final SASRec is the one the stacker saw, fitted without the held-out items)
    refit_epochs: int = 2
    threads: int = 1  # LightGBM's (2 cores shared with other jobs)
    # the candidates' relation to the shopper's latest items and recent popularity
    # (`recsys/pairs.py`); off: the 13 component features only (stackers saved before them)
    pairs: bool = True
    seed: int = 0

    def __post_init__(self) -> None:
        if self.candidates < 1 or self.trees < 1 or self.leaves < 2:
            raise ValueError("candidates and trees must be >= 1, leaves >= 2")
        if self.objective not in ("lambdarank", "binary"):
            raise ValueError("objective must be lambdarank or binary")
        if not 0 < self.valid_share <= 1 or not 0 < self.stop_share < 1:
            raise ValueError("valid_share must be in (0, 1], stop_share in (0, 1)")
        if min(self.max_valid_users, self.min_valid_users, self.seq_valid, self.stop_rounds) < 1:
            raise ValueError("max/min_valid_users, seq_valid and stop_rounds must be >= 1")
        if self.threads < 1:
            raise ValueError("threads must be >= 1")
        if self.learning_rate <= 0 or self.l2 < 0 or self.min_leaf < 1 or self.refit_epochs < 0:
            raise ValueError("learning_rate must be > 0, l2 and refit_epochs >= 0, min_leaf >= 1")
        if self.refit_trees < 0:
            raise ValueError("refit_trees must be >= 0")


def stable_share(key: str, salt: str = "") -> float:
    """A uniform number in [0, 1) fixed by the key (CRC-32), the same on every run and machine."""
    return zlib.crc32(f"{salt}{key}".encode()) / 2**32


def validation_split(
    user_ids: Sequence[str], histories: Sequence[Sequence[int]], config: BlendConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Rows of the validation shoppers and their held-out (last) items. A shopper qualifies with
    2+ items whose last item is new to them (recommendations never repeat one)."""
    rows = [
        r
        for r, (u, h) in enumerate(zip(user_ids, histories, strict=True))
        if len(h) >= 2 and h[-1] not in h[:-1] and stable_share(str(u)) < config.valid_share
    ]
    rows = rows[: config.max_valid_users]
    return np.array(rows, dtype=np.int64), np.array([histories[r][-1] for r in rows], np.int64)


def component_scores(
    mf: np.ndarray | None,
    transitions: sp.csr_matrix,
    tconfig: TransitionConfig,
    seq: SASRec | None,
    histories: Sequence[Sequence[int]],
) -> dict[str, np.ndarray]:
    """Every item's score by each component. mf: (B, n_items) or None (no user factors: 0)."""
    n = transitions.shape[0]
    out = {
        "als": np.zeros((len(histories), n), np.float32) if mf is None else mf.astype(np.float32),
        "transitions": transition_scores(transitions, histories, tconfig).astype(np.float32),
    }
    out["sasrec"] = seq.score(histories) if seq is not None else np.zeros_like(out["als"])
    return out


def row_scale(scores: np.ndarray) -> np.ndarray:
    """Each row's largest finite absolute value (at least 1e-9). (B, n) -> (B, 1)."""
    finite = np.where(np.isfinite(scores), np.abs(scores), 0.0)
    return np.maximum(finite.max(axis=1, keepdims=True), 1e-9)


def rule_scores(
    mf: np.ndarray | None, transitions: np.ndarray, item_popularity: np.ndarray, weight: float
) -> np.ndarray:
    """The fixed rule: ALS + weight x transitions, each scaled by the shopper's best; a tiny
    popularity term orders what both leave tied (e.g. all zero). mf None: no ALS term.
    (B, n_items) -> (B, n_items) float32."""
    pop = item_popularity / max(float(item_popularity.max(initial=0.0)), 1.0)
    out = weight * (transitions / row_scale(transitions)) + 1e-3 * pop[None, :]
    if mf is not None:
        out += mf / row_scale(mf)
    return out.astype(np.float32)


def candidate_features(
    components: Mapping[str, np.ndarray],
    excluded: Sequence[Sequence[int]],
    item_popularity: np.ndarray,
    histories: Sequence[Sequence[int]],
    n: int,
    allowed: np.ndarray | None = None,
    context: PairContext | None = None,
    popular: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """The pooled top-n items of each component (and the `popular` items most popular among
    everyone's latest, with context), never an excluded one (only allowed ones when given),
    and their features (with context: the PAIR_FEATURES after FEATURES).
    -> (B, C) item rows (-1: empty slot), (B, C, F) float32."""
    comps = [np.array(components[c], dtype=np.float32) for c in COMPONENTS]  # copies
    b, n_items = comps[0].shape
    n = min(n, n_items)
    barred = np.ones(n_items, bool) if allowed is not None else None
    if barred is not None:
        barred[np.asarray(allowed, dtype=np.int64)] = False
    for s in comps:
        for r, ex in enumerate(excluded):
            s[r, list(ex)] = -np.inf
        if barred is not None:
            s[:, barred] = -np.inf
    tops = [topk_rows(s, n) for s in comps]  # (B, n) each
    extra = []
    if popular > 0 and context is not None:  # the recently most popular items join the pool
        hot = np.argsort(-context.recent, kind="stable")[:popular]
        extra = [np.broadcast_to(hot[None, :], (b, len(hot)))]
    pool = np.sort(np.concatenate(tops + extra, axis=1), axis=1)  # (B, C)
    dup = np.zeros_like(pool, dtype=bool)
    dup[:, 1:] = pool[:, 1:] == pool[:, :-1]
    ok = np.isfinite(np.take_along_axis(comps[0], pool, axis=1)) & ~dup
    cands = np.where(ok, pool, -1)
    safe = np.maximum(cands, 0)
    feats = []
    for s, top in zip(comps, tops, strict=True):
        v = np.take_along_axis(s, safe, axis=1)  # (B, C)
        best = np.take_along_axis(s, top, axis=1)  # (B, n) descending
        rank = (best[:, None, :] > v[:, :, None]).sum(axis=2)  # (B, C): n when outside the top
        feats += [v, v - best[:, :1], rank.astype(np.float32)]
    feats.append(np.log1p(item_popularity[safe]).astype(np.float32))
    lens = np.log1p(np.array([len(h) for h in histories], np.float32))
    feats.append(np.broadcast_to(lens[:, None], cands.shape))
    # how sure SASRec is (its log-probability of the item) and how much the shopper's latest
    # items lead anywhere by transitions
    seq = comps[COMPONENTS.index("sasrec")]
    feats.append(np.take_along_axis(seq, safe, axis=1) - row_logsumexp(seq))
    trans = comps[COMPONENTS.index("transitions")]
    mass = np.where(np.isfinite(trans), trans, 0.0).sum(axis=1, keepdims=True)
    feats.append(np.broadcast_to(mass, cands.shape))
    x = np.stack(feats, axis=2).astype(np.float32)  # (B, C, F)
    x[~np.isfinite(x)] = 0.0
    if context is not None:
        x = np.concatenate([x, pair_features(cands, histories, context)], axis=2)
    return cands, x


FEATURES = [f"{c}_{k}" for c in COMPONENTS for k in ("score", "gap", "rank")] + [
    "popularity_log",
    "history_log",
    "sasrec_logp",
    "transitions_mass",
]


def feature_names(width: int) -> list[str]:
    """The names of the first `width` features (FEATURES, then PAIR_FEATURES)."""
    return (FEATURES + PAIR_FEATURES)[:width]


class Stacker:
    """A LightGBM lambdarank model over candidate features: one query per shopper."""

    def __init__(self, config: BlendConfig | None = None):
        self.config = config or BlendConfig()
        self.booster: lgb.Booster | None = None
        self.metrics: dict[str, float] = {}

    def fit(
        self,
        cands: np.ndarray,
        feats: np.ndarray,
        targets: np.ndarray,
        names: list[str] | None = None,
    ) -> Stacker:
        """Learn to put each shopper's target first among their candidates. Shoppers whose
        target is not in the pool teach nothing and are left out; a stable hash holds a
        stop_share of the rest out for early stopping (their Recall@10 / NDCG@10 is reported).
        names: the features' (default: the first F of FEATURES + PAIR_FEATURES)."""
        c = self.config
        labels = (cands == np.asarray(targets)[:, None]).astype(np.float32)  # (B, C)
        keep = labels.sum(axis=1) > 0
        self.metrics = {"shoppers": float(len(cands)), "target_in_pool": float(keep.mean())}
        rows = np.flatnonzero(keep)
        stop = np.array([stable_share(str(r), "stop") < c.stop_share for r in rows], dtype=bool)
        if stop.all() or not stop.any():
            stop = np.arange(len(rows)) % 5 == 0
        names = names or feature_names(feats.shape[2])
        sets = [
            self._dataset(cands[rows[m]], feats[rows[m]], labels[rows[m]], names)
            for m in (~stop, stop)
        ]
        params = {
            "objective": c.objective,
            "metric": "ndcg",
            "eval_at": [10],
            "num_leaves": c.leaves,
            "learning_rate": c.learning_rate,
            "min_data_in_leaf": c.min_leaf,
            "lambda_l2": c.l2,
            "num_threads": c.threads,
            "seed": c.seed,
            "verbose": -1,
        }
        self.booster = lgb.train(
            params,
            sets[0],
            num_boost_round=c.trees,
            valid_sets=[sets[1]],
            callbacks=[lgb.early_stopping(c.stop_rounds, verbose=False)],
        )
        self.metrics["trees"] = float(self.booster.best_iteration or c.trees)
        held = rows[stop]
        top = top_rows(self.scores(cands[held], feats[held], int(cands.max()) + 1), 10)
        truth = np.asarray(targets)[held].tolist()
        self.metrics["stop_shoppers"] = float(len(held))
        self.metrics["stop_recall@10"] = recall_at_k(top, truth)
        self.metrics["stop_ndcg@10"] = ndcg_at_k(top, truth)
        if c.refit_trees > 0:
            every = self._dataset(cands[rows], feats[rows], labels[rows], names)
            rounds = max(1, round(self.metrics["trees"] * c.refit_trees))
            self.booster = lgb.train(params, every, num_boost_round=rounds)
        return self

    @staticmethod
    def _dataset(
        cands: np.ndarray, feats: np.ndarray, labels: np.ndarray, names: list[str]
    ) -> lgb.Dataset:
        ok = cands >= 0
        return lgb.Dataset(feats[ok], label=labels[ok], group=ok.sum(axis=1), feature_name=names)

    def scores(self, cands: np.ndarray, feats: np.ndarray, n_items: int) -> np.ndarray:
        """Stacked scores of the candidates, -inf for every other item. -> (B, n_items)."""
        if self.booster is None:
            raise RuntimeError("stacker is not fitted")
        out = np.full((len(cands), n_items), -np.inf, dtype=np.float32)
        ok = cands >= 0
        if ok.any():
            pred = self.booster.predict(
                feats[ok][:, : self.booster.num_feature()],  # a stacker saved with fewer
                num_iteration=self.booster.best_iteration or None,
                num_threads=self.config.threads,
            )
            rows = np.nonzero(ok)[0]
            out[rows, cands[ok]] = np.asarray(pred, dtype=np.float32)
        return out

    def save(self, directory: str | Path) -> None:
        """Write the trees (LightGBM text) and config + metrics (JSON) into directory."""
        if self.booster is None:
            raise RuntimeError("stacker is not fitted")
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(d / "stacker.txt"))
        meta = {"config": asdict(self.config), "metrics": self.metrics}
        (d / "stacker.json").write_text(json.dumps(meta, indent=2))

    @classmethod
    def load(cls, directory: str | Path) -> Stacker:
        """Read a stacker written by save()."""
        d = Path(directory)
        if not (d / "stacker.txt").is_file():
            raise FileNotFoundError(f"no stacker in {d}")
        meta = json.loads((d / "stacker.json").read_text())
        st = cls(BlendConfig(**meta["config"]))
        st.metrics = meta.get("metrics", {})
        st.booster = lgb.Booster(model_file=str(d / "stacker.txt"))
        return st


def top_rows(scores: np.ndarray, k: int) -> list[list[int]]:
    """The k best item rows of each score row, -inf never. (B, n_items) -> B lists."""
    ids, _ = rank_scores(scores, k)
    return [[int(i) for i in row if i >= 0] for row in ids]
