"""Versioned index directories with an atomically swapped CURRENT pointer.

A new version is written into a temporary directory, renamed into versions/, and only then
does CURRENT (replaced with os.replace) point at it; a reader never sees a half-built index.
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Callable
from pathlib import Path

POINTER = "CURRENT"
KEEP_VERSIONS = 2


class IndexNotReady(RuntimeError):
    """The index cannot be used; the message says why."""


class IndexMissing(IndexNotReady):
    """No index has been built under this directory."""


class IndexCorrupt(IndexNotReady):
    """An index exists but cannot be read."""


def current_version(root: str | Path, what: str = "search index") -> Path:
    """The directory CURRENT points at; IndexMissing / IndexCorrupt when there is none (the
    messages name `what` is published there)."""
    root = Path(root)
    pointer = root / POINTER
    if not pointer.is_file():
        raise IndexMissing(f"no {what} under {root}")
    return version_dir(root, pointer.read_text().strip(), str(pointer))


def version_dir(root: str | Path, name: str, pointer: str = "the pointer") -> Path:
    """The directory of version name under root; IndexCorrupt when it is not there."""
    path = Path(root) / "versions" / name
    if not name or "/" in name or not path.is_dir():
        raise IndexCorrupt(f"{pointer} points at a missing version {name!r}")
    return path


def write_version(root: str | Path, write: Callable[[Path], None]) -> Path:
    """Call write(tmp_dir), then publish tmp_dir as the current version; returns its path."""
    root = Path(root)
    versions = root / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    name = f"v{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:6]}"
    tmp = versions / f".tmp-{name}"
    try:
        write(tmp)
        final = versions / name
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    ptr_tmp = root / f".{POINTER}.{uuid.uuid4().hex[:6]}"
    ptr_tmp.write_text(name + "\n")
    os.replace(ptr_tmp, root / POINTER)
    _prune(versions, keep=name)
    return final


def _prune(versions: Path, keep: str) -> None:
    # keep the newest few so a reader that resolved CURRENT a moment ago can still open its version
    done = sorted((p for p in versions.iterdir() if p.name.startswith("v")), key=lambda p: p.name)
    for old in [p for p in done if p.name != keep][: max(0, len(done) - KEEP_VERSIONS)]:
        shutil.rmtree(old, ignore_errors=True)
    for stale in versions.glob(".tmp-*"):
        if time.time() - stale.stat().st_mtime > 3600:  # an aborted writer's leftovers
            shutil.rmtree(stale, ignore_errors=True)
