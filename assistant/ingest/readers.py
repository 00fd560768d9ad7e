"""Streaming readers that know line numbers: CSV/TSV, JSON Lines and whole-JSON files.

Every parse failure (broken quote, wrong field count, truncated line, invalid UTF-8, invalid
JSON) raises IngestError naming the file and the line where the bad record starts.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tqdm import tqdm

from assistant.ingest.report import IngestError
from assistant.jsontypes import JsonObject

# A broken quote can swallow the rest of a file into one field; the limit bounds that.
csv.field_size_limit(16 * 1024 * 1024)


@contextmanager
def progress_bar(path: Path, enabled: bool) -> Iterator[Any]:
    """A tqdm byte-progress bar for reading path (a no-op object when disabled)."""
    with tqdm(
        total=path.stat().st_size,
        unit="B",
        unit_scale=True,
        desc=path.name,
        disable=not enabled,
        leave=False,
    ) as bar:
        yield bar


def text_lines(path: Path, bar: Any = None) -> Iterator[str]:
    """The file's lines decoded as UTF-8 (BOM dropped); invalid bytes fail with the line number."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, 1):
            if bar is not None:
                bar.update(len(raw))
            try:
                yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise IngestError(
                    path,
                    number,
                    f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1}); "
                    "save the file as UTF-8",
                ) from None


def csv_records(
    path: Path,
    *,
    delimiter: str = ",",
    header: bool = True,
    names: list[str] | None = None,
    progress: bool = False,
    extra_fields: str = "error",
) -> Iterator[tuple[int, dict[str, str]]]:
    """(start line, {column: value}) per CSV record; blank lines are ignored.

    extra_fields="error" fails a record with more fields than the header; "merge-empty" drops
    surplus fields that are empty (a stray delimiter) and keeps the last one as the last column.
    A record with fewer fields than the header is a truncated line and always fails.
    Without a header, `names` gives the columns (and so the field count every record must have).
    """
    with progress_bar(path, progress) as bar:
        reader = csv.reader(text_lines(path, bar), delimiter=delimiter, strict=True)
        columns: list[str] | None = None
        while True:
            start = reader.line_num + 1
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise IngestError(
                    path, start, f"malformed CSV record starting here: {exc}"
                ) from None
            if not fields or fields == [""]:
                continue
            if columns is None:
                if header:
                    columns = [c.strip() for c in fields]
                    if len(set(columns)) != len(columns):
                        raise IngestError(
                            path, start, f"duplicate column names in header {columns}"
                        )
                    continue
                columns = names or [str(i) for i in range(len(fields))]
            yield start, _align(path, start, columns, fields, extra_fields)


def _align(
    path: Path, line: int, columns: list[str], fields: list[str], extra_fields: str
) -> dict[str, str]:
    n, m = len(columns), len(fields)
    if m < n:
        raise IngestError(
            path,
            line,
            f"expected {n} fields, found {m}: the line is truncated or a quote is broken",
        )
    if m > n:
        surplus = fields[n - 1 : -1]
        if extra_fields != "merge-empty" or any(f.strip() for f in surplus):
            raise IngestError(path, line, f"expected {n} fields, found {m}")
        fields = fields[: n - 1] + [fields[-1]]
        record = dict(zip(columns, fields, strict=True))
        record["__extra_fields__"] = str(m - n)
        return record
    return dict(zip(columns, fields, strict=True))


def jsonl_records(path: Path, *, progress: bool = False) -> Iterator[tuple[int, JsonObject]]:
    """(line, object) per JSON Lines record; blank lines are ignored."""
    with progress_bar(path, progress) as bar:
        for number, line in enumerate(text_lines(path, bar), 1):
            if not line.strip():
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise IngestError(
                    path, number, f"invalid JSON: {exc.msg} at column {exc.colno}"
                ) from None
            if not isinstance(value, dict):
                raise IngestError(
                    path, number, f"expected a JSON object, found {type(value).__name__}"
                )
            yield number, value


def json_document(path: Path) -> Any:
    """A whole JSON file, parsed; errors name the line and column."""
    text = "".join(text_lines(path))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(
            path, exc.lineno, f"invalid JSON: {exc.msg} at column {exc.colno}"
        ) from None


def _starts_with_array(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head.startswith(b"[")


def json_array_records(path: Path) -> Iterator[tuple[int, JsonObject]]:
    """(position, object) per element of a JSON array file (positions count from 1)."""
    document = json_document(path)
    for number, value in enumerate(document, 1):
        if not isinstance(value, dict):
            raise IngestError(
                path, f"element {number}", f"expected a JSON object, found {type(value).__name__}"
            )
        yield number, value


def records(path: Path, *, progress: bool = False) -> Iterator[tuple[int, JsonObject]]:
    """CSV/TSV, JSON Lines or JSON-array records chosen by the file extension and content."""
    suffix = path.suffix.lower()
    if suffix == ".json" and _starts_with_array(path):
        return json_array_records(path)
    if suffix in {".jsonl", ".ndjson", ".json"}:
        return jsonl_records(path, progress=progress)
    delimiter = "\t" if suffix in {".tsv", ".tab"} else ","
    return csv_records(path, delimiter=delimiter, progress=progress)
