"""What an experiment arm may change in a chat turn, read from its settings (name -> value).

    variant_of({"planner": "model", "adapter": "general", "search_mode": "bm25"}, adapters)

The same reading checks an arm when the experiment is created (every name and value, adapters
among those known) and applies it to each turn (a stored arm; its adapter may have gone since:
the turn then plans without it, as when a model cannot load).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Literal, get_args

from assistant.config import SearchMode
from assistant.errors import Invalid

Planner = Literal["rules", "model"]
WriterChoice = Literal["templates", "model"]
BOOLEANS = {"true": True, "false": False}


@dataclass(frozen=True)
class Variant:
    """An arm's changes to a turn: who plans (rules | model), with which LoRA adapter, who
    writes (templates | model), how products are searched (mode, learned reranker on/off) and
    whether the shopper has the assistant at all; None keeps the service's settings."""

    planner: Planner | None = None
    writer: WriterChoice | None = None
    adapter: str | None = None
    search_mode: SearchMode | None = None
    search_learned: bool | None = None
    assistant_enabled: bool = True


def _choice(key: str, value: str, valid: Collection[str] | None) -> str:
    """value when valid allows it (None: any non-empty value), else Invalid listing valid."""
    if valid is None and value:
        return value
    if valid is None or value not in valid:
        listed = ", ".join(valid or ()) or "none here"
        raise Invalid(f"arm setting {key}={value!r} is not valid; {key} may be: {listed}")
    return value


def variant_of(settings: Mapping[str, str], adapters: Collection[str] | None = None) -> Variant:
    """The variant an arm's settings describe; Invalid naming the valid names or values for an
    unknown setting, a bad value, or an adapter not in adapters (None: any name, a stored arm)."""
    valid: dict[str, Collection[str] | None] = {
        "planner": get_args(Planner),
        "writer": get_args(WriterChoice),
        "adapter": None if adapters is None else sorted(adapters),
        "search_mode": get_args(SearchMode),
        "search_learned": list(BOOLEANS),
        "assistant_enabled": list(BOOLEANS),
    }
    unknown = sorted(set(settings) - set(valid))
    if unknown:
        raise Invalid(
            f"unknown arm setting {', '.join(map(repr, unknown))}; an arm may set {', '.join(valid)}"
        )
    got = {k: _choice(k, v, valid[k]) for k, v in settings.items()}
    learned = got.get("search_learned")
    return Variant(
        planner=got.get("planner"),  # type: ignore[arg-type]  # checked against Planner above
        writer=got.get("writer"),  # type: ignore[arg-type]
        adapter=got.get("adapter"),
        search_mode=got.get("search_mode"),  # type: ignore[arg-type]
        search_learned=None if learned is None else BOOLEANS[learned],
        assistant_enabled=BOOLEANS[got.get("assistant_enabled", "true")],
    )
