"""Column mappings shared by the generic CSV / JSON Lines loaders."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from assistant.ingest.report import IngestError

# canonical field -> source column names tried in order when no mapping names one
CATALOG_ALIASES: dict[str, tuple[str, ...]] = {
    "product_id": ("product_id", "id", "sku", "item_id", "asin"),
    "title": ("title", "name", "product", "product_name", "product_title"),
    "description": ("description", "desc", "details"),
    "category": ("category", "category_path", "categories"),
    "brand": ("brand", "manufacturer"),
    "price": ("price", "sale_price", "selling_price"),
    "currency": ("currency",),
    "rating": ("rating", "avg_rating", "stars"),
    "rating_count": ("rating_count", "num_ratings", "review_count", "reviews"),
    "in_stock": ("in_stock", "available", "availability", "stock"),
    "image_url": ("image_url", "image", "img"),
    "group_id": ("group_id", "parent_id", "parent_asin"),
    "attributes": ("attributes",),
}
EVENT_ALIASES: dict[str, tuple[str, ...]] = {
    "user_id": ("user_id", "user", "customer_id", "visitor_id"),
    "product_id": ("product_id", "item_id", "item", "sku"),
    "type": ("type", "event", "event_type", "behavior", "behaviour", "action", "action_type"),
    "ts": ("ts", "timestamp", "time", "event_time", "purchase_time", "created_at"),
    "dwell_seconds": ("dwell_seconds", "dwell", "browse_time", "duration"),
    "session_id": ("session_id", "session"),
    "query": ("query", "search_query", "search_term"),
    "category_id": ("category_id", "category"),
    "client_event_id": ("client_event_id", "event_id"),
    "page": ("page", "url", "page_url", "path"),
    "value": ("value", "revenue", "amount", "rating"),
}


def parse_mapping(items: list[str] | None) -> dict[str, str]:
    """`field=column` items (also comma-separated) as {field: column}."""
    mapping: dict[str, str] = {}
    for item in items or []:
        for part in item.split(","):
            if not part.strip():
                continue
            name, sep, column = part.partition("=")
            if not sep or not name.strip() or not column.strip():
                raise ValueError(f"bad mapping {part!r}: expected field=column")
            mapping[name.strip()] = column.strip()
    return mapping


class Resolver:
    """Picks each canonical field's source column from a mapping or the aliases."""

    def __init__(self, aliases: Mapping[str, tuple[str, ...]], mapping: Mapping[str, str]) -> None:
        unknown = sorted(set(mapping) - set(aliases))
        if unknown:
            raise ValueError(f"unknown mapping field(s) {unknown}; valid: {sorted(aliases)}")
        self.aliases, self.mapping = aliases, dict(mapping)
        self.columns: dict[str, str | None] | None = None

    def bind(self, path: Any, line: int, record: Mapping[str, Any]) -> dict[str, str | None]:
        """Resolve columns against the first record's keys (mapped columns must exist)."""
        if self.columns is None:
            keys = set(record)
            lower = {k.lower(): k for k in keys}
            missing = [c for c in self.mapping.values() if c not in keys]
            if missing:
                raise IngestError(
                    path,
                    line,
                    f"mapped column(s) {missing} not in the file's columns {sorted(keys)}",
                )
            self.columns = {
                name: self.mapping.get(name) or next((lower[a] for a in names if a in lower), None)
                for name, names in self.aliases.items()
            }
        return self.columns

    def get(self, record: Mapping[str, Any], name: str) -> Any:
        """The record's value for a canonical field (None when no column provides it)."""
        assert self.columns is not None
        column = self.columns.get(name)
        return record.get(column) if column else None

    def unused(self, record: Mapping[str, Any]) -> dict[str, Any]:
        """The record's columns no canonical field used (they become attributes)."""
        assert self.columns is not None
        used = {c for c in self.columns.values() if c}
        return {k: v for k, v in record.items() if k not in used and not k.startswith("__")}
