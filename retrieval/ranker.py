"""The learned reranker: LightGBM lambdarank over a query's first-stage candidates.

    ranker = fit_ranker(training_set, RankerConfig())            # from judgments or clicks
    hits = search_reranked(engine, ranker, "cordless drill", k=10)
    save_ranker(data_dir / "ranker", ranker); load_ranker(data_dir / "ranker")

Grades are kept as graded gains: LightGBM's integer labels are grade steps of 1/12 (Home Depot
means of three raters: 1, 1.33, 1.5, ...), and label_gain[i] = 2^(i/12) - 1, the gain nDCG@10
counts. The artefact is a versioned directory with an atomic CURRENT pointer (retrieval.store),
like the search index.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import lightgbm as lgb
import numpy as np
from tqdm.auto import tqdm

from retrieval.engine import Hit, SearchEngine
from retrieval.filters import Filters
from retrieval.rank_features import FEATURES, DocTerms, hit_features, query_key
from retrieval.store import IndexCorrupt, current_version, write_version

FORMAT = 1
GRADE_STEPS = 12  # integer labels per grade unit
MAX_GRADE = 3.0


@dataclass(frozen=True)
class RankerConfig:
    """How many candidates are reranked, the trees, and the serving budget."""

    candidates: int = 150  # first-stage hits reranked (the rest keep their order behind them)
    trees: int = 500
    leaves: int = 31
    learning_rate: float = 0.05
    min_data_in_leaf: int = 50
    early_stopping: int = 50  # rounds without a better held-out nDCG@10
    valid_share: float = 0.1  # training queries held out for early stopping (by sha1)
    min_valid_queries: int = 100  # fewer held out: no early stopping (too noisy), all trees
    budget_ms: float = 20.0  # serving: past this much first-stage time, keep its order
    max_minutes: float = 20.0
    # one thread: OpenMP's spinning threads on shared cores made 2 threads 100x slower here
    threads: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        if self.candidates < 2 or self.trees < 1 or self.leaves < 2:
            raise ValueError("need candidates >= 2, trees >= 1, leaves >= 2")
        if not 0 < self.learning_rate <= 1 or not 0 <= self.valid_share < 1:
            raise ValueError("need 0 < learning_rate <= 1 and 0 <= valid_share < 1")
        if self.budget_ms <= 0 or self.max_minutes <= 0:
            raise ValueError("budget_ms and max_minutes must be positive")


@dataclass
class TrainingSet:
    """Features of every candidate of every training query, with its grade (0: not relevant)."""

    features: np.ndarray  # (n, len(FEATURES)) float32
    grades: np.ndarray  # (n,) float, 0..MAX_GRADE
    groups: list[int]  # candidates per query, in row order
    keys: list[str]  # one key per query (its text), for the held-out split

    def take(self, queries: np.ndarray) -> TrainingSet:
        """The rows of the queries whose flag is set."""
        ends = np.cumsum(self.groups)
        rows = np.concatenate(
            [
                np.arange(e - g, e)
                for e, g, keep in zip(ends, self.groups, queries, strict=True)
                if keep
            ]
            or [np.zeros(0, dtype=np.int64)]
        )
        return TrainingSet(
            self.features[rows],
            self.grades[rows],
            [g for g, keep in zip(self.groups, queries, strict=True) if keep],
            [k for k, keep in zip(self.keys, queries, strict=True) if keep],
        )


def grade_labels(grades: np.ndarray) -> np.ndarray:
    """(n,) grades in [0, MAX_GRADE] -> (n,) integer labels in grade steps."""
    return np.rint(np.clip(grades, 0, MAX_GRADE) * GRADE_STEPS).astype(np.int32)


def label_gain() -> list[float]:
    """Gain of each integer label: 2^grade - 1, as nDCG@10 counts it."""
    return [2.0 ** (i / GRADE_STEPS) - 1.0 for i in range(int(MAX_GRADE * GRADE_STEPS) + 1)]


def _held_out(key: str, share: float) -> bool:
    return int(hashlib.sha1(key.encode()).hexdigest()[:8], 16) / 0xFFFFFFFF < share


@dataclass
class Ranker:
    """A trained booster with its config, the store signals it reads (popularity per product;
    attractiveness per query and product from the click model), and how it was made."""

    booster: lgb.Booster
    config: RankerConfig
    popularity: dict[str, float] = field(default_factory=dict)
    clicks: dict[str, dict[str, float]] = field(default_factory=dict)  # query_key -> id -> value
    meta: dict = field(default_factory=dict)
    version: str = ""
    _terms: DocTerms | None = field(default=None, repr=False)

    def score(self, features: np.ndarray) -> np.ndarray:
        """(n, len(FEATURES)) -> (n,) ranking scores (comparable within one query only)."""
        if len(features) == 0:
            return np.zeros(0)
        return np.asarray(self.booster.predict(features, num_threads=1))

    def rerank(self, query: str, hits: list[Hit], tok, k: int, offset: int = 0) -> list[Hit]:
        """The first-stage hits (best first) reordered by the model: k from offset, ranks
        renumbered, score = the model's; hits past config.candidates keep their order."""
        head, tail = hits[: self.config.candidates], hits[self.config.candidates :]
        if self._terms is None or self._terms.tok is not tok:
            self._terms = DocTerms(tok)
        seen = self.clicks.get(query_key(query))
        scores = self.score(hit_features(query, head, tok, self.popularity, seen, self._terms))
        order = np.lexsort((np.arange(len(head)), -scores))  # ties keep the first stage's order
        low = float(scores.min()) if len(scores) else 0.0
        ranked = [(head[i], float(scores[i])) for i in order] + [(h, low - 1.0) for h in tail]
        return [
            replace(h, rank=offset + j + 1, score=s)
            for j, (h, s) in enumerate(ranked[offset : offset + k])
        ]


