"""Title features of (shopper, candidate): word similarity and platform, known answers."""

from __future__ import annotations

import numpy as np
import pytest

from recsys.titles import TITLE_FEATURES, ItemText, platform, title_features

COL = {name: k for k, name in enumerate(TITLE_FEATURES)}
TITLES = [
    "Halo 3 - Xbox 360",  # 0
    "Halo Reach - Xbox 360",  # 1
    "Mario Kart - Nintendo Wii",  # 2
    "Mario Party - Nintendo Wii",  # 3
    "Gift card",  # 4: no platform
]


def test_platform_is_the_part_after_the_last_dash():
    assert platform("Halo 3 - Xbox 360") == "xbox 360"
    assert platform("Spider-Man - Game - PS4 ") == "ps4"
    assert platform("Gift card") == ""


def test_title_features_known_answers():
    text = ItemText.build(TITLES)
    assert text.platforms.tolist() == [1, 1, 0, 0, -1]
    cands = np.array([[1, 3, 4, -1], [0, 1, 2, 3]])
    x = title_features(cands, [[2, 0], []], text)
    assert x.shape == (2, 4, len(TITLE_FEATURES)) and x.dtype == np.float32
    # shopper 0's last item is Halo 3: Halo Reach shares words and the platform
    assert x[0, 0, COL["title_cos_last"]] > 0.3 and x[0, 1, COL["title_cos_last"]] == 0
    assert x[0, 1, COL["title_cos_max3"]] > 0.3  # Mario Party vs the earlier Mario Kart
    assert x[0, :3, COL["platform_match"]].tolist() == [1, -1, 0]
    assert x[0, :3, COL["platform_share"]].tolist() == pytest.approx([0.5, 0.5, 0.0])
    assert not x[0, 3].any() and not x[1].any()  # empty slot, empty history


def test_titles_without_shared_words_give_zero_similarity():
    text = ItemText.build(["alpha", "beta"])
    x = title_features(np.array([[1]]), [[0]], text)
    assert x[0, 0, COL["title_cos_last"]] == 0 and x[0, 0, COL["platform_match"]] == 0
