"""A/B experiment analysis: per-arm metrics with confidence intervals, the sample-ratio check,
optional CUPED, and a simulator with a known true lift (to check the intervals' coverage).

    users = exposed_users(events, "assist")              # user_id, arm, first exposure, outcomes
    result = analyse(users, {"control": .5, "assistant": .5}, control="control")

The unit is the shopper (assignment is per shopper). Conversion (purchased after the first
exposure) is compared with a two-proportion z-test and a Wald interval for the difference;
revenue per shopper with Welch's t; purchases per session, a ratio metric, with a delta-method
interval. CUPED (pre-exposure purchases as the covariate) narrows the conversion interval.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats
from typing_extensions import TypedDict

from analytics.assignment import assign
from analytics.sessions import sessionize

ALPHA = 0.05
DAY_S = 86_400
SRM_ALPHA = 0.001  # the usual threshold: a mismatch this unlikely means broken assignment


class ArmResult(TypedDict):
    """One arm: its shoppers, and each metric with its 95 % interval."""

    arm: str
    users: int
    rate: float
    ci_low: float
    ci_high: float
    revenue_per_user: float
    purchases_per_session: float | None


class Comparison(TypedDict):
    """A treatment arm against control: difference, its interval, the test's p-value."""

    arm: str
    metric: str
    control: float
    treatment: float
    diff: float
    ci_low: float
    ci_high: float
    p_value: float
    significant: bool
    relative_lift: float | None


class ExperimentResult(TypedDict):
    """Everything the experiment view reports."""

    experiment: str
    control: str
    arms: list[ArmResult]
    comparisons: list[Comparison]
    srm: dict[str, Any]
    cuped: bool


def exposed_users(events: pd.DataFrame, experiment: str) -> pd.DataFrame:
    """One row per exposed shopper: arm, first exposure, and outcomes from then on.

    converted: a purchase at or after the first exposure; revenue: their value; sessions and
    purchase_sessions after exposure (30-minute rule); returned_7d: any event 1 to 8 days after
    it (retention, for a retention campaign); pre_purchases: purchases before it (CUPED's
    covariate).
    """
    exp = events[(events["type"] == "exposure") & (events["experiment"] == experiment)]
    if exp.empty:
        return pd.DataFrame(columns=["arm", "first", "converted", "revenue", "sessions",
                                     "purchase_sessions", "returned_7d", "pre_purchases"])  # fmt: skip
    first = exp.sort_values("ts").groupby("user_id").agg(arm=("arm", "first"), first=("ts", "min"))
    ev = events[events["user_id"].isin(first.index)].join(first["first"], on="user_id")
    after = ev[ev["ts"] >= ev["first"]].copy()
    after = after[after["type"] != "exposure"]
    after["session"] = sessionize(after["user_id"], after["ts"])
    buys = after[after["type"] == "purchase"]
    out = first.copy()
    out["converted"] = out.index.isin(buys["user_id"]).astype(float)
    out["revenue"] = buys.groupby("user_id")["value"].sum().reindex(out.index).fillna(0.0)
    out["sessions"] = after.groupby("user_id")["session"].nunique().reindex(out.index).fillna(0)
    out["purchase_sessions"] = (
        buys.groupby("user_id")["session"].nunique().reindex(out.index).fillna(0)
    )
    back = after[
        (after["ts"] >= after["first"] + DAY_S) & (after["ts"] < after["first"] + 8 * DAY_S)
    ]
    out["returned_7d"] = out.index.isin(back["user_id"]).astype(float)
    pre = ev[(ev["ts"] < ev["first"]) & (ev["type"] == "purchase")]
    out["pre_purchases"] = pre.groupby("user_id").size().reindex(out.index).fillna(0.0)
    return out


