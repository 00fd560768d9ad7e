"""The demo store ships its own policy so search_policy works on a fresh data directory."""

from __future__ import annotations

from assistant.demo import ensure_demo_policy
from assistant.services.policy import policy_files, search_policy
from assistant.services.state import AppState


def test_demo_policy_installed_once_and_searchable(settings):
    assert policy_files(settings) == []
    ensure_demo_policy(settings)
    files = policy_files(settings)
    assert [f.name for f in files] == ["demo_policy.md"]
    ensure_demo_policy(settings)  # idempotent
    assert policy_files(settings) == files
    hits = search_policy(AppState(settings), "can I cancel my order after it was packed?", k=3)
    assert any("cancel" in h["heading"].lower() for h in hits), hits
