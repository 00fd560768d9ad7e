"""What a tool may know about the caller: the session, never the model's say-so."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from sqlalchemy.orm import Session

from assistant.config import SearchMode, Settings
from assistant.services.state import AppState


class ToolFailure(Exception):
    """A tool could not do what was asked; its message goes back to the model as the result."""


@dataclass
class ToolContext:
    """The session a tool runs in: the app's state (settings, loaded indexes and models), the
    database, and the shopper from the API key."""

    state: AppState
    db: Session
    user_id: str | None = None  # the shopper; from the authenticated session only
    role: str = "widget"
    conversation_id: str | None = None
    key_id: int | None = None  # the API key: an anonymous widget key owns its own cart
    # the price each product was shown at in this conversation: a cart add reports a change
    shown_prices: dict[str, float] = dataclass_field(default_factory=dict)
    # how this turn searches products (an experiment arm's choice; None: the settings')
    search_mode: SearchMode | None = None
    search_learned: bool | None = None

    @property
    def settings(self) -> Settings:
        """The settings of the app the tool runs in."""
        return self.state.settings

    def require_user(self) -> str:
        """The session's shopper, or a failure the model can explain (anonymous session)."""
        if not self.user_id:
            raise ToolFailure("this needs a signed-in shopper; the session is anonymous")
        return self.user_id

    @property
    def order_scope(self) -> str | None:
        """Whose orders are visible: the shopper's own for widgets, any (None) for agents."""
        if self.role in ("agent", "admin"):
            return None
        return self.user_id or ""


def field(obj: Any, *names: str, default: Any = None) -> Any:
    """First present attribute or key among names (engine results are dataclasses or dicts)."""
    for name in names:
        if isinstance(obj, dict) and name in obj:
            return obj[name]
        if hasattr(obj, name):
            return getattr(obj, name)
    return default