def srm_check(counts: Mapping[str, int], weights: Mapping[str, float]) -> dict[str, Any]:
    """Chi-square test of the arms' shopper counts against the configured split."""
    arms = list(weights)
    observed = np.array([counts.get(a, 0) for a in arms], dtype=float)
    total_w = sum(weights.values())
    expected = np.array([weights[a] / total_w for a in arms]) * observed.sum()
    if observed.sum() == 0:
        return {"p_value": None, "mismatch": False, "observed": {}, "expected": {}}
    chi2, p = stats.chisquare(observed, expected)
    return {
        "chi2": round(float(chi2), 4),
        "p_value": float(p),
        "mismatch": bool(p < SRM_ALPHA),
        "observed": {a: int(o) for a, o in zip(arms, observed, strict=True)},
        "expected": {a: round(float(e), 1) for a, e in zip(arms, expected, strict=True)},
    }


def cuped(y: np.ndarray, x: np.ndarray) -> np.ndarray:
    """y adjusted by the pre-period covariate x (theta pooled over all arms)."""
    cov = np.cov(y, x)  # both with ddof=1
    if cov[1, 1] == 0:
        return y
    theta = float(cov[0, 1] / cov[1, 1])
    return y - theta * (x - x.mean())


def _z() -> float:
    return float(stats.norm.ppf(1 - ALPHA / 2))


def _comparison(
    arm: str, metric: str, control: float, treatment: float, se: float, p: float
) -> Comparison:
    """treatment - control with its normal interval (standard error se) and p-value."""
    diff = treatment - control
    return Comparison(
        arm=arm,
        metric=metric,
        control=round(control, 6),
        treatment=round(treatment, 6),
        diff=round(diff, 6),
        ci_low=round(diff - _z() * se, 6),
        ci_high=round(diff + _z() * se, 6),
        p_value=p,
        significant=bool(p < ALPHA),
        relative_lift=round(diff / control, 6) if control else None,
    )


def compare_means(a: np.ndarray, b: np.ndarray, arm: str, metric: str) -> Comparison:
    """b - a with a normal-approximation interval (unpooled: Wald for proportions) and a
    Welch t-test p-value (for 0/1 outcomes this is the unpooled two-proportion z-test)."""
    ma, mb = float(a.mean()), float(b.mean())
    se = float(np.sqrt(a.var(ddof=1) / len(a) + b.var(ddof=1) / len(b)))
    diff = mb - ma
    if se > 0:
        p = float(2 * stats.norm.sf(abs(diff) / se))
    else:
        p = 1.0 if diff == 0 else 0.0
    return _comparison(arm, metric, ma, mb, se, p)


def compare_ratios(
    num_a: np.ndarray, den_a: np.ndarray, num_b: np.ndarray, den_b: np.ndarray, arm: str
) -> Comparison:
    """Purchases per session (sum num / sum den per arm) with delta-method variances."""

    def ratio_var(n: np.ndarray, d: np.ndarray) -> tuple[float, float]:
        mn, md = n.mean(), d.mean()
        r = mn / md
        cov = np.cov(n, d, ddof=1)
        var = (cov[0, 0] - 2 * r * cov[0, 1] + r * r * cov[1, 1]) / (md * md * len(n))
        return float(r), float(var)

    ra, va = ratio_var(num_a, den_a)
    rb, vb = ratio_var(num_b, den_b)
    se, diff = float(np.sqrt(va + vb)), rb - ra
    p = float(2 * stats.norm.sf(abs(diff) / se)) if se > 0 else 1.0
    return _comparison(arm, "purchases_per_session", ra, rb, se, p)


def _wilson(k: float, n: int) -> tuple[float, float]:
    if n == 0:
        return 0.0, 0.0
    z, p = _z(), k / n
    c = (p + z * z / (2 * n)) / (1 + z * z / n)
    h = z * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return float(c - h), float(c + h)


