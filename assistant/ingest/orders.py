"""Order loaders: retail-orders (users.json + orders.json) and generic JSON Lines orders."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from assistant.db.models import ORDER_STATUSES, utcnow
from assistant.ingest.catalog import retail_file
from assistant.ingest.clean import Cleaner, parse_timestamp
from assistant.ingest.options import LoadOptions
from assistant.ingest.readers import json_document, records
from assistant.ingest.report import IngestError, SkipRow
from assistant.ingest.writer import OrderRec, UserRec
from assistant.jsontypes import JsonObject

Raw = tuple[str, Any]


def user_row(
    clean: Cleaner, user_id: Any, name: Any = "", email: Any = "", attributes: Any = None
) -> dict[str, Any]:
    """A cleaned users-table row."""
    return {
        "id": clean.required(user_id, "user_id")[:64],
        "name": clean.text(name)[:255],
        "email": clean.text(email)[:255],
        "attributes": attributes if isinstance(attributes, dict) else {},
        "created_at": utcnow(),
    }


def order_rec(clean: Cleaner, opts: LoadOptions, entry: JsonObject) -> OrderRec:
    """An order and its items from a record shaped like retail-orders (or the generic format)."""
    oid = clean.required(entry.get("order_id") or entry.get("id"), "order_id")[:64]
    status = clean.text(entry.get("status")).lower()
    if status not in ORDER_STATUSES:
        raise SkipRow(
            f"unknown order status {entry.get('status')!r} (valid: {', '.join(ORDER_STATUSES)})"
        )
    items_in = entry.get("items")
    if not isinstance(items_in, list) or not items_in:
        raise SkipRow("order has no items")
    items: list[dict[str, Any]] = []
    for n, item in enumerate(items_in, 1):
        if not isinstance(item, dict):
            raise SkipRow(f"item {n} is not an object")
        items.append(
            {
                "order_id": oid,
                "product_id": clean.required(item.get("product_id"), f"items[{n}].product_id")[:64],
                "variant_id": clean.text(item.get("variant_id") or item.get("item_id"))[:64],
                "name": clean.text(item.get("name"))[:512],
                "price": clean.price(item.get("price"), f"items[{n}].price"),
                "quantity": max(1, clean.integer(item.get("quantity"), default=1)),
                "options": item.get("options") if isinstance(item.get("options"), dict) else {},
            }
        )
    total = clean.price(entry.get("total"), "total")
    if total is None and all(i["price"] is not None for i in items):
        total = round(sum(i["price"] * i["quantity"] for i in items), 2)
    created = entry.get("created_at")
    row: dict[str, Any] = {
        "id": oid,
        "user_id": clean.required(entry.get("user_id"), "user_id")[:64],
        "status": status,
        "created_at": parse_timestamp(created) if created else None,
        "total": total,
        "currency": (clean.text(entry.get("currency")) or opts.currency).upper()[:3],
        "address": entry.get("address") if isinstance(entry.get("address"), dict) else {},
        "fulfillments": list(entry.get("fulfillments") or []),
        "payment": list(entry.get("payment_history") or entry.get("payment") or []),
    }
    user = entry.get("user")
    user_fields = None
    if isinstance(user, dict):
        details = {k: user.get(k) for k in ("name", "email", "attributes")}
        user_fields = user_row(clean, row["user_id"], **details)
    return OrderRec(row, items, user_fields)


# --- retail-orders ----------------------------------------------------------------------------


def read_retail_orders(opts: LoadOptions) -> Iterator[Raw]:
    """users.json entries, then orders.json entries (both JSON objects keyed by id)."""
    for name, label in (("users.json", "user"), ("orders.json", "order")):
        file = retail_file(opts.path, name) if opts.path.is_dir() else None
        if file is None:
            raise IngestError(opts.path, "file", "expected the retail_orders directory")
        document = json_document(file)
        if not isinstance(document, dict):
            raise IngestError(file, 1, f"expected a JSON object of {label}s keyed by id")
        for key, value in document.items():
            yield f"{label} {key}", (label, key, value)


def build_retail(
    raw: tuple[str, str, Any], clean: Cleaner, opts: LoadOptions
) -> UserRec | OrderRec:
    """A user (name, email, address and payment methods as attributes) or an order (USD)."""
    label, key, entry = raw
    if not isinstance(entry, dict):
        raise SkipRow(f"{label} entry is not an object")
    if label == "user":
        name = entry.get("name") or {}
        full = (
            " ".join(str(name.get(k, "")) for k in ("first_name", "last_name"))
            if isinstance(name, dict)
            else name
        )
        attributes = {k: entry[k] for k in ("address", "payment_methods") if k in entry}
        return UserRec(user_row(clean, key, full, entry.get("email"), attributes))
    return order_rec(clean, opts, {"currency": "USD", **entry})


# --- generic JSON Lines orders ----------------------------------------------------------------


def read_generic(opts: LoadOptions) -> Iterator[Raw]:
    """One order per JSON line: order_id, user_id, status, items[...], optional user {...}."""
    for line, record in records(opts.path, progress=opts.progress):
        yield f"line {line}", record


def build_generic(record: JsonObject, clean: Cleaner, opts: LoadOptions) -> OrderRec:
    """An order in the generic shape (see read_generic)."""
    return order_rec(clean, opts, record)
