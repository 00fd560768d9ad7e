"""The recommender's fit as steps on a runner: transition counts per partition of the shoppers
add up to the whole exactly, and a fit says which steps ran where."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp

from recsys.fitting import partitions
from recsys.ids import IdIndex
from recsys.interactions import from_sequences
from recsys.mf import MFConfig
from recsys.recommender import Recommender, RecommenderConfig
from recsys.transitions import (
    TransitionConfig,
    fit_transitions,
    transition_counts,
    transitions_from_counts,
)
from retrieval.runner import LocalRunner
from tests.recsys.conftest import random_histories


def test_transitions_of_one_history_match_the_hand_computed_weights():
    t = fit_transitions([[0, 1, 2]], 3, TransitionConfig()).toarray()
    # forward pairs weigh 0.7 ** (steps - 1), their reverse 0.3 of that; rows sum to 1
    np.testing.assert_allclose(
        t,
        [[0, 1 / 1.7, 0.7 / 1.7], [0.3 / 1.3, 0, 1 / 1.3], [0.21 / 0.51, 0.3 / 0.51, 0]],
        rtol=1e-6,
    )


@pytest.mark.parametrize("parts", [2, 3, 7])
def test_counts_of_partitions_add_up_to_the_whole_exactly(parts):
    hist, cfg = random_histories(), TransitionConfig()
    whole = transition_counts(hist, 30, cfg)
    groups = partitions(hist, parts)
    assert len(groups) == parts and sum(groups, []) == hist
    zero = sp.csr_matrix(whole.shape, dtype=np.int64)
    merged = sum((transition_counts(g, 30, cfg) for g in groups), zero)
    assert merged.dtype == whole.dtype == np.int64 and (merged != whole).nnz == 0
    a, b = transitions_from_counts(merged, cfg), fit_transitions(hist, 30, cfg)
    assert np.array_equal(a.indptr, b.indptr) and np.array_equal(a.indices, b.indices)
    assert np.array_equal(a.data, b.data)  # bit for bit, not approximately


def _fit(parts: int) -> tuple[Recommender, LocalRunner]:
    hist = random_histories()
    cfg = RecommenderConfig(mf=MFConfig(factors=8, iterations=5, use_gpu=False), learned=False)
    users, items = IdIndex([f"u{i}" for i in range(len(hist))]), IdIndex(range(30))
    runner = LocalRunner()
    rec = Recommender(cfg).fit(
        from_sequences(hist, 30), users, items, hist, runner=runner, parts=parts
    )
    return rec, runner


def test_a_fit_in_parts_equals_one_in_one_and_says_where_each_step_ran():
    one, _ = _fit(1)
    three, runner = _fit(3)
    assert (one.transitions != three.transitions).nnz == 0
    np.testing.assert_array_equal(one.mf.item_factors, three.mf.item_factors)  # seeded ALS
    steps = {s["step"]: s for s in runner.steps}
    assert set(steps) == {"als", "transition_counts"}  # no learned blend configured
    assert steps["transition_counts"]["items"] == 3
    assert steps["als"]["nodes"] == {"local": 1}
    assert three.devices == {"als": "cpu", "transitions": "cpu"}
