"""Matrix factorisation in the style of `implicit`: ALS / BPR (implicit) and explicit-rating MF."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from recsys.metrics import topk_rows

MODELS = ("als", "bpr", "explicit")


@dataclass
class MFConfig:
    """Hyper-parameters of one factorisation model (defaults tuned on Games train sequences)."""

    model: str = "als"  # als | bpr (implicit feedback, `implicit`) | explicit (ratings, SGD)
    factors: int = 128
    regularization: float = 0.1
    alpha: float = 20.0  # ALS: confidence = 1 + alpha * weight
    iterations: int = 15
    learning_rate: float = 0.01  # bpr and explicit
    use_gpu: bool | None = None  # None: implicit's GPU backend when CUDA is available
    random_state: int = 0

    def __post_init__(self) -> None:
        if self.model not in MODELS:
            raise ValueError(f"unknown model {self.model!r}; valid: {', '.join(MODELS)}")
        if self.factors < 1 or self.iterations < 1:
            raise ValueError("factors and iterations must be >= 1")
        if self.regularization < 0 or self.alpha <= 0 or self.learning_rate <= 0:
            raise ValueError("regularization must be >= 0, alpha and learning_rate > 0")


def gpu_available() -> bool:
    """Whether implicit was built with CUDA and sees a GPU."""
    try:
        import implicit.gpu

        return bool(implicit.gpu.HAS_CUDA)
    except Exception:  # pragma: no cover - broken CUDA install
        return False


class MatrixFactorization:
    """fit / recommend / similar_items / explain / save / load over dense user and item factors."""

    def __init__(self, config: MFConfig | None = None):
        self.config = config or MFConfig()
        self.user_factors: np.ndarray | None = None  # (n_users, f)
        self.item_factors: np.ndarray | None = None  # (n_items, f)
        self.training_rmse: float | None = None
        self._als: Any = None  # a CPU implicit ALS model (implicit is untyped), for explain()
        self.device = "cpu"  # what the last fit ran on: cuda with implicit's GPU backend

    # -- training -------------------------------------------------------------------------
    def fit(self, user_items: sp.csr_matrix, show_progress: bool = False) -> MatrixFactorization:
        """Fit on a users x items matrix (confidences for als/bpr, ratings for explicit)."""
        user_items = sp.csr_matrix(user_items, dtype=np.float32)
        if user_items.nnz == 0:
            raise ValueError("cannot fit on an empty interaction matrix")
        c = self.config
        if c.model == "explicit":
            self._fit_explicit(user_items.tocoo(), show_progress)
            return self
        use_gpu = gpu_available() if c.use_gpu is None else c.use_gpu
        import implicit.als
        import implicit.bpr  # noqa: F401 - load every BLAS library before limiting threads
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1, "blas"):  # implicit's own threads; nested BLAS threads thrash
            model = self._make_implicit(use_gpu)
            model.fit(user_items, show_progress=show_progress)
        if use_gpu:
            model = model.to_cpu()
        self.device = "cuda" if use_gpu else "cpu"
        self.user_factors = np.asarray(model.user_factors, dtype=np.float32)
        self.item_factors = np.asarray(model.item_factors, dtype=np.float32)
        self._als = model if c.model == "als" else None
        return self

    def _make_implicit(self, use_gpu: bool):
        c = self.config
        if c.model == "als":
            from implicit.als import AlternatingLeastSquares

            return AlternatingLeastSquares(
                factors=c.factors,
                regularization=c.regularization,
                alpha=c.alpha,
                iterations=c.iterations,
                use_gpu=use_gpu,
                random_state=c.random_state,
            )
        from implicit.bpr import BayesianPersonalizedRanking

        return BayesianPersonalizedRanking(
            factors=c.factors,
            learning_rate=c.learning_rate,
            regularization=c.regularization,
            iterations=c.iterations,
            use_gpu=use_gpu,
            random_state=c.random_state,
        )

    def _fit_explicit(self, r: sp.coo_matrix, show_progress: bool) -> None:
        """Biased MF on observed ratings: squared error + L2, minibatch gradient descent."""
        from tqdm import tqdm

        c = self.config
        rng = np.random.default_rng(c.random_state)
        n_u, n_i = r.shape
        p = rng.normal(0, 0.1, (n_u, c.factors)).astype(np.float32)
        q = rng.normal(0, 0.1, (n_i, c.factors)).astype(np.float32)
        bu, bi = np.zeros(n_u, np.float32), np.zeros(n_i, np.float32)
        mu = float(r.data.mean())
        rows, cols, vals = r.row, r.col, r.data.astype(np.float32)
        batch = 256
        lr, reg = c.learning_rate, c.regularization
        for _ in tqdm(range(c.iterations), desc="explicit MF", disable=not show_progress):
            order = rng.permutation(len(vals))
            for s in range(0, len(order), batch):
                b = order[s : s + batch]
                u, i = rows[b], cols[b]
                err = vals[b] - (mu + bu[u] + bi[i] + np.sum(p[u] * q[i], axis=1))  # (B,)
                # Average the gradients of a user's (item's) ratings within the batch, so a
                # heavy user does not take one giant summed step.
                wu = (1.0 / np.bincount(u, minlength=n_u)[u])[:, None].astype(np.float32)
                wi = (1.0 / np.bincount(i, minlength=n_i)[i])[:, None].astype(np.float32)
                gp = (err[:, None] * q[i] - reg * p[u]) * wu
                gq = (err[:, None] * p[u] - reg * q[i]) * wi
                np.add.at(bu, u, lr * (err - reg * bu[u]) * wu[:, 0])
                np.add.at(bi, i, lr * (err - reg * bi[i]) * wi[:, 0])
                np.add.at(p, u, lr * gp)
                np.add.at(q, i, lr * gq)
        pred = mu + bu[rows] + bi[cols] + np.sum(p[rows] * q[cols], axis=1)
        self.training_rmse = float(np.sqrt(np.mean((vals - pred) ** 2)))
        # Fold biases into the factors so a dot product gives the full prediction.
        ones_u, ones_i = np.ones((n_u, 1), np.float32), np.ones((n_i, 1), np.float32)
        self.user_factors = np.hstack([p, bu[:, None], ones_u])
        self.item_factors = np.hstack([q, ones_i, (bi + mu)[:, None]])

    # -- inference ------------------------------------------------------------------------
    def _check(self) -> tuple[np.ndarray, np.ndarray]:
        if self.user_factors is None or self.item_factors is None:
            raise RuntimeError("model is not fitted")
        return self.user_factors, self.item_factors

    def score(self, userids: np.ndarray) -> np.ndarray:
        """Predicted scores of every item for users. (B,) -> (B, n_items)."""
        uf, itf = self._check()
        return uf[np.asarray(userids)] @ itf.T

    def score_vector(self, factors: np.ndarray) -> np.ndarray:
        """Scores of every item for one user factor vector (e.g. from fold_in). (1, n_items)."""
        _, itf = self._check()
        return (np.asarray(factors) @ itf.T)[None, :]

    def fold_in(self, item_rows: np.ndarray, weights: np.ndarray) -> np.ndarray | None:
        """A user's factor vector from their weighted items alone, without retraining.

        ALS: the exact least-squares step implicit runs for a user (its `recalculate_user`),
        with confidence 1 + alpha * weight on the user's items and 0 preference elsewhere:
        x = (Y'Y + Y_u'(C_u - I)Y_u + reg I)^-1 Y_u'C_u 1. Other models: None (no closed form).
        """
        _, itf = self._check()
        if self.config.model != "als" or not len(item_rows):
            return None
        y = itf.astype(np.float64)
        yu = y[np.asarray(item_rows)]
        conf = self.config.alpha * np.asarray(weights, dtype=np.float64)
        a = y.T @ y + (yu.T * conf) @ yu + self.config.regularization * np.eye(y.shape[1])
        b = yu.T @ (1.0 + conf)
        return np.linalg.solve(a, b).astype(np.float32)

    def recommend(
        self,
        userid: int | np.ndarray,
        user_items: sp.csr_matrix | None = None,
        N: int = 10,
        filter_already_liked_items: bool = True,
        items: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """Top-N (ids, scores) for one user (1-D) or many (2-D), like implicit's recommend.

        user_items holds one row per requested user (the items to filter); items restricts
        the candidates (e.g. one category).
        """
        single = np.isscalar(userid)
        uids = np.atleast_1d(np.asarray(userid))
        scores = self.score(uids)
        if filter_already_liked_items:
            if user_items is None or user_items.shape[0] != len(uids):
                raise ValueError("user_items must contain 1 row for every user in userid")
            scores[user_items.nonzero()] = -np.inf
        ids, top = rank_scores(scores, N, items)
        return (ids[0], top[0]) if single else (ids, top)

    def similar_items(self, itemid: int, N: int = 10) -> tuple[np.ndarray, np.ndarray]:
        """N items with the most similar factors (cosine), the item itself excluded."""
        _, itf = self._check()
        norms = np.linalg.norm(itf, axis=1) + 1e-9
        sims = (itf @ itf[itemid]) / (norms * norms[itemid])
        sims[itemid] = -np.inf
        ids, scores = rank_scores(sims[None, :], N)
        return ids[0], scores[0]

    def explain(
        self, userid: int, user_items: sp.csr_matrix, itemid: int, N: int = 10
    ) -> tuple[float, list[tuple[int, float]]]:
        """(score, [(liked item, contribution)]) for one user's row of user_items.

        ALS uses implicit's exact decomposition of the score; the other models report each
        liked item's factor similarity to the target, weighted by the user's confidence.
        """
        uf, itf = self._check()
        row = sp.csr_matrix(user_items)
        if self.config.model == "als":
            als = self._als_model()
            total, contrib, _ = als.explain(0, row, itemid, N=N)  # row is the user's only row
            return float(total), [(int(i), float(s)) for i, s in contrib]
        liked, conf = row.indices, row.data
        norms = np.linalg.norm(itf, axis=1) + 1e-9
        sims = (itf[liked] @ itf[itemid]) / (norms[liked] * norms[itemid]) * conf
        order = np.argsort(-sims)[:N]
        return float(uf[userid] @ itf[itemid]), [(int(liked[o]), float(sims[o])) for o in order]

    def _als_model(self):
        if self._als is None:
            from implicit.cpu.als import AlternatingLeastSquares
            from threadpoolctl import threadpool_limits

            c = self.config
            with threadpool_limits(1, "blas"):  # as in fit(): implicit warns about BLAS threads
                self._als = AlternatingLeastSquares(
                    factors=c.factors, regularization=c.regularization, alpha=c.alpha
                )
            self._als.user_factors, self._als.item_factors = self._check()
        return self._als

    # -- persistence ----------------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        """Write factors (npz) and config (JSON) into directory."""
        uf, itf = self._check()
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        np.savez(d / "factors.npz", user_factors=uf, item_factors=itf)
        meta = {"config": asdict(self.config), "training_rmse": self.training_rmse}
        (d / "mf.json").write_text(json.dumps(meta, indent=2))

    @classmethod
    def load(cls, directory: str | Path) -> MatrixFactorization:
        """Read a model written by save()."""
        d = Path(directory)
        if not (d / "factors.npz").is_file():
            raise FileNotFoundError(f"no factorisation model in {d}")
        meta = json.loads((d / "mf.json").read_text())
        model = cls(MFConfig(**meta["config"]))
        model.training_rmse = meta.get("training_rmse")
        with np.load(d / "factors.npz") as z:
            model.user_factors, model.item_factors = z["user_factors"], z["item_factors"]
        return model


def rank_scores(
    scores: np.ndarray, n: int, items: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Top-n item ids and scores per row, optionally among candidate items only; -inf never
    returned. (B, n_items) -> (B, <=n), (B, <=n); short rows are padded with -1 / -inf."""
    if items is not None:
        items = np.asarray(items, dtype=np.int64)
        sub = scores[:, items]
    else:
        sub = scores
    if sub.shape[1] == 0 or n < 1:
        return np.zeros((len(scores), 0), np.int64), np.zeros((len(scores), 0), np.float32)
    top = topk_rows(sub, n)
    top_scores = np.take_along_axis(sub, top, axis=1)
    ids = items[top] if items is not None else top
    ids = np.where(np.isfinite(top_scores), ids, -1)
    return ids, top_scores
