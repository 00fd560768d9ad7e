"""services/adapter: training reads the store's policy documents unless given a text."""

import pytest

import assistant.services.adapter as adapter_service
from assistant.config import Settings


class _Stop(Exception):
    """Raised by the stand-in data builder: the test needs nothing past it."""


def _policy_passed(monkeypatch, **kwargs) -> str:
    seen: dict[str, str] = {}

    def build(rows, cfg, policy_text, real_queries):
        seen["policy"] = policy_text
        raise _Stop

    monkeypatch.setattr(adapter_service, "build_sft_data", build)
    monkeypatch.setattr(adapter_service, "store_policy_text", lambda settings: "store policy")
    with pytest.raises(_Stop):
        adapter_service.train_adapter(Settings(), [{"id": "p1"}], **kwargs)
    return seen["policy"]


def test_train_adapter_defaults_to_the_store_policy(monkeypatch):
    assert _policy_passed(monkeypatch) == "store policy"


def test_train_adapter_uses_a_given_policy_text(monkeypatch):
    assert _policy_passed(monkeypatch, policy_text="given") == "given"
