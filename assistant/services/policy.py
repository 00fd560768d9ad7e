"""The store's policy / FAQ: its files, installing one, and the `search_policy` tool.

The passages and their search index (BM25 and MiniLM embeddings, fused) are in policy_index.py;
the app's state keeps the index of the current files, rebuilt when a file changes.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.config import Settings
from assistant.errors import Invalid, Unavailable
from assistant.services.policy_gloss import gloss
from assistant.services.policy_index import (  # noqa: F401 - re-exported for callers
    SEARCH_MODES,
    Passage,
    PolicyIndex,
    PolicySearchConfig,
    slug,
    split_passages,
)
from assistant.services.records import PassageView
from assistant.services.state import AppState


class PolicyMissing(Unavailable, FileNotFoundError):
    """No policy document is installed (HTTP 503; the message says how to install one)."""

    code = "policy_missing"


def policy_files(settings: Settings) -> list[Path]:
    """The policy documents: settings.policy_path (a file or folder) or data_dir/policy/*.md."""
    root = Path(settings.policy_path) if settings.policy_path else settings.path("policy")
    if root.is_file():
        return [root]
    return sorted(p for p in root.glob("*.md") if p.is_file()) if root.is_dir() else []


def install_policy(settings: Settings, source: Path) -> Path:
    """Copy a policy markdown file into data_dir/policy/ (what `ingest policy` does)."""
    if not source.is_file():
        raise FileNotFoundError(f"{source}: no such file")
    text = source.read_text(encoding="utf-8")
    if not split_passages(text, source.stem):
        raise ValueError(f"{source}: no passages found (empty document?)")
    dest = settings.path("policy")
    dest.mkdir(parents=True, exist_ok=True)
    target = dest / source.name
    shutil.copyfile(source, target)
    return target


def load_passages(settings: Settings) -> list[Passage]:
    """All passages of all policy documents."""
    out: list[Passage] = []
    for f in policy_files(settings):
        out.extend(split_passages(f.read_text(encoding="utf-8"), f.stem))
    return out


def _files(settings: Settings) -> list[Path]:
    files = policy_files(settings)
    if not files:
        raise PolicyMissing(
            "no policy documents: run `shopassist ingest policy PATH` or set SHOPASSIST_POLICY_PATH"
        )
    return files


def build_policy_index(settings: Settings, config: PolicySearchConfig | None = None) -> PolicyIndex:
    """A new index over the current policy files (PolicyMissing when there are none)."""
    _files(settings)
    config = config or PolicySearchConfig()
    embedder = settings.embedder_path if config.mode == "bm25" else settings.embedder_config()
    return PolicyIndex(load_passages(settings), embedder, config)


def get_policy_index(state: AppState) -> PolicyIndex:
    """The state's index of the current policy files (rebuilt when a file changes)."""
    settings = state.settings
    version = tuple((str(f), f.stat().st_mtime_ns) for f in _files(settings))
    return state.policy_index.get(version, lambda: build_policy_index(settings))


def search_policy(state: AppState, question: str, k: int = 3) -> list[PassageView]:
    """The `search_policy` tool: the k passages that best answer question, with ids and headings."""
    if not 1 <= k <= 20:
        raise Invalid("k must be between 1 and 20")
    return [p.as_dict(s, h) for p, s, h in get_policy_index(state).highlighted(gloss(question), k)]


def section_rest(state: AppState, passage_id: str) -> list[PassageView]:
    """The other passages under the same headings as passage_id, in the document's order: the
    rest of the rule the best passage belongs to (a section's answering clause is often not the
    one closest to the question in words)."""
    passages = get_policy_index(state).passages
    best = next((p for p in passages if p.id == passage_id), None)
    if best is None:
        return []
    return [p.as_dict() for p in passages if p.path == best.path and p.id != passage_id]
