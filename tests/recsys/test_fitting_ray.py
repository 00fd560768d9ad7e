"""The recommender's fit on the session's two-node Ray cluster equals the in-process fit: the
transitions bit for bit (counted per partition of the shoppers, summed), ALS within float
noise (same seed), and the learned blend's step runs there too. Each step says where it ran."""

from __future__ import annotations

import numpy as np

from recsys.blend import BlendConfig
from recsys.ids import IdIndex
from recsys.interactions import from_sequences
from recsys.mf import MFConfig
from recsys.recommender import Recommender, RecommenderConfig
from recsys.sasrec import SASRecConfig
from retrieval.runner import LocalRunner, RayRunner
from tests.recsys.conftest import random_histories

CONFIG = RecommenderConfig(
    mf=MFConfig(factors=8, iterations=5, use_gpu=False),
    sequence=SASRecConfig(dim=16, layers=1, heads=1, epochs=3, patience=3, threads=1),
    stack=BlendConfig(valid_share=0.2, min_valid_users=10, candidates=5, threads=1),
)


def _fit(runner, parts: int) -> Recommender:
    hist, n = random_histories(), 30
    users, items = IdIndex([f"u{i}" for i in range(len(hist))]), IdIndex(range(n))
    m = from_sequences(hist, n)
    return Recommender(CONFIG).fit(m, users, items, hist, runner=runner, parts=parts)


def test_fit_on_the_cluster_equals_the_fit_here(ray_cluster):
    here = _fit(LocalRunner(), 1)
    runner = RayRunner(ray_cluster)
    try:
        there = _fit(runner, 2)
    finally:
        runner.close()
    assert (there.transitions != here.transitions).nnz == 0
    np.testing.assert_allclose(there.mf.item_factors, here.mf.item_factors, atol=1e-5)
    np.testing.assert_allclose(there.mf.user_factors, here.mf.user_factors, atol=1e-5)
    assert there.seq is not None and there.stacker is not None
    assert set(there.fit_metrics) == set(here.fit_metrics)
    assert there.devices == {"als": "cpu", "transitions": "cpu", "sasrec": "cpu"}
    steps = {s["step"]: s for s in runner.steps}
    assert set(steps) == {"learned_blend", "als", "transition_counts"}
    assert steps["transition_counts"]["items"] == 2
    assert all(sum(s["nodes"].values()) == s["items"] for s in steps.values())
    assert not any(s.get("gpus") for s in steps.values())  # a CPU-only cluster
    # one CPU per node, and the blend and ALS run at once: both nodes worked
    assert len({node for s in steps.values() for node in s["nodes"]}) == 2
