"""Offline evaluation of the behaviour predictor: the `eval behavior` engine and a scorer.

Scoring helper (labels never reach the predictor):
    python -m recsys.behavior_eval split DEV.csv OUT_DIR [--cutoff TS]   # E.csv + labels.csv
    python -m recsys.behavior_eval score SCORES.csv labels.csv
    python -m recsys.behavior_eval compare DEV.csv [--days 3]  # LR vs LightGBM, several days
"""

from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from recsys.behavior import BehaviorConfig, BehaviorModel
from recsys.features import DAY
from recsys.interactions import normalize_events
from recsys.io import FormatError

TAOBAO_COLUMNS = ["user_id", "item_id", "category", "behavior", "ts"]
TAOBAO_TYPES = {"pv": "view", "cart": "cart", "fav": "fav", "buy": "purchase"}


def read_taobao(path: str | Path) -> pd.DataFrame:
    """Taobao UserBehavior CSV (no header) -> normalised events; bad rows name their line."""
    raw = pd.read_csv(path, header=None, dtype=str, keep_default_na=False, on_bad_lines="error")
    if raw.shape[1] != 5:
        raise FormatError(f"{path}: expected 5 columns (user,item,category,behavior,ts)")
    raw.columns = TAOBAO_COLUMNS
    bad_type = ~raw["behavior"].isin(list(TAOBAO_TYPES))
    ts = pd.to_numeric(raw["ts"], errors="coerce")
    bad = bad_type | ts.isna() | (raw["user_id"] == "") | (raw["item_id"] == "")
    if bad.any():
        n = int(np.flatnonzero(bad.to_numpy())[0])
        raise FormatError(f"{path}:{n + 1}: bad row {','.join(raw.iloc[n].tolist())!r}")
    ev = raw.assign(type=raw["behavior"].map(TAOBAO_TYPES), ts=ts)
    return normalize_events(ev.drop(columns="behavior"))


def score_pairs(
    events: pd.DataFrame,
    cutoff: float,
    config: BehaviorConfig | None = None,
    show_progress: bool = False,
) -> tuple[pd.DataFrame, BehaviorModel]:
    """Fit on days before cutoff; P(buy within 24 h) for every pair with an event before it."""
    model = BehaviorModel(config or BehaviorConfig()).fit(events, cutoff, show_progress)
    x = model.features(events, cutoff)
    out = x.index.to_frame(index=False)
    out["score"] = model.predict(x)
    return out, model


def compare_days(
    events: pd.DataFrame, end: float, days: int = 3, config: BehaviorConfig | None = None
) -> dict[str, dict[str, float | list[float]]]:
    """Logistic vs LightGBM on each of the last `days` label days, each trained on days before.

    Thresholds come from the training days (no peeking); the mean over days is reported.
    """
    from recsys.metrics import classification_report

    config = config or BehaviorConfig()
    per: dict[str, list[dict[str, float]]] = {"logistic": [], "lightgbm": []}
    for k in range(days, 0, -1):
        cutoff = end - k * DAY
        x = BehaviorModel(config).features(events, cutoff)
        seen = events[events["ts"] < cutoff]
        for kind in per:
            m = BehaviorModel(replace(config, model=kind, holdout_days=0)).fit(seen, cutoff)
            y = m.labels(events, cutoff, x.index)
            per[kind].append(classification_report(y, m.predict(x), m.threshold))
    return {
        kind: {key: float(np.mean([r[key] for r in rows])) for key in rows[0]}
        | {"roc_auc_per_day": [round(r["roc_auc"], 4) for r in rows]}
        for kind, rows in per.items()
    }


def _main() -> None:
    p = argparse.ArgumentParser(prog="python -m recsys.behavior_eval")
    sub = p.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("split", help="events before the cutoff -> E.csv; next-day buys -> labels")
    s.add_argument("events")
    s.add_argument("out_dir")
    s.add_argument("--cutoff", type=float, default=None, help="default: start of the last day")
    sc = sub.add_parser("score", help="ROC AUC / AP of SCORES.csv against labels.csv")
    sc.add_argument("scores")
    sc.add_argument("labels")
    c = sub.add_parser("compare", help="logistic vs LightGBM on the last label days")
    c.add_argument("events")
    c.add_argument("--days", type=int, default=3)
    a = p.parse_args()
    if a.cmd == "split":
        raw = pd.read_csv(a.events, header=None, names=TAOBAO_COLUMNS, dtype={"ts": float})
        end = float(np.ceil((raw["ts"].max() + 1 + 8 * 3600) / DAY) * DAY - 8 * 3600)
        cutoff = a.cutoff or end - DAY  # days start at 00:00 +08:00 (Taobao's time zone)
        out = Path(a.out_dir)
        out.mkdir(parents=True, exist_ok=True)
        before = raw[raw["ts"] < cutoff]
        before.assign(ts=before["ts"].astype("int64")).to_csv(
            out / "E.csv", header=False, index=False
        )
        after = raw[(raw["ts"] >= cutoff) & (raw["ts"] < cutoff + DAY) & (raw["behavior"] == "buy")]
        after[["user_id", "item_id"]].drop_duplicates().to_csv(out / "labels.csv", index=False)
        print(json.dumps({"cutoff": int(cutoff), "dir": str(out), "buys": len(after)}))
    elif a.cmd == "score":
        from recsys.metrics import classification_report

        scores = pd.read_csv(a.scores, dtype={"user_id": str, "item_id": str})
        labels = pd.read_csv(a.labels, dtype={"user_id": str, "item_id": str})
        pos = pd.MultiIndex.from_frame(labels[["user_id", "item_id"]])
        y = pd.MultiIndex.from_frame(scores[["user_id", "item_id"]]).isin(pos).astype(int)
        print(json.dumps(classification_report(y, scores["score"].to_numpy()), indent=2))
    else:
        ev = read_taobao(a.events)
        end = float(np.ceil((ev["ts"].max() + 1 + 8 * 3600) / DAY) * DAY - 8 * 3600)
        print(json.dumps(compare_days(ev, end, a.days), indent=2))


if __name__ == "__main__":
    _main()
