"""Behaviour predictor: P(user buys item within 24 h) and churn risk, from event features.

Logistic regression is the baseline; LightGBM is kept only when it wins ROC AUC on the held-out
label days. Training uses several past cutoffs (one per day) before the given one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from tqdm import tqdm

from recsys.features import DAY, churn_labels, pair_features, purchase_labels, user_features
from recsys.metrics import classification_report

TASKS = ("purchase", "churn")
MODELS = ("auto", "logistic", "lightgbm")


@dataclass
class BehaviorConfig:
    """What to predict, from which past days, with which model."""

    task: str = "purchase"  # purchase: (user, item) buys within horizon; churn: users idle
    model: str = "auto"  # auto: logistic unless lightgbm wins on the held-out days
    train_days: int = 4  # label days used to fit
    holdout_days: int = 1  # later label days used to choose the model and report metrics
    horizon_hours: float = 24.0  # purchase window after the cutoff
    churn_days: float = 3.0  # churn: no event at all for this many days after the cutoff
    windows: tuple[float, ...] = (1.0, 3.0)  # recent-count windows in days
    lookback_days: float | None = None  # only events this recent feed the features
    C: float = 0.1  # inverse L2 strength of the logistic regression
    lgbm_params: dict = field(
        default_factory=lambda: {
            "n_estimators": 200,
            "num_leaves": 7,
            "learning_rate": 0.03,
            "min_child_samples": 50,
            "subsample": 0.8,
            "subsample_freq": 1,
            "colsample_bytree": 0.8,
            "verbose": -1,
        }
    )

    def __post_init__(self) -> None:
        if self.task not in TASKS:
            raise ValueError(f"unknown task {self.task!r}; valid: {', '.join(TASKS)}")
        if self.model not in MODELS:
            raise ValueError(f"unknown model {self.model!r}; valid: {', '.join(MODELS)}")
        if self.train_days < 1 or self.holdout_days < 0:
            raise ValueError("train_days must be >= 1 and holdout_days >= 0")
        if self.horizon_hours <= 0 or self.churn_days <= 0 or self.C <= 0:
            raise ValueError("horizon_hours, churn_days and C must be positive")
        self.windows = tuple(float(w) for w in self.windows)

    @property
    def horizon_s(self) -> float:
        """Label window in seconds."""
        return self.horizon_hours * 3600.0 if self.task == "purchase" else self.churn_days * DAY


def _make_model(kind: str, config: BehaviorConfig):
    if kind == "logistic":
        from sklearn.linear_model import LogisticRegression
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler

        return make_pipeline(StandardScaler(), LogisticRegression(C=config.C, max_iter=2000))
    import lightgbm as lgb

    return lgb.LGBMClassifier(**config.lgbm_params)


class BehaviorModel:
    """fit on an event log up to a cutoff, then score pairs (or users) at any later cutoff."""

    def __init__(self, config: BehaviorConfig | None = None):
        self.config = config or BehaviorConfig()
        self.model: Any = None  # a fitted sklearn Pipeline or LGBMClassifier (both untyped)
        self.kind = ""
        self.columns: list[str] = []
        self.threshold = 0.5
        self.metrics: dict = {}

    def features(
        self, events: pd.DataFrame, cutoff: float, extra_pairs: Sequence[tuple[str, str]] = ()
    ) -> pd.DataFrame:
        """Feature rows at cutoff: (user, item) pairs for purchase, users for churn."""
        c = self.config
        if c.task == "purchase":
            return pair_features(events, cutoff, c.windows, c.lookback_days, extra_pairs)
        return user_features(events, cutoff, c.windows, c.lookback_days)

    def labels(self, events: pd.DataFrame, cutoff: float, index: pd.Index) -> np.ndarray:
        """Labels of feature rows at cutoff (needs events after it)."""
        c = self.config
        if c.task == "purchase":
            return purchase_labels(events, cutoff, index, c.horizon_hours)
        return churn_labels(events, cutoff, index, c.churn_days)

    def label_cutoffs(self, cutoff: float) -> list[float]:
        """Past cutoffs, oldest first, whose whole label window ends by cutoff."""
        n = self.config.train_days + self.config.holdout_days
        last = cutoff - self.config.horizon_s
        return [last - k * DAY for k in range(n - 1, -1, -1)]

    def fit(
        self, events: pd.DataFrame, cutoff: float, show_progress: bool = False
    ) -> BehaviorModel:
        """Train on label days before cutoff; events must be normalised (see interactions)."""
        c = self.config
        days = []
        for t in tqdm(self.label_cutoffs(cutoff), desc="features", disable=not show_progress):
            x = self.features(events, t)
            if len(x):
                days.append((t, x, self.labels(events, t, x.index)))
        if len(days) < 1 + (c.holdout_days > 0):
            raise ValueError("not enough days of events before the cutoff to train")
        self.columns = list(days[-1][1].columns)
        fit_days = days[: -c.holdout_days] if c.holdout_days else days
        held = days[-c.holdout_days :] if c.holdout_days else []
        kinds = ["logistic", "lightgbm"] if c.model == "auto" else [c.model]
        self.metrics = {"task": c.task, "cutoff": cutoff, "label_cutoffs": [d[0] for d in days]}
        if held:
            x_ho, y_ho = self._stack(held)
            for kind in kinds:
                model, thr = self._fit_one(kind, fit_days)
                if y_ho.min() == y_ho.max():
                    self.metrics[kind] = {"error": "held-out days have a single class"}
                    continue
                p = model.predict_proba(x_ho)[:, 1]
                self.metrics[kind] = classification_report(y_ho, p, thr)
        scored = [k for k in kinds if "roc_auc" in self.metrics.get(k, {})]
        self.kind = max(scored, key=lambda k: self.metrics[k]["roc_auc"]) if scored else kinds[0]
        if "logistic" in scored and self.kind == "lightgbm":
            if self.metrics["lightgbm"]["roc_auc"] <= self.metrics["logistic"]["roc_auc"]:
                self.kind = "logistic"
        self.metrics["chosen"] = self.kind
        self.model, self.threshold = self._fit_one(self.kind, days)
        return self

    def _stack(self, days) -> tuple[pd.DataFrame, np.ndarray]:
        x = pd.concat([d[1] for d in days]).reindex(columns=self.columns, fill_value=0.0)
        return x, np.concatenate([d[2] for d in days])

    def _fit_one(self, kind: str, days) -> tuple[Any, float]:
        """Fit one model kind; threshold = best F1 on its own training days."""
        x, y = self._stack(days)
        if y.min() == y.max():
            raise ValueError("training days hold a single class; need more or other days")
        model = _make_model(kind, self.config)
        model.fit(x, y)
        thr = classification_report(y, model.predict_proba(x)[:, 1])["threshold"]
        return model, float(thr)

    def predict(self, features: pd.DataFrame) -> np.ndarray:
        """Probabilities for feature rows built by features()."""
        if self.model is None:
            raise RuntimeError("behaviour model is not fitted")
        x = features.reindex(columns=self.columns, fill_value=0.0)
        return self.model.predict_proba(x)[:, 1] if len(x) else np.zeros(0)

    def contributions(self, row: pd.DataFrame, n: int = 5) -> list[tuple[str, float, float]]:
        """Top features of one row as (name, value, contribution to the log-odds)."""
        x = row.reindex(columns=self.columns, fill_value=0.0).iloc[:1]
        if self.kind == "logistic":
            scaler, lr = self.model[0], self.model[-1]
            contrib = (scaler.transform(x)[0]) * lr.coef_[0]
        else:
            contrib = self.model.predict_proba(x, pred_contrib=True)[0][:-1]
        order = np.argsort(-np.abs(contrib))[:n]
        return [(self.columns[i], float(x.iloc[0, i]), float(contrib[i])) for i in order]

    def save(self, directory: str | Path) -> None:
        """Write the model (joblib) and its config and metrics (JSON)."""
        import joblib

        d = Path(directory)
        d.mkdir(parents=True, exist_ok=True)
        joblib.dump(self.model, d / "model.joblib")
        meta = {
            "config": asdict(self.config),
            "kind": self.kind,
            "columns": self.columns,
            "threshold": self.threshold,
            "metrics": self.metrics,
        }
        (d / "behavior.json").write_text(json.dumps(meta, indent=2))

    @classmethod
    def load(cls, directory: str | Path) -> BehaviorModel:
        """Read a model written by save()."""
        import joblib

        d = Path(directory)
        if not (d / "behavior.json").is_file():
            raise FileNotFoundError(f"no behaviour model in {d}")
        meta = json.loads((d / "behavior.json").read_text())
        m = cls(BehaviorConfig(**meta["config"]))
        m.kind, m.columns, m.threshold = meta["kind"], meta["columns"], meta["threshold"]
        m.metrics = meta["metrics"]
        m.model = joblib.load(d / "model.joblib")
        return m


def fit_task(
    task: str, events: pd.DataFrame, cutoff: float, show_progress: bool = False
) -> BehaviorModel:
    """One predictor (purchase | churn) with the default config, fitted up to cutoff (a
    module-level function, so a Ray task can run it)."""
    return BehaviorModel(BehaviorConfig(task=task)).fit(events, cutoff, show_progress)