def search_reranked(
    engine: SearchEngine,
    ranker: Ranker | None,
    query: str,
    filters: Filters | None = None,
    k: int = 10,
    offset: int = 0,
    explain: bool = True,
    budget_ms: float | None = None,
    **first_stage,
) -> list[Hit]:
    """engine.search, then the ranker over its top candidates when one is given; with a
    budget_ms (serving), a first stage slower than that keeps its own order."""
    if ranker is None:
        return engine.search(query, filters, k=k, offset=offset, explain=explain, **first_stage)
    start = time.perf_counter()
    n = max(ranker.config.candidates, k + offset)
    hits = engine.search(query, filters, k=n, explain=False, **first_stage)
    if budget_ms is None or (time.perf_counter() - start) * 1000 <= budget_ms:
        hits = ranker.rerank(query, hits, engine.lexical.tokenizer, k, offset)
    else:
        hits = hits[offset : offset + k]
    if not explain:
        return hits
    return [replace(h, matched_terms=_matched(engine, query, h.product_id)) for h in hits]


def _matched(engine: SearchEngine, query: str, product_id: str) -> list[str]:
    return engine.lexical.matched_terms(query, engine.texts[engine.row_of[product_id]])


def fit_ranker(
    data: TrainingSet,
    config: RankerConfig | None = None,
    popularity: dict[str, float] | None = None,
    clicks: dict[str, dict[str, float]] | None = None,
    progress: bool = False,
) -> Ranker:
    """Train lambdarank on data; a config.valid_share of the queries (by sha1 of the key) is
    held out for early stopping on nDCG@10; stops at config.max_minutes."""
    c = config or RankerConfig()
    if len(data.groups) < 2 or not (data.grades > 0).any():
        raise ValueError("need at least two queries and one relevant candidate to train a ranker")
    held = np.array([_held_out(k, c.valid_share) for k in data.keys])
    if held.sum() < c.min_valid_queries or held.all():
        held = np.zeros(len(held), dtype=bool)
    fit, valid = data.take(~held), data.take(held)
    params = {
        "objective": "lambdarank",
        "metric": "ndcg",
        "eval_at": [10],
        "label_gain": label_gain(),
        "num_leaves": c.leaves,
        "learning_rate": c.learning_rate,
        "min_data_in_leaf": c.min_data_in_leaf,
        "num_threads": c.threads,
        "seed": c.seed,
        "deterministic": True,
        "verbosity": -1,
    }
    train_ds = lgb.Dataset(
        fit.features, grade_labels(fit.grades), group=fit.groups, feature_name=list(FEATURES)
    )
    sets = [train_ds]
    callbacks: list[Callable[..., Any]] = []
    if valid.groups:
        sets.append(
            lgb.Dataset(
                valid.features, grade_labels(valid.grades), group=valid.groups, reference=train_ds
            )
        )
        callbacks.append(lgb.early_stopping(c.early_stopping, verbose=False))
    start = time.perf_counter()
    bar = tqdm(total=c.trees, desc="ranker trees", unit="tree", disable=not progress)

    def tick(env: lgb.callback.CallbackEnv) -> None:
        bar.update(1)
        if time.perf_counter() - start > c.max_minutes * 60:  # the time limit ends training
            raise lgb.callback.EarlyStopException(env.iteration, env.evaluation_result_list or [])

    callbacks.append(tick)
    try:
        booster = lgb.train(params, train_ds, c.trees, valid_sets=sets[1:], callbacks=callbacks)
    finally:
        bar.close()
    best = booster.best_iteration or booster.current_iteration()
    score = booster.best_score.get("valid_0", {}).get("ndcg@10")
    meta = {
        "queries": len(data.groups),
        "rows": int(sum(data.groups)),
        "held_out_queries": len(valid.groups),
        "held_out_ndcg_at_10": None if score is None else round(float(score), 4),
        "trees": int(best),
        "seconds": round(time.perf_counter() - start, 1),
    }
    return Ranker(booster, c, dict(popularity or {}), dict(clicks or {}), meta)


