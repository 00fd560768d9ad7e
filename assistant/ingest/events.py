"""Behaviour-event loaders: generic CSV/JSONL, taobao UserBehavior, recbole .inter."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

from assistant.db.models import EVENT_TYPES, PRODUCT_EVENT_TYPES
from assistant.ingest.catalog import read_recbole_tsv
from assistant.ingest.clean import Cleaner, parse_timestamp
from assistant.ingest.formats import EVENT_ALIASES, Resolver
from assistant.ingest.options import LoadOptions
from assistant.ingest.readers import csv_records, records
from assistant.ingest.report import SkipRow
from assistant.ingest.writer import EventRec
from assistant.jsontypes import JsonObject

Raw = tuple[str, Any]

TYPE_ALIASES = {
    **{t: t for t in EVENT_TYPES},
    "pv": "view",
    "page_view": "view",
    "pageview": "view",
    "detail": "view",
    "buy": "purchase",
    "order": "purchase",
    "transaction": "purchase",
    "addtocart": "cart",
    "add_to_cart": "cart",
    "favorite": "fav",
    "favourite": "fav",
    "wishlist": "fav",
    "rating": "review",
    "rate": "review",
    "page_visit": "page",
    "screen_view": "page",
}
# Sequence files carry order but no times: event k of a user is stamped SEQUENCE_EPOCH + k minutes.
SEQUENCE_EPOCH = datetime(2018, 1, 1)


def event_type(clean: Cleaner, value: Any) -> str:
    """A canonical event type (view/click/cart/fav/purchase/search) or SkipRow."""
    word = clean.text(value).lower().replace("-", "_").replace(" ", "_")
    if not word:
        raise SkipRow("missing required field 'type'")
    if word not in TYPE_ALIASES:
        raise SkipRow(f"unknown event type {value!r} (valid: {', '.join(EVENT_TYPES)})")
    return TYPE_ALIASES[word]


def stable_event_id(*parts: Any) -> str:
    """A client event id derived from the event's content (same row -> same id)."""
    return hashlib.sha1("\x1f".join(str(p) for p in parts).encode()).hexdigest()[:32]


def event_row(
    clean: Cleaner,
    opts: LoadOptions,
    *,
    user_id: Any,
    product_id: Any,
    type: Any,
    ts: Any,
    dwell_seconds: Any = None,
    session_id: Any = "",
    query: Any = "",
    category_id: Any = "",
    client_event_id: Any = "",
    page: Any = "",
    value: Any = None,
) -> dict[str, Any]:
    """A cleaned events-table row; the client event id is derived from the content if absent."""
    user = clean.required(user_id, "user_id")[:64]
    kind = event_type(clean, type)
    product = clean.text(product_id)[:64] or None
    if product is None and kind in PRODUCT_EVENT_TYPES:
        raise SkipRow(f"missing required field 'product_id' for a {kind} event")
    when = parse_timestamp(ts)
    dwell = clean.number(dwell_seconds, "dwell_seconds")
    if dwell is not None and dwell < 0:
        raise SkipRow(f"negative dwell_seconds {dwell}")
    session, text, category = clean.text(session_id), clean.text(query), clean.text(category_id)
    where, amount = clean.text(page), clean.number(value, "value")
    parts: list[Any] = [user, product, kind, when.isoformat(), session, text, dwell]
    if where or amount is not None:  # ids of events without them stay as they were
        parts += [where, amount]
    cid = clean.text(client_event_id) or stable_event_id(*parts)
    return {
        "user_id": user,
        "product_id": product,
        "type": kind,
        "ts": when,
        "dwell_seconds": dwell,
        "session_id": session[:64],
        "query": text[:512],
        "category_id": category[:64],
        "source": opts.source[:32],
        "client_event_id": cid[:128],
        "page": where[:512],
        "value": amount,
    }


# --- generic CSV / JSON Lines -----------------------------------------------------------------


def read_generic(opts: LoadOptions) -> Iterator[Raw]:
    """Records of a CSV/TSV/JSONL event log (format chosen by extension)."""
    for line, record in records(opts.path, progress=opts.progress):
        yield f"line {line}", (line, record)


def build_generic(raw: tuple[int, JsonObject], clean: Cleaner, opts: LoadOptions) -> EventRec:
    """An event through the column mapping."""
    line, record = raw
    res: Resolver = opts.state.setdefault("resolver", Resolver(EVENT_ALIASES, opts.mapping))
    res.bind(opts.path, line, record)
    return EventRec(
        event_row(clean, opts, **{name: res.get(record, name) for name in EVENT_ALIASES})
    )


# --- taobao UserBehavior ----------------------------------------------------------------------

TAOBAO_COLUMNS = ["user_id", "item_id", "category_id", "behavior", "timestamp"]


def read_taobao(opts: LoadOptions) -> Iterator[Raw]:
    """Header-less `user_id,item_id,category_id,behavior,timestamp` rows."""
    for line, record in csv_records(
        opts.path, header=False, names=TAOBAO_COLUMNS, progress=opts.progress
    ):
        yield f"line {line}", record


def build_taobao(record: dict[str, str], clean: Cleaner, opts: LoadOptions) -> EventRec:
    """pv -> view, buy -> purchase, cart, fav; unix-second timestamps."""
    return EventRec(
        event_row(
            clean,
            opts,
            user_id=record["user_id"],
            product_id=record["item_id"],
            type=record["behavior"],
            ts=record["timestamp"],
            category_id=record["category_id"],
        )
    )


# --- recbole .inter ---------------------------------------------------------------------------


def read_recbole_inter(opts: LoadOptions) -> Iterator[Raw]:
    """RecBole interaction records (standard or `user_id, item_id_list, item_id` sequences)."""
    for line, record in read_recbole_tsv(opts):
        yield f"line {line}", record


def _next_position(opts: LoadOptions, user: str, n: int = 1) -> int:
    positions: dict[str, int] = opts.state.setdefault("positions", {})
    start = positions.get(user, 0)
    positions[user] = start + n
    return start


def build_recbole_inter(
    record: dict[str, str], clean: Cleaner, opts: LoadOptions
) -> list[EventRec]:
    """Purchase events in file order; a sequence row expands to its history then its next item."""
    user = clean.required(record.get("user_id"), "user_id")
    if "item_id_list" in record:
        items = clean.text(record.get("item_id_list")).split() + [
            clean.required(record.get("item_id"), "item_id")
        ]
        start = _next_position(opts, user, len(items))
        stamps: list[Any] = [
            SEQUENCE_EPOCH + timedelta(minutes=start + k) for k in range(len(items))
        ]
    else:
        items = [clean.required(record.get("item_id"), "item_id")]
        if record.get("timestamp"):
            stamps = [record["timestamp"]]
        else:
            stamps = [SEQUENCE_EPOCH + timedelta(minutes=_next_position(opts, user))]
    return [
        EventRec(event_row(clean, opts, user_id=user, product_id=item, type="purchase", ts=when))
        for item, when in zip(items, stamps, strict=True)
    ]
