"""What an import did (read, loaded, cleaned, skipped with reasons) and how it fails."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

MAX_LISTED_SKIPS = 20


class IngestError(Exception):
    """A file that cannot be imported: names the file, the line (or record) and the reason."""

    def __init__(self, path: Path | str, where: str | int, reason: str) -> None:
        self.path, self.where, self.reason = str(path), where, reason
        loc = f"line {where}" if isinstance(where, int) else where
        super().__init__(f"{self.path}: {loc}: {reason}")


class SkipRow(Exception):
    """A row that parsed but cannot be used (a required field is missing or invalid)."""


@dataclass
class IngestReport:
    """Counts of one import; `skipped` holds (where, reason) for every skipped row."""

    kind: str
    fmt: str
    path: str
    source: str
    read: int = 0  # records parsed from the file
    loaded: int = 0  # records written (inserted or updated)
    already_present: int = 0  # events whose (source, client_event_id) was already stored
    duplicates: int = 0  # exact duplicate records dropped
    replaced: int = 0  # same id as an earlier record with different content: the later one wins
    cleaned: int = 0  # records with at least one value fixed
    fixes: Counter[str] = field(default_factory=Counter)  # fix -> number of records
    skipped: list[tuple[str, str]] = field(default_factory=list)
    related: Counter[str] = field(default_factory=Counter)  # variants, users, order items written
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def skip(self, where: str, reason: str) -> None:
        """Record a skipped row."""
        self.skipped.append((where, reason))

    def summary(self) -> str:
        """A human-readable multi-line summary (what the CLI prints)."""
        lines = [
            f"{self.kind} import of {self.path} (format {self.fmt}, source {self.source}) "
            f"in {self.seconds:.1f} s",
            f"  read {self.read}, loaded {self.loaded}, cleaned {self.cleaned}, "
            f"skipped {len(self.skipped)}, duplicates dropped {self.duplicates}"
            + (f", already present {self.already_present}" if self.kind == "events" else ""),
        ]
        if self.replaced:
            lines.append(
                f"  {self.replaced} records repeat an earlier id with other values: last kept"
            )
        if self.related:
            lines.append(
                "  also wrote " + ", ".join(f"{n} {k}" for k, n in sorted(self.related.items()))
            )
        if self.fixes:
            lines.append(
                "  cleaning: " + ", ".join(f"{k} ({n})" for k, n in self.fixes.most_common())
            )
        for where, reason in self.skipped[:MAX_LISTED_SKIPS]:
            lines.append(f"  skipped {where}: {reason}")
        if len(self.skipped) > MAX_LISTED_SKIPS:
            lines.append(f"  ... and {len(self.skipped) - MAX_LISTED_SKIPS} more skipped rows")
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data."""
        return {
            "kind": self.kind,
            "format": self.fmt,
            "path": self.path,
            "source": self.source,
            "read": self.read,
            "loaded": self.loaded,
            "already_present": self.already_present,
            "duplicates": self.duplicates,
            "replaced": self.replaced,
            "cleaned": self.cleaned,
            "fixes": dict(self.fixes),
            "skipped": [{"where": w, "reason": r} for w, r in self.skipped],
            "related": dict(self.related),
            "notes": list(self.notes),
            "seconds": round(self.seconds, 3),
        }
