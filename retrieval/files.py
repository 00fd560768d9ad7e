"""Plain files of the evaluation contract: corpus JSONL, queries / qrels / run TSV; the strict
JSON Lines reader the project's other case and label files use too."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from retrieval.corpus import ProductDoc


class InputFileError(ValueError):
    """A malformed input file; the message names the file and line."""


def json_lines(
    path: str | Path, error: Callable[[str], Exception] = InputFileError
) -> Iterator[tuple[int, Any]]:
    """(line number, value) of every non-blank line of a JSON Lines file; a line that is not
    JSON raises error("path:line: not valid JSON (why)")."""
    with Path(path).open(encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if line.strip():
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise error(f"{path}:{n}: not valid JSON ({exc.msg})") from None
                yield n, value


def _float_or_none(value: object, where: str, name: str) -> float | None:
    if value is None or value == "":
        return None
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputFileError(f"{where}: {name} must be a number, got {value!r}") from None


def doc_from_record(rec: dict, where: str = "record") -> ProductDoc:
    """A ProductDoc from a corpus JSON object (product_id and title required)."""
    if not isinstance(rec, dict):
        raise InputFileError(f"{where}: expected a JSON object")
    pid, title = rec.get("product_id"), rec.get("title")
    if pid is None or str(pid).strip() == "":
        raise InputFileError(f"{where}: missing product_id")
    if not isinstance(title, str) or not title.strip():
        raise InputFileError(f"{where}: missing or empty title")
    in_stock = rec.get("in_stock", True)
    return ProductDoc(
        product_id=str(pid),
        title=title,
        description=str(rec.get("description") or ""),
        category=str(rec.get("category") or ""),
        brand=str(rec.get("brand") or ""),
        price=_float_or_none(rec.get("price"), where, "price"),
        rating=_float_or_none(rec.get("rating"), where, "rating"),
        in_stock=bool(in_stock) if not isinstance(in_stock, str) else in_stock.lower() != "false",
        group_id=str(rec.get("group_id") or ""),
    )


def read_corpus(path: str | Path) -> list[ProductDoc]:
    """Read CORPUS.jsonl; raises InputFileError naming the line of a bad row or duplicate id."""
    path = Path(path)
    docs: list[ProductDoc] = []
    seen: dict[str, int] = {}
    for lineno, rec in json_lines(path):
        where = f"{path}:{lineno}"
        doc = doc_from_record(rec, where)
        if doc.product_id in seen:
            raise InputFileError(
                f"{where}: duplicate product_id {doc.product_id!r} (first on line {seen[doc.product_id]})"
            )
        seen[doc.product_id] = lineno
        docs.append(doc)
    if not docs:
        raise InputFileError(f"{path}: no products")
    return docs


def read_queries(path: str | Path) -> list[tuple[str, str]]:
    """Read QUERIES.tsv (qid<TAB>query, no header)."""
    path = Path(path)
    out: list[tuple[str, str]] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            qid, sep, query = line.partition("\t")
            if not sep or not qid.strip():
                raise InputFileError(f"{path}:{lineno}: expected qid<TAB>query")
            out.append((qid.strip(), query.strip()))
    if not out:
        raise InputFileError(f"{path}: no queries")
    return out


def read_qrels(path: str | Path) -> dict[str, dict[str, float]]:
    """Read labels (qid<TAB>product_id<TAB>grade) into {qid: {product_id: grade}}."""
    path = Path(path)
    qrels: dict[str, dict[str, float]] = {}
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            if not line.strip():
                continue
            fields = line.rstrip("\n").split("\t")
            if len(fields) != 3:
                raise InputFileError(f"{path}:{lineno}: expected qid<TAB>product_id<TAB>grade")
            grade = _float_or_none(fields[2], f"{path}:{lineno}", "grade")
            qrels.setdefault(fields[0], {})[fields[1]] = grade or 0.0
    return qrels


def read_run(path: str | Path) -> dict[str, list[str]]:
    """Read a RUN.tsv back into {qid: [product_id, ...]} ordered by rank."""
    rows: dict[str, list[tuple[int, str]]] = {}
    with Path(path).open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            fields = line.rstrip("\n").split("\t")
            if len(fields) < 3:
                raise InputFileError(f"{path}:{lineno}: expected qid<TAB>product_id<TAB>rank")
            rows.setdefault(fields[0], []).append((int(fields[2]), fields[1]))
    return {q: [p for _, p in sorted(r)] for q, r in rows.items()}


def write_run(path: str | Path, results: Iterable[tuple[str, list[tuple[str, float]]]]) -> int:
    """Write qid<TAB>product_id<TAB>rank<TAB>score lines; returns the number of lines."""
    n = 0
    with Path(path).open("w", encoding="utf-8") as fh:
        for qid, hits in results:
            for rank, (pid, score) in enumerate(hits, 1):
                fh.write(f"{qid}\t{pid}\t{rank}\t{score:.6f}\n")
                n += 1
    return n
