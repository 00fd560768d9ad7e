"""The store's recommender: implicit MF, next-item transitions and a sequence Transformer
(SASRec) blended by a learned ranker, plus cold start."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from tqdm import tqdm

from recsys.blend import Stacker, candidate_features, component_scores, rule_scores
from recsys.coldstart import category_mask, content_neighbours, popularity
from recsys.fitting import fit_components
from recsys.ids import IdIndex
from recsys.interactions import binarize, from_sequences
from recsys.mf import MatrixFactorization, rank_scores
from recsys.pairs import PairContext
from recsys.rec_config import Recommendation, RecommenderConfig
from recsys.sasrec import SASRec
from recsys.titles import ItemText
from recsys.transitions import transition_scores
from retrieval.runner import Runner

FORMAT_VERSION = 1
__all__ = ["Recommendation", "Recommender", "RecommenderConfig"]


class Recommender:
    """fit on a user x item matrix and per-user item sequences; recommend, similar items, save."""

    def __init__(self, config: RecommenderConfig | None = None):
        self.config = config or RecommenderConfig()
        self.mf = MatrixFactorization(self.config.mf)
        self.users = IdIndex([])
        self.items = IdIndex([])
        self.user_items = sp.csr_matrix((0, 0), dtype=np.float32)
        self.exclude = sp.csr_matrix((0, 0), dtype=np.float32)
        self.histories: list[list[int]] = []
        self.transitions = sp.csr_matrix((0, 0), dtype=np.float32)
        self.popularity = np.zeros(0, np.float32)
        self.categories = np.zeros(0, dtype=object)
        self.item_embeddings: np.ndarray | None = None
        self.seq: SASRec | None = None
        self.stacker: Stacker | None = None
        self.fit_metrics: dict[str, dict[str, float]] = {}  # the learned blend's validation
        self.devices: dict[str, str] = {}  # what each component trained on (cpu | cuda)
        self._pairs: PairContext | None = None  # pair features' lookups (_pair_context)
        self.titles: list[str] = []  # by item row ("" unknown); the stacker's title features
        self.text: ItemText | None = None  # their vectors (None: no titles)

    # -- training -------------------------------------------------------------------------
    def fit(
        self,
        user_items: sp.csr_matrix,
        users: IdIndex,
        items: IdIndex,
        histories: Sequence[Sequence[int]],
        exclude: sp.csr_matrix | None = None,
        categories: Sequence[str] | None = None,
        show_progress: bool = False,
        runner: Runner | None = None,
        parts: int = 1,
        titles: Sequence[str] | None = None,
    ) -> Recommender:
        """Fit MF on user_items and transitions on histories (item rows, oldest first).

        exclude marks what recommend() never returns to a user (default: everything they
        interacted with); categories gives each item's category path for filtering. runner
        runs the independent steps (default: here; `recsys/fitting.py`), transitions counted
        in `parts` partitions of the shoppers. titles: one per item, for the stacker's
        title features.
        """
        if user_items.shape != (len(users), len(items)) or len(histories) != len(users):
            raise ValueError("user_items, users, items and histories disagree in shape")
        self.users, self.items = users, items
        self.user_items = sp.csr_matrix(user_items, dtype=np.float32)
        self.exclude = binarize(self.user_items if exclude is None else sp.csr_matrix(exclude))
        self.histories = [list(map(int, h)) for h in histories]
        self._set_titles(titles or [])
        c = self.config
        data = (self.user_items, self.histories, self.users.to_list())
        configs = (c.mf, c.transitions, c.sequence, c.stack)
        fitted = fit_components(
            *data, configs, c.learned, runner, parts, show_progress, text=self.text
        )
        self.mf, self.transitions, self.devices = fitted.mf, fitted.transitions, fitted.devices
        self.seq, self.stacker, self.fit_metrics = fitted.seq, fitted.stacker, fitted.fit_metrics
        self.popularity = popularity(self.user_items)
        cats = [""] * len(items) if categories is None else [str(c) for c in categories]
        if len(cats) != len(items):
            raise ValueError("categories must give one entry per item")
        self.categories = np.array(cats, dtype=object)
        self._pairs = None
        return self

    def _set_titles(self, titles: Sequence[str]) -> None:
        """One title per item row (shorter lists padded with ""); vectors when any is given."""
        if titles and len(titles) > len(self.items):
            raise ValueError("more titles than items")
        self.titles = [str(t) for t in titles] + [""] * (len(self.items) - len(titles))
        self.text = ItemText.build(self.titles) if any(self.titles) else None

    @classmethod
    def fit_sequences(
        cls,
        sequences: Mapping[str, Sequence[str]],
        item_ids: Sequence[str],
        config: RecommenderConfig | None = None,
        show_progress: bool = False,
        runner: Runner | None = None,
        parts: int = 1,
        titles: Mapping[str, str] | None = None,
    ) -> Recommender:
        """Fit on purchase sequences {user: [item, ...] oldest first} over a catalog of item ids
        (the steps on runner, as fit runs them); titles: {item id: title}."""
        rec = cls(config)
        items = IdIndex(item_ids)
        unknown = {i for seq in sequences.values() for i in seq if i not in items}
        if unknown:
            items = IdIndex(list(items.ids) + sorted(unknown))
        users = IdIndex(sequences.keys())
        hist = [items.lookup(seq).tolist() for seq in sequences.values()]
        m = from_sequences(hist, len(items), rec.config.interactions)
        names = [titles.get(str(i), "") for i in items.ids] if titles else None
        kw: dict[str, Any] = {
            "show_progress": show_progress,
            "runner": runner,
            "parts": parts,
            "titles": names,
        }
        return rec.fit(m, users, items, hist, **kw)

    def update_users(
        self,
        fresh: Mapping[str, Sequence[tuple[str, float]]],
        bought: Mapping[str, Sequence[str]] | None = None,
    ) -> int:
        """Add new interactions without retraining: {user: [(item, weight), ...] oldest first}.

        Each user's row gains the weights, their history the items, their excluded set what
        they bought, and their factors are solved again (ALS fold-in; the item factors,
        transitions and popularity stay as trained). New users are appended; items the model
        does not know are skipped (a full retrain adds them). Returns the users updated.
        """
        bought = bought or {}
        new_users = [u for u in fresh if u not in self.users]
        if new_users:
            self.users = IdIndex([*self.users.ids, *new_users])
            n, f = len(self.users), self.mf.user_factors
            pad = (n - self.user_items.shape[0], len(self.items))
            self.user_items = sp.vstack([self.user_items, sp.csr_matrix(pad, dtype=np.float32)])
            self.exclude = sp.vstack([self.exclude, sp.csr_matrix(pad, dtype=np.float32)])
            self.user_items, self.exclude = self.user_items.tocsr(), self.exclude.tocsr()
            self.histories += [[] for _ in new_users]
            if f is not None:
                self.mf.user_factors = np.vstack([f, np.zeros((pad[0], f.shape[1]), f.dtype)])
        rows, cols, vals, ex_rows, ex_cols = [], [], [], [], []
        for user, pairs in fresh.items():
            row = self.users.get(user)
            items = self.items.lookup([i for i, _ in pairs])
            for col, (_, w) in zip(items, pairs, strict=True):
                if col >= 0:
                    rows.append(row)
                    cols.append(col)
                    vals.append(w)
                    self.histories[row].append(int(col))
            for col in self.items.lookup(bought.get(user, ())):
                if col >= 0:
                    ex_rows.append(row)
                    ex_cols.append(col)
        shape = self.user_items.shape
        self.user_items = (
            self.user_items + sp.csr_matrix((vals, (rows, cols)), shape=shape, dtype=np.float32)
        ).tocsr()
        marks = sp.csr_matrix((np.ones(len(ex_rows)), (ex_rows, ex_cols)), shape=shape)
        self.exclude = binarize(self.exclude + marks)
        self._pairs = None  # histories changed: recent popularity again
        touched = sorted(set(rows))
        if self.mf.user_factors is not None:
            for row in touched:
                r = self.user_items[row]
                x = self.mf.fold_in(r.indices, r.data)
                if x is not None:
                    self.mf.user_factors[row] = x
        return len(touched)

    # -- scoring --------------------------------------------------------------------------
    def blended_scores(
        self, user_rows: np.ndarray, histories: Sequence[Sequence[int]], k: int = 10
    ) -> np.ndarray:
        """Final scores of known users, their excluded items -inf (with the learned blend only
        the pooled candidates, at least k, are finite). (B, n_items)."""
        mf = self.mf.score(user_rows) if len(user_rows) else np.zeros((0, len(self.items)))
        excluded = [self.exclude[r].indices.tolist() for r in user_rows]
        return self._scores(mf, histories, excluded, k)

    def _scores(
        self,
        mf: np.ndarray | None,
        histories: Sequence[Sequence[int]],
        excluded: Sequence[Sequence[int]],
        k: int,
        allowed: np.ndarray | None = None,
    ) -> np.ndarray:
        """The learned blend over the components' pooled top items, else the fixed rule."""
        if self.stacker is None:
            out = self._combine(mf, histories)
            for r, ex in enumerate(excluded):
                out[r, list(ex)] = -np.inf
            return out
        comps = component_scores(mf, self.transitions, self.config.transitions, self.seq, histories)
        n = max(self.config.stack.candidates, k)
        ctx = self._pair_context() if self.config.stack.pairs else None
        cands, feats = candidate_features(
            comps, excluded, self.popularity, histories, n, allowed, ctx
        )
        return self.stacker.scores(cands, feats, len(self.items))

    def _pair_context(self) -> PairContext:
        """The pair features' lookups, built once per fitted (or loaded, or updated) model."""
        if self._pairs is None:
            f = self.mf.item_factors
            self._pairs = PairContext.build(
                f, self.transitions, self.histories, self.popularity, self.seq, text=self.text
            )
        return self._pairs

    def _combine(self, mf: np.ndarray | None, histories: Sequence[Sequence[int]]) -> np.ndarray:
        tr = transition_scores(self.transitions, histories, self.config.transitions)
        return rule_scores(mf, tr, self.popularity, self.config.blend)

    def recommend_rows(
        self, user_rows: np.ndarray, k: int = 10, show_progress: bool = False
    ) -> np.ndarray:
        """Top-k item rows for many known users, their excluded items filtered. (B,) -> (B, k)."""
        out = np.full((len(user_rows), k), -1, dtype=np.int64)
        bs = self.config.batch_size
        for s in tqdm(range(0, len(user_rows), bs), desc="recommend", disable=not show_progress):
            rows = np.asarray(user_rows[s : s + bs])
            scores = self.blended_scores(rows, [self.histories[r] for r in rows], k)
            ids, _ = rank_scores(scores, k)
            out[s : s + len(rows), : ids.shape[1]] = ids
        return out

    def recommend(
        self,
        user_id: str | None,
        k: int = 10,
        category: str | None = None,
        recent_items: Sequence[str] = (),
        exclude_items: Sequence[str] = (),
        fresh: Mapping[str, float] | None = None,
    ) -> list[Recommendation]:
        """Top-k for one user; unknown users fall back to their session items, then popularity.

        fresh: interaction weights of events newer than the model, by item id. They are added to
        the user's row and the user's factors are solved again from it (MF fold-in: what a full
        retrain would give this user with the items' factors fixed), so new feedback moves the
        recommendations at once; an unknown user with fresh events gets personal factors too.
        """
        if k < 1:
            raise ValueError("k must be >= 1")
        row = self.users.get(user_id) if user_id is not None else -1
        recent = [i for i in self.items.lookup(recent_items) if i >= 0]
        candidates = self._candidates(category)
        factors = self._fold_in(row, fresh or {})
        if row < 0 and not recent and factors is None:
            return self.popular(k, category, exclude_items)
        history = self.histories[row] + recent if row >= 0 else recent
        if factors is not None:
            mf: np.ndarray | None = self.mf.score_vector(factors)
        else:
            mf = self.mf.score(np.array([row])) if row >= 0 else None
        excluded = list(self.exclude[row].indices) if row >= 0 else []
        excluded += recent + [i for i in self.items.lookup(exclude_items) if i >= 0]
        scores = self._scores(mf, [history], [excluded], k, candidates)
        ids, top = rank_scores(scores, k, candidates)
        source = "personal" if row >= 0 else "session"
        return [
            Recommendation(str(self.items.ids[i]), float(s), source)
            for i, s in zip(ids[0], top[0], strict=True)
            if i >= 0
        ]

    def _fold_in(self, row: int, fresh: Mapping[str, float]) -> np.ndarray | None:
        """The user's factors re-solved with fresh weights added (None: nothing fresh)."""
        rows = self.items.lookup(list(fresh))
        known = rows >= 0
        if not known.any():
            return None
        weights = np.zeros(len(self.items), np.float64)
        if row >= 0:
            r = self.user_items[row]
            weights[r.indices] = r.data
        np.add.at(weights, rows[known], np.array(list(fresh.values()), np.float64)[known])
        items = np.flatnonzero(weights)
        return self.mf.fold_in(items, weights[items])

    def popular(
        self, k: int = 10, category: str | None = None, exclude_items: Sequence[str] = ()
    ) -> list[Recommendation]:
        """The most popular items (optionally in a category), the cold-start answer."""
        scores = self.popularity[None, :].astype(np.float32).copy()
        scores[0, [i for i in self.items.lookup(exclude_items) if i >= 0]] = -np.inf
        ids, top = rank_scores(scores, k, self._candidates(category))
        return [
            Recommendation(str(self.items.ids[i]), float(s), "popular")
            for i, s in zip(ids[0], top[0], strict=True)
            if i >= 0
        ]

    def _candidates(self, category: str | None) -> np.ndarray | None:
        if not category:
            return None
        return np.flatnonzero(category_mask(self.categories, category))

    # -- item neighbours ------------------------------------------------------------------
    def set_item_embeddings(self, item_ids: Sequence[str], embeddings: np.ndarray) -> int:
        """Attach content embeddings (e.g. from retrieval) for cold items; returns rows matched."""
        emb = np.zeros((len(self.items), embeddings.shape[1]), dtype=np.float32)
        rows = self.items.lookup(item_ids)
        ok = rows >= 0
        emb[rows[ok]] = np.asarray(embeddings, dtype=np.float32)[ok]
        self.item_embeddings = emb
        return int(ok.sum())

    def similar_items(
        self, item_id: str, k: int = 10, embedding: np.ndarray | None = None
    ) -> list[Recommendation]:
        """Items bought by the same users (collaborative); cold or new items use content vectors.

        A new item outside the model needs its embedding (from the retrieval encoder).
        """
        row = self.items.get(item_id)
        if row >= 0 and self.popularity[row] > 0:
            ids, scores = self.mf.similar_items(row, k)
            source = "collaborative"
        else:
            if embedding is None and row >= 0 and self.item_embeddings is not None:
                embedding = self.item_embeddings[row]
            if embedding is None or self.item_embeddings is None or not np.any(embedding):
                raise KeyError(f"item {item_id!r} has no interactions and no content embedding")
            ids, scores = content_neighbours(
                self.item_embeddings, embedding, k, exclude=np.array([row]) if row >= 0 else None
            )
            source = "content"
        return [
            Recommendation(str(self.items.ids[i]), float(s), source)
            for i, s in zip(ids, scores, strict=True)
            if i >= 0 and np.isfinite(s)
        ]

    # -- persistence ----------------------------------------------------------------------
    def save(self, directory: str | Path) -> None:
        """Write the whole model into directory (created if needed)."""
        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        self.mf.save(d / "mf")
        sp.save_npz(d / "user_items.npz", self.user_items)
        sp.save_npz(d / "exclude.npz", self.exclude)
        sp.save_npz(d / "transitions.npz", self.transitions)
        lens = np.array([len(h) for h in self.histories], dtype=np.int64)
        flat = np.array([i for h in self.histories for i in h], dtype=np.int64)
        np.savez(d / "arrays.npz", hist_lens=lens, hist_flat=flat, popularity=self.popularity)
        if self.item_embeddings is not None:
            np.save(d / "item_embeddings.npy", self.item_embeddings)
        if self.seq is not None and self.stacker is not None:
            self.seq.save(d / "sasrec")
            self.stacker.save(d / "stacker")
        meta = {
            "format_version": FORMAT_VERSION,
            "config": asdict(self.config),
            "users": self.users.to_list(),
            "items": self.items.to_list(),
            "categories": [str(c) for c in self.categories],
            "fit_metrics": self.fit_metrics,
            "titles": self.titles,
        }
        (d / "recommender.json").write_text(json.dumps(meta))

    @classmethod
    def load(cls, directory: str | Path) -> Recommender:
        """Read a model written by save()."""
        d = Path(directory)
        if not (d / "recommender.json").is_file():
            raise FileNotFoundError(f"no recommender model in {d}")
        meta = json.loads((d / "recommender.json").read_text())
        rec = cls(RecommenderConfig.from_dict(meta["config"]))
        rec.mf = MatrixFactorization.load(d / "mf")
        rec.users, rec.items = IdIndex(meta["users"]), IdIndex(meta["items"])
        rec.categories = np.array(meta["categories"], dtype=object)
        rec.user_items = sp.load_npz(d / "user_items.npz").tocsr()
        rec.exclude = sp.load_npz(d / "exclude.npz").tocsr()
        rec.transitions = sp.load_npz(d / "transitions.npz").tocsr()
        with np.load(d / "arrays.npz") as z:
            rec.popularity = z["popularity"]
            bounds = np.cumsum(z["hist_lens"])[:-1]
            rec.histories = [a.tolist() for a in np.split(z["hist_flat"], bounds)]
            rec.histories = rec.histories[: len(z["hist_lens"])]
        if (d / "item_embeddings.npy").is_file():
            rec.item_embeddings = np.load(d / "item_embeddings.npy")
        if (d / "stacker").is_dir():
            rec.seq, rec.stacker = SASRec.load(d / "sasrec"), Stacker.load(d / "stacker")
        rec.fit_metrics = meta.get("fit_metrics", {})
        rec._set_titles(meta.get("titles", []))
        return rec
