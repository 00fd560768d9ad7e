"""One import: read a file with a format's loader, clean, dedupe, write in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from assistant.ingest import catalog, events, orders
from assistant.ingest.clean import Cleaner
from assistant.ingest.options import LoadOptions
from assistant.ingest.report import IngestError, IngestReport, SkipRow
from assistant.ingest.writer import (
    CHUNK,
    EventRec,
    OrderRec,
    ProductRec,
    UserRec,
    count_events,
    ensure_users,
    write_events,
    write_orders,
    write_products,
    write_users,
)

KINDS = ("catalog", "events", "orders")


@dataclass(frozen=True)
class Loader:
    """A file format of one kind: how to read its records and build table rows from them."""

    read: Callable[[LoadOptions], Iterator[tuple[str, Any]]]
    build: Callable[[Any, Cleaner, LoadOptions], Any]
    help: str


LOADERS: dict[str, dict[str, Loader]] = {
    "catalog": {
        "csv": Loader(catalog.read_generic, catalog.build_generic, "CSV/TSV with --mapping"),
        "jsonl": Loader(catalog.read_generic, catalog.build_generic, "JSON Lines with --mapping"),
        "bigbasket": Loader(
            catalog.read_bigbasket, catalog.build_bigbasket, "BigBasket products CSV"
        ),
        "homedepot": Loader(
            catalog.read_homedepot, catalog.build_homedepot, "Home Depot judgments"
        ),
        "recbole": Loader(catalog.read_recbole_item, catalog.build_recbole_item, "RecBole .item"),
        "retail-orders": Loader(
            catalog.read_retail_products,
            catalog.build_retail_product,
            "retail_orders/products.json",
        ),
    },
    "events": {
        "csv": Loader(events.read_generic, events.build_generic, "CSV/TSV with --mapping"),
        "jsonl": Loader(events.read_generic, events.build_generic, "JSON Lines with --mapping"),
        "taobao": Loader(events.read_taobao, events.build_taobao, "Taobao UserBehavior CSV"),
        "recbole": Loader(
            events.read_recbole_inter, events.build_recbole_inter, "RecBole .inter (purchases)"
        ),
    },
    "orders": {
        "jsonl": Loader(orders.read_generic, orders.build_generic, "one order per JSON line"),
        "retail-orders": Loader(
            orders.read_retail_orders, orders.build_retail, "retail_orders/ users + orders"
        ),
    },
}


def loader_for(kind: str, fmt: str) -> Loader:
    """The loader of kind/fmt; unknown names list the valid ones."""
    if kind not in LOADERS:
        raise ValueError(f"unknown kind {kind!r}; valid: {', '.join(KINDS)}")
    if fmt not in LOADERS[kind]:
        raise ValueError(f"unknown {kind} format {fmt!r}; valid: {', '.join(LOADERS[kind])}")
    return LOADERS[kind][fmt]


def _fingerprint(rec: Any) -> int:
    # In-process hash of the record's full content: equal only for exact duplicates.
    return hash(repr(vars(rec)))


class _Batch:
    """Buffers built records, dedupes them, and flushes them through the writers."""

    def __init__(self, session: Session, report: IngestReport) -> None:
        self.session, self.report = session, report
        self.pending: dict[tuple[str, str], Any] = {}
        self.seen: dict[tuple[str, str], int] = {}
        self.events_written = 0

    def add(self, rec: Any) -> None:
        key = (type(rec).__name__, rec.key)
        digest = _fingerprint(rec)
        previous = self.seen.get(key)
        if previous == digest:
            self.report.duplicates += 1
            return
        if previous is not None:
            self.report.replaced += 1
        self.seen[key] = digest
        self.pending[key] = rec
        if len(self.pending) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        recs = list(self.pending.values())
        self.pending.clear()
        by_type: dict[type, list[Any]] = {}
        for rec in recs:
            by_type.setdefault(type(rec), []).append(rec)
        report, session = self.report, self.session
        if users := by_type.get(UserRec):
            write_users(session, [r.row for r in users])
            report.related["users"] += len(users)
        if products := by_type.get(ProductRec):
            report.related["variants"] += write_products(session, products)
        if evs := by_type.get(EventRec):
            ensure_users(session, (r.row["user_id"] for r in evs))
            write_events(session, evs)
            self.events_written += len(evs)
        if ords := by_type.get(OrderRec):
            full = {r.user["id"]: r.user for r in ords if r.user}
            if full:
                write_users(session, list(full.values()))
                report.related["users"] += len(full)
            ensure_users(session, (r.row["user_id"] for r in ords))
            report.related["order items"] += write_orders(session, ords)
        report.related = +report.related  # drop zero counts


def ingest(
    session: Session,
    kind: str,
    path: Path | str,
    fmt: str,
    *,
    mapping: dict[str, str] | None = None,
    strict: bool = False,
    source: str | None = None,
    progress: bool = False,
    currency: str = "INR",
) -> IngestReport:
    """Import one file into session's database; commits on success, writes nothing on failure."""
    path = Path(path)
    loader = loader_for(kind, fmt)
    if not path.exists():
        raise IngestError(path, "file", "no such file or directory")
    opts = LoadOptions(path, source or fmt, dict(mapping or {}), progress, currency)
    report = IngestReport(kind=kind, fmt=fmt, path=str(path), source=opts.source)
    started = time.perf_counter()
    clean = Cleaner()
    batch = _Batch(session, report)
    try:
        events_before = count_events(session, opts.source) if kind == "events" else 0
        for where, raw in loader.read(opts):
            report.read += 1
            clean.reset()
            try:
                built = loader.build(raw, clean, opts)
            except SkipRow as exc:
                if strict:
                    raise IngestError(path, where, f"{exc} (--strict)") from None
                report.skip(where, str(exc))
                continue
            if clean.fixes:
                report.cleaned += 1
                report.fixes.update(clean.fixes)
            for rec in built if isinstance(built, list) else [built]:
                batch.add(rec)
        batch.flush()
        # distinct keys written (a repeated id is one row, updated in place)
        main = {"catalog": "ProductRec", "orders": "OrderRec"}.get(kind)
        report.loaded = sum(1 for rec_type, _ in batch.seen if rec_type == main)
        if kind == "events":
            report.loaded = count_events(session, opts.source) - events_before
            report.already_present = batch.events_written - report.loaded
        session.commit()
    except BaseException:
        session.rollback()
        raise
    report.seconds = time.perf_counter() - started
    return report
