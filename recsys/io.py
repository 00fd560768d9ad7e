"""Readers and writers of the evaluation files (EVAL.md) and the RecBole Games files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path


class FormatError(ValueError):
    """A malformed input file, reported with its path and line number."""


def read_items(path: str | Path) -> tuple[list[str], dict[str, str]]:
    """ITEMS.tsv: item_id<TAB>title, optional header whose first field starts with item_id."""
    ids: list[str] = []
    titles: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n\r")
            if not line.strip():
                continue
            fields = line.split("\t")
            if n == 1 and fields[0].startswith("item_id"):
                continue
            item = fields[0].strip()
            if not item:
                raise FormatError(f"{path}:{n}: empty item id")
            if item in titles:
                raise FormatError(f"{path}:{n}: duplicate item id {item!r}")
            ids.append(item)
            titles[item] = fields[1] if len(fields) > 1 else ""
    return ids, titles


def read_sequences(path: str | Path) -> dict[str, list[str]]:
    """SEQS.tsv: user_id<TAB>space-separated item ids, oldest first, no header."""
    seqs: dict[str, list[str]] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n\r")
            if not line.strip():
                continue
            fields = line.split("\t")
            if len(fields) != 2:
                raise FormatError(
                    f"{path}:{n}: expected user_id<TAB>items, got {len(fields)} fields"
                )
            user, items = fields[0].strip(), fields[1].split()
            if not user:
                raise FormatError(f"{path}:{n}: empty user id")
            if user in seqs:
                raise FormatError(f"{path}:{n}: duplicate user id {user!r}")
            seqs[user] = items
    return seqs


def write_recommendations(
    path: str | Path, users: Sequence[str], recs: Sequence[Sequence[str]]
) -> None:
    """RECS.tsv: user_id<TAB>item_id<TAB>rank (1-based, best first)."""
    with open(path, "w", encoding="utf-8") as f:
        for user, items in zip(users, recs, strict=True):
            for rank, item in enumerate(items, 1):
                f.write(f"{user}\t{item}\t{rank}\n")


def read_recommendations(path: str | Path) -> dict[str, list[str]]:
    """RECS.tsv back into {user: [item, ...]} in rank order."""
    out: dict[str, list[tuple[int, str]]] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3:
                raise FormatError(f"{path}:{n}: expected user_id<TAB>item_id<TAB>rank")
            out.setdefault(fields[0], []).append((int(fields[2]), fields[1]))
    return {u: [i for _, i in sorted(v)] for u, v in out.items()}


def read_recbole_inter(path: str | Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """RecBole `user_id<TAB>item_id_list<TAB>item_id` -> (histories, next item per user)."""
    hist: dict[str, list[str]] = {}
    target: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            fields = line.rstrip("\n").split("\t")
            if n == 1 and fields[0].startswith("user_id"):
                continue
            if len(fields) != 3:
                raise FormatError(f"{path}:{n}: expected 3 tab-separated fields")
            hist[fields[0]] = fields[1].split()
            target[fields[0]] = fields[2].strip()
    return hist, target


def write_sequences(path: str | Path, seqs: Mapping[str, Sequence[str]]) -> None:
    """Write SEQS.tsv."""
    with open(path, "w", encoding="utf-8") as f:
        for user, items in seqs.items():
            f.write(f"{user}\t{' '.join(items)}\n")


def write_items(path: str | Path, titles: Mapping[str, str]) -> None:
    """Write ITEMS.tsv with a header."""
    with open(path, "w", encoding="utf-8") as f:
        f.write("item_id\ttitle\n")
        for item, title in titles.items():
            f.write(f"{item}\t{title}\n")
