"""Shared fixtures: a throw-away data directory and Settings, and the shared data folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.config import Settings

SHARED_DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip the test with a reason when it is absent."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED_DATA}")
    return SHARED_DATA


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings on a fresh data directory with a SQLite database inside it."""
    return Settings(data_dir=tmp_path / "var", database_url="")
