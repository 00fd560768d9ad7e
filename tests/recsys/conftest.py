"""Small synthetic data with known answers for the recsys tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

DAY = 86400


def random_histories(n: int = 300, items: int = 30, seed: int = 0) -> list[list[int]]:
    """n random histories of 1..9 item rows (repeats included: a re-buy is no transition)."""
    rng = np.random.default_rng(seed)
    return [rng.integers(0, items, rng.integers(1, 10)).tolist() for _ in range(n)]


@pytest.fixture
def checkerboard() -> sp.csr_matrix:
    """40 users x 10 items: even users like items 0-4, odd users items 5-9; user 0 lacks item 4."""
    m = np.zeros((40, 10), dtype=np.float32)
    m[0::2, :5] = 1.0
    m[1::2, 5:] = 1.0
    m[0, 4] = 0.0
    return sp.csr_matrix(m)


@pytest.fixture
def behaviour_log() -> pd.DataFrame:
    """8 days of events where a cart is followed by a purchase of that item the next day."""
    rng = np.random.default_rng(0)
    rows = []
    start = 1_700_000_000
    for day in range(8):
        for u in range(80):
            t0 = start + day * DAY
            for _ in range(rng.integers(3, 8)):
                item = int(rng.integers(0, 150))
                rows.append(
                    (f"u{u}", f"i{item}", f"c{item % 10}", "view", t0 + int(rng.integers(0, DAY)))
                )
            if rng.random() < 0.35:  # carts today -> buys tomorrow, the predictable buyers
                item = int(rng.integers(0, 150))
                rows.append((f"u{u}", f"i{item}", f"c{item % 10}", "view", t0 + 1000))
                rows.append((f"u{u}", f"i{item}", f"c{item % 10}", "cart", t0 + 2000))
                rows.append((f"u{u}", f"i{item}", f"c{item % 10}", "purchase", t0 + DAY + 3000))
    return pd.DataFrame(rows, columns=["user_id", "item_id", "category", "type", "ts"])