def analyse(
    users: pd.DataFrame,
    weights: Mapping[str, float],
    control: str,
    experiment: str = "",
    use_cuped: bool = False,
) -> ExperimentResult:
    """Per-arm metrics, each treatment against control, and the SRM check."""
    arms: list[ArmResult] = []
    comps: list[Comparison] = []
    y_all = users["converted"].to_numpy(dtype=float)
    if use_cuped and len(users) > 1:
        y_all = cuped(y_all, users["pre_purchases"].to_numpy(dtype=float))
    y = pd.Series(y_all, index=users.index)
    for arm in weights:
        u = users[users["arm"] == arm]
        k, n = float(u["converted"].sum()), len(u)
        lo, hi = _wilson(k, n)
        sess = float(u["sessions"].sum())
        arms.append(
            ArmResult(
                arm=arm,
                users=n,
                rate=round(k / n, 6) if n else 0.0,
                ci_low=round(lo, 6),
                ci_high=round(hi, 6),
                revenue_per_user=round(float(u["revenue"].mean()), 4) if n else 0.0,
                purchases_per_session=round(float(u["purchase_sessions"].sum()) / sess, 6)
                if sess
                else None,
            )
        )
    base = users[users["arm"] == control]
    for arm in weights:
        if arm == control:
            continue
        t = users[users["arm"] == arm]
        if len(base) < 2 or len(t) < 2:
            continue
        comps.append(
            compare_means(y[base.index].to_numpy(), y[t.index].to_numpy(), arm, "conversion")
        )
        comps.append(
            compare_means(
                base["revenue"].to_numpy(float), t["revenue"].to_numpy(float), arm, "revenue"
            )
        )
        comps.append(
            compare_means(
                base["returned_7d"].to_numpy(float),
                t["returned_7d"].to_numpy(float),
                arm,
                "returned_7d",
            )
        )
        if base["sessions"].sum() and t["sessions"].sum():
            comps.append(
                compare_ratios(
                    base["purchase_sessions"].to_numpy(float),
                    base["sessions"].to_numpy(float),
                    t["purchase_sessions"].to_numpy(float),
                    t["sessions"].to_numpy(float),
                    arm,
                )
            )
    counts = users["arm"].value_counts().to_dict()
    return ExperimentResult(
        experiment=experiment,
        control=control,
        arms=arms,
        comparisons=comps,
        srm=srm_check(counts, weights),
        cuped=use_cuped,
    )


def simulate_events(
    seed: int,
    n_users: int = 4000,
    base_rate: float = 0.10,
    lift: float = 0.03,
    weights: Mapping[str, float] | None = None,
    experiment: str = "sim",
    treatment: str = "assistant",
) -> pd.DataFrame:
    """A store's log with a known truth: every shopper is exposed once (arm by the real
    assignment), then buys with base_rate, or base_rate + lift in the treatment arm.
    weights: the arms' real split (a skewed one simulates broken assignment for SRM)."""
    rng = np.random.default_rng(seed)
    weights = dict(weights or {"control": 0.5, treatment: 0.5})
    spec = [(a, float(w)) for a, w in weights.items()]
    rows: list[tuple[str, str, str, float, float, str, str]] = []
    for i in range(n_users):
        user = f"sim{seed}-{i}"
        arm = assign(experiment, user, spec)
        t0 = 1.7e9 + rng.uniform(0, 7 * 86400)
        rows.append((user, "", "exposure", t0, np.nan, experiment, arm))
        rows.append((user, f"p{rng.integers(100)}", "view", t0 + 60, np.nan, "", ""))
        pre = rng.random() < base_rate  # a purchase before exposure (CUPED's covariate)
        if pre:
            rows.append((user, "p0", "purchase", t0 - 86400, 100.0, "", ""))
        rate = base_rate + (lift if arm == treatment else 0.0) + (0.1 if pre else 0.0)
        if rng.random() < rate:
            value = float(rng.gamma(2.0, 50.0))
            rows.append((user, f"p{rng.integers(100)}", "purchase", t0 + 600, value, "", ""))
    cols = ["user_id", "item_id", "type", "ts", "value", "experiment", "arm"]
    out = pd.DataFrame(rows, columns=cols)
    out["dwell_seconds"] = np.nan
    return out
