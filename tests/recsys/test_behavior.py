"""Behaviour predictor on a synthetic log where tomorrow's buyers are predictable."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.behavior import BehaviorConfig, BehaviorModel
from recsys.features import pair_features
from recsys.interactions import normalize_events
from recsys.metrics import classification_report

from .conftest import DAY


def test_purchase_model_beats_chance_on_a_held_out_day(behaviour_log):
    ev = normalize_events(behaviour_log)
    start = int(ev["ts"].min())
    test_cutoff = start + 7 * DAY
    seen = ev[ev["ts"] < test_cutoff]
    model = BehaviorModel(BehaviorConfig(train_days=4, holdout_days=1)).fit(seen, test_cutoff)
    assert model.metrics["chosen"] == model.kind
    assert {"logistic", "lightgbm"} <= set(model.metrics)
    x = model.features(seen, test_cutoff)
    y = model.labels(ev, test_cutoff, x.index)  # labels from the day after, never seen in fit
    report = classification_report(y, model.predict(x), model.threshold)
    assert report["roc_auc"] > 0.8
    assert 0 <= report["f1"] <= 1 and report["positives"] > 5
    top = model.contributions(x.iloc[[int(np.argmax(model.predict(x)))]])
    assert top and all(name in model.columns for name, _, _ in top)


def test_lightgbm_is_kept_only_when_it_wins(behaviour_log):
    ev = normalize_events(behaviour_log)
    cutoff = int(ev["ts"].min()) + 7 * DAY
    m = BehaviorModel(BehaviorConfig(train_days=3)).fit(ev[ev["ts"] < cutoff], cutoff)
    if m.kind == "lightgbm":
        assert m.metrics["lightgbm"]["roc_auc"] > m.metrics["logistic"]["roc_auc"]
    else:
        assert m.kind == "logistic"


def test_churn_model_and_save_load(behaviour_log, tmp_path):
    ev = normalize_events(behaviour_log)
    # Users u0-u19 go quiet after day 4: churners are those idle lately.
    ev = ev[
        ~(ev["user_id"].isin([f"u{i}" for i in range(20)]) & (ev["ts"] > ev["ts"].min() + 4 * DAY))
    ]
    cutoff = int(ev["ts"].min()) + 8 * DAY
    cfg = BehaviorConfig(task="churn", churn_days=1, train_days=3, model="logistic")
    m = BehaviorModel(cfg).fit(ev, cutoff)
    x = m.features(ev, cutoff)
    p = m.predict(x)
    quiet = x.index.isin([f"u{i}" for i in range(20)])
    assert p[quiet].mean() > p[~quiet].mean() + 0.3
    m.save(tmp_path / "churn")
    back = BehaviorModel.load(tmp_path / "churn")
    assert np.allclose(back.predict(x), p)


def test_features_never_look_past_the_cutoff(behaviour_log):
    ev = normalize_events(behaviour_log)
    cutoff = int(ev["ts"].min()) + 3 * DAY
    a = pair_features(ev, cutoff)
    b = pair_features(ev[ev["ts"] < cutoff], cutoff)
    assert a.equals(b)
    extra = pair_features(ev, cutoff, extra_pairs=[("u1", "never-seen")])
    assert extra.loc[("u1", "never-seen"), "p_any"] == 0
    assert extra.loc[("u1", "never-seen"), "u_any"] == a.loc["u1"]["u_any"].iloc[0]


def test_bad_config():
    with pytest.raises(ValueError, match="purchase, churn"):
        BehaviorConfig(task="refund")
    with pytest.raises(ValueError, match="logistic"):
        BehaviorConfig(model="xgb")