def save_ranker(root: str | Path, ranker: Ranker) -> Path:
    """Publish the ranker as a new version under root (atomic swap); returns its directory."""

    def write(tmp: Path) -> None:
        tmp.mkdir(parents=True)
        ranker.booster.save_model(str(tmp / "model.txt"), num_iteration=ranker.meta.get("trees"))
        manifest = {
            "format": FORMAT,
            "features": list(FEATURES),
            "config": asdict(ranker.config),
            "meta": ranker.meta,
        }
        (tmp / "ranker.json").write_text(json.dumps(manifest, indent=1))
        (tmp / "popularity.json").write_text(json.dumps(ranker.popularity))
        (tmp / "clicks.json").write_text(json.dumps(ranker.clicks))

    path = write_version(root, write)
    ranker.version = path.name
    return path


def ranker_version(root: str | Path) -> str:
    """The published ranker's version name (IndexMissing when none, IndexCorrupt if broken)."""
    return current_version(root, "ranker").name


def load_ranker(root: str | Path) -> Ranker:
    """The published ranker; IndexMissing when none was trained, IndexCorrupt when unreadable
    or made for other features."""
    path = current_version(root, "ranker")
    try:
        manifest = json.loads((path / "ranker.json").read_text())
        if manifest.get("format") != FORMAT or manifest.get("features") != list(FEATURES):
            raise ValueError("trained for other features: train it again")
        booster = lgb.Booster(model_file=str(path / "model.txt"))
        popularity = json.loads((path / "popularity.json").read_text())
        clicks = json.loads((path / "clicks.json").read_text())
        config = RankerConfig(**manifest["config"])
    except Exception as exc:  # any unreadable piece means the same thing: train again
        raise IndexCorrupt(f"ranker at {path} is unreadable: {exc}") from exc
    return Ranker(booster, config, popularity, clicks, manifest.get("meta", {}), path.name)
