"""The options one import runs with (shared by readers and row builders)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class LoadOptions:
    """Where to read from, how to map columns, and per-import scratch state."""

    path: Path
    source: str
    mapping: dict[str, str] = field(default_factory=dict)
    progress: bool = False
    currency: str = "INR"
    state: dict[str, Any] = field(default_factory=dict)  # e.g. a bound column Resolver
