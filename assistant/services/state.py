"""What the service keeps between requests: one AppState per app, made and closed by its owner.

The owner is the app's lifespan (create_app), a CLI command or a test; nothing of this lives in a
module. Each loaded thing sits in a Slot with the version it was built from (an index version,
a file's modification time, a catalog stamp), so a new version is picked up on the next request
without a restart.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Generic, TypeVar

from assistant.config import Settings
from assistant.db.session import dispose_engine
from assistant.services.policy_index import PolicyIndex
from assistant.tools.arguments import Catalog
from retrieval.engine import SearchEngine
from retrieval.ranker import Ranker
from retrieval.rewrite import QueryRewriter

if TYPE_CHECKING:  # recsys takes about a second to import; the state loads models on first use
    from recsys.behavior import BehaviorModel
    from recsys.recommender import Recommender

V = TypeVar("V")


class Slot(Generic[V]):
    """One value, the version it was built from and when that version was last confirmed."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._value: V | None = None
        self._version: Hashable = None
        self._confirmed = float("-inf")  # time.monotonic() of the last confirmation

    def get(self, version: Hashable, build: Callable[[], V]) -> V:
        """The value built for version: the kept one, else build()'s (kept in its place).

        build runs under the slot's lock, so requests that race for a new version load it once.
        """
        with self._lock:
            if self._value is None or self._version != version:
                self._value, self._version = build(), version
            self._confirmed = time.monotonic()
            return self._value

    def put(self, version: Hashable, value: V) -> None:
        """Keep value as built for version (confirmed now)."""
        with self._lock:
            self._value, self._version, self._confirmed = value, version, time.monotonic()

    def recent(self, max_age_s: float) -> V | None:
        """The value if its version was confirmed (or it was built) within max_age_s, else None."""
        with self._lock:
            if self._value is not None and time.monotonic() - self._confirmed < max_age_s:
                return self._value
            return None

    def expire(self) -> None:
        """Make recent() miss until the version is confirmed again (the value is kept)."""
        with self._lock:
            self._confirmed = float("-inf")

    def clear(self) -> None:
        """Forget the value."""
        with self._lock:
            self._value, self._version, self._confirmed = None, None, float("-inf")


@dataclass(eq=False)
class AppState:
    """The loaded indexes and models of one service over one Settings; close() releases them."""

    settings: Settings
    search_engine: Slot[SearchEngine] = field(default_factory=Slot)  # by index version
    ranker: Slot[Ranker] = field(default_factory=Slot)  # by ranker version
    policy_index: Slot[PolicyIndex] = field(default_factory=Slot)  # by the files' mtimes
    catalog: Slot[Catalog] = field(default_factory=Slot)  # catalog names, read every few minutes
    rewriter: Slot[QueryRewriter] = field(default_factory=Slot)  # by catalog stamp
    recommender: Slot[Recommender] = field(default_factory=Slot)  # by its metrics' mtime
    purchase_model: Slot[BehaviorModel] = field(default_factory=Slot)  # "
    churn_model: Slot[BehaviorModel] = field(default_factory=Slot)  # "

    def slots(self) -> list[Slot]:
        """Every slot of the state."""
        return [v for v in vars(self).values() if isinstance(v, Slot)]

    def close(self) -> None:
        """Drop what is loaded and close the database's pooled connections (at shutdown)."""
        for slot in self.slots():
            slot.clear()
        dispose_engine(self.settings.effective_database_url)

    def __enter__(self) -> AppState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
