"""The learned blend: ALS, transitions and the sequence model each score items; a LightGBM
ranker, trained on held-out next items of validation users, orders their pooled top items.

    rows, targets = validation_split(user_ids, histories, BlendConfig())   # stable hash
    comps = component_scores(mf_scores, transitions, tconfig, seq, histories)
    cands, feats = candidate_features(comps, excluded, popularity, histories, n=50)
    stacker = Stacker(BlendConfig()).fit(cands, feats, targets)
    scores = stacker.scores(cands, feats, n_items)        # (B, n_items), -inf off the pool

Features of a (shopper, item) pair: for each component its raw score, the gap to the
shopper's best score of that component and the item's rank there (capped), plus the item's
popularity, the history's length, SASRec's log-probability of the item and the transitions'
total mass. Nothing here is hand-weighted.
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
from scipy.special import logsumexp

from recsys.coldstart import popularity
from recsys.metrics import ndcg_at_k, recall_at_k, topk_rows
from recsys.mf import MatrixFactorization, MFConfig, rank_scores
from recsys.sasrec import SASRec, SASRecConfig, warm_start
from recsys.transitions import TransitionConfig, fit_transitions, transition_scores

COMPONENTS = ("als", "transitions", "sasrec")


@dataclass
class BlendConfig:
    """Which shoppers train the stacker, how many items each component proposes, tree sizes."""

    candidates: int = 50  # top items each component puts into the pool
    valid_share: float = 0.1  # shoppers (by a stable hash of their id) held out for the blend
    max_valid_users: int = 10_000
    # fewer: no SASRec, no learned blend (MF + transitions by the fixed rule); the demo store
    # (500 shoppers) has 27, from which the stacker grew 2 trees
    min_valid_users: int = 50
    trees: int = 300
    leaves: int = 15
    learning_rate: float = 0.05
    threads: int = 2
    seed: int = 0

    def __post_init__(self) -> None:
        if self.candidates < 1 or self.trees < 1 or self.leaves < 2:
            raise ValueError("candidates and trees must be >= 1, leaves >= 2")
        if not 0 < self.valid_share < 1:
            raise ValueError("valid_share must be in (0, 1)")
        if self.max_valid_users < 1 or self.min_valid_users < 1 or self.threads < 1:
            raise ValueError("max_valid_users, min_valid_users and threads must be >= 1")
        if self.learning_rate <= 0:
            raise ValueError("learning_rate must be > 0")


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
) -> tuple[np.ndarray, np.ndarray]:
    """The pooled top-n items of each component, never an excluded one (only allowed ones when
    given), and their features. -> (B, C) item rows (-1: empty slot), (B, C, F) float32."""
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
    pool = np.sort(np.concatenate(tops, axis=1), axis=1)  # (B, C)
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
    feats.append(np.take_along_axis(seq, safe, axis=1) - logsumexp(seq, axis=1, keepdims=True))
    trans = comps[COMPONENTS.index("transitions")]
    mass = np.where(np.isfinite(trans), trans, 0.0).sum(axis=1, keepdims=True)
    feats.append(np.broadcast_to(mass, cands.shape))
    x = np.stack(feats, axis=2).astype(np.float32)  # (B, C, F)
    x[~np.isfinite(x)] = 0.0
    return cands, x


FEATURES = [f"{c}_{k}" for c in COMPONENTS for k in ("score", "gap", "rank")] + [
    "popularity_log",
    "history_log",
    "sasrec_logp",
    "transitions_mass",
]


class Stacker:
    """A LightGBM lambdarank model over candidate features: one query per shopper."""

    def __init__(self, config: BlendConfig | None = None):
        self.config = config or BlendConfig()
        self.booster: lgb.Booster | None = None
        self.metrics: dict[str, float] = {}

    def fit(self, cands: np.ndarray, feats: np.ndarray, targets: np.ndarray) -> Stacker:
        """Learn to put each shopper's target first among their candidates. Shoppers whose
        target is not in the pool teach nothing and are left out; a stable hash holds a fifth
        of the rest out for early stopping."""
        c = self.config
        labels = (cands == np.asarray(targets)[:, None]).astype(np.float32)  # (B, C)
        keep = labels.sum(axis=1) > 0
        self.metrics = {"shoppers": float(len(cands)), "target_in_pool": float(keep.mean())}
        rows = np.flatnonzero(keep)
        stop = np.array([stable_share(str(r), "stop") < 0.2 for r in rows], dtype=bool)
        if stop.all() or not stop.any():
            stop = np.arange(len(rows)) % 5 == 0
        sets = [
            self._dataset(cands[rows[m]], feats[rows[m]], labels[rows[m]]) for m in (~stop, stop)
        ]
        params = {
            "objective": "lambdarank",
            "metric": "ndcg",
            "eval_at": [10],
            "num_leaves": c.leaves,
            "learning_rate": c.learning_rate,
            "min_data_in_leaf": 20,
            "num_threads": c.threads,
            "seed": c.seed,
            "verbose": -1,
        }
        self.booster = lgb.train(
            params,
            sets[0],
            num_boost_round=c.trees,
            valid_sets=[sets[1]],
            callbacks=[lgb.early_stopping(30, verbose=False)],
        )
        self.metrics["trees"] = float(self.booster.best_iteration or c.trees)
        self.metrics["stop_ndcg@10"] = float(self.booster.best_score["valid_0"]["ndcg@10"])
        return self

    @staticmethod
    def _dataset(cands: np.ndarray, feats: np.ndarray, labels: np.ndarray) -> lgb.Dataset:
        ok = cands >= 0
        return lgb.Dataset(feats[ok], label=labels[ok], group=ok.sum(axis=1), feature_name=FEATURES)

    def scores(self, cands: np.ndarray, feats: np.ndarray, n_items: int) -> np.ndarray:
        """Stacked scores of the candidates, -inf for every other item. -> (B, n_items)."""
        if self.booster is None:
            raise RuntimeError("stacker is not fitted")
        out = np.full((len(cands), n_items), -np.inf, dtype=np.float32)
        ok = cands >= 0
        if ok.any():
            pred = self.booster.predict(
                feats[ok],
                num_iteration=self.booster.best_iteration,
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


def learned_blend(
    user_items: sp.csr_matrix,
    histories: Sequence[Sequence[int]],
    user_ids: Sequence[str],
    configs: tuple[MFConfig, TransitionConfig, SASRecConfig, BlendConfig],
    show_progress: bool = False,
) -> tuple[SASRec, Stacker, dict[str, dict[str, float]]] | None:
    """Train the sequence model and the stacker without the validation shoppers' last items.

    ALS and transitions are fitted again on that view (the caller's final ones have seen the
    held-out items), the sequence model early-stops on the held-out items, and the stacker
    learns from the three components' scores of them. Returns (sequence model, stacker,
    Recall@10 / NDCG@10 of each component and the blend on the validation shoppers), or None
    when there are too few validation shoppers.
    """
    mf_cfg, t_cfg, seq_cfg, cfg = configs
    rows, targets = validation_split(user_ids, histories, cfg)
    if len(rows) < cfg.min_valid_users:
        return None
    hist = [list(h) for h in histories]
    for r in rows:
        hist[r] = hist[r][:-1]
    view = sp.csr_matrix(user_items, dtype=np.float32, copy=True)
    view[rows, targets] = 0.0  # the target is the history's only occurrence of that item
    view.eliminate_zeros()
    mf = MatrixFactorization(mf_cfg).fit(view, show_progress=show_progress)
    trans = fit_transitions(hist, view.shape[1], t_cfg)
    init = None
    if seq_cfg.warm_start_std and mf.item_factors is not None:
        init = warm_start(mf.item_factors, seq_cfg.dim, seq_cfg.warm_start_std)
    valid = ([hist[r] for r in rows], targets.tolist())
    seq = SASRec(seq_cfg).fit(hist, view.shape[1], valid, show_progress, init)
    pop = popularity(view)
    pools = []
    per_comp: dict[str, list[list[int]]] = {c: [] for c in COMPONENTS}
    for s in range(0, len(rows), 1024):
        part = rows[s : s + 1024]
        vh = [hist[r] for r in part]
        comps = component_scores(mf.score(part), trans, t_cfg, seq, vh)
        for c in COMPONENTS:
            comps[c][[r for r, h in enumerate(vh) for _ in h], [i for h in vh for i in h]] = -np.inf
            per_comp[c] += top_rows(comps[c], 10)
        pools.append(candidate_features(comps, vh, pop, vh, cfg.candidates))
    cands = np.concatenate([p[0] for p in pools])
    feats = np.concatenate([p[1] for p in pools])
    stacker = Stacker(cfg).fit(cands, feats, targets)
    per_comp["blend"] = top_rows(stacker.scores(cands, feats, view.shape[1]), 10)
    truth = targets.tolist()
    metrics = {
        name: {"recall@10": recall_at_k(r, truth), "ndcg@10": ndcg_at_k(r, truth)}
        for name, r in per_comp.items()
    }
    metrics["validation"] = {"shoppers": float(len(rows)), **stacker.metrics}
    return seq, stacker, metrics
