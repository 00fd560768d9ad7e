"""schemathesis hooks of the contract fuzz test (tests/assistant/schemathesis.toml loads them).

A few request rules cannot be written in JSON Schema; the fields' descriptions state them and
the server answers 422 when they are broken. Generated *positive* cases are repaired to obey
them, so that "schema-valid requests are accepted" keeps testing everything else:
- search filters: min_price is not greater than max_price (UCP: filters.price.min and max);
- events: ts between 2000 and the server's clock, and each client_event_id once per batch.
Negative cases are left as generated.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import schemathesis

_PAST = "2026-01-01T12:00:00Z"


def _out_of_range(ts: str) -> bool:
    """Whether an RFC 3339 text names a time before 2000 or ahead of the clock."""
    try:
        when = datetime.fromisoformat(ts)
    except ValueError:
        return False  # not a date-time at all: not ours to repair
    if when.tzinfo is None:
        return False
    try:
        when = when.astimezone(UTC)
    except OverflowError:
        return True
    return not datetime(2000, 1, 2, tzinfo=UTC) <= when <= datetime.now(UTC) + timedelta(hours=1)


def _positive(case: Any) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _ordered(bounds: Any, low_name: str, high_name: str) -> None:
    if isinstance(bounds, dict):
        low, high = bounds.get(low_name), bounds.get(high_name)
        if isinstance(low, int | float) and isinstance(high, int | float) and low > high:
            bounds[low_name], bounds[high_name] = high, low


def _search(body: dict[str, Any]) -> None:
    _ordered(body.get("filters"), "min_price", "max_price")


def _ucp_search(body: dict[str, Any]) -> None:
    filters = body.get("filters")
    if isinstance(filters, dict):
        _ordered(filters.get("price"), "min", "max")


def _events(body: dict[str, Any]) -> None:
    events = body.get("events")
    if not isinstance(events, list):
        return
    seen: set[str] = set()
    for i, event in enumerate(events):
        if not isinstance(event, dict):
            continue
        ts = event.get("ts")
        if isinstance(ts, str) and _out_of_range(ts):
            event["ts"] = _PAST
        cid = event.get("client_event_id")
        if isinstance(cid, str):
            if cid in seen:
                event["client_event_id"] = cid = f"{i}"
            seen.add(cid)


REPAIRS = {
    ("POST", "/v1/search"): _search,
    ("POST", "/ucp/catalog/search"): _ucp_search,
    ("POST", "/v1/events"): _events,
}


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    """Repair positive cases of the operations whose rules JSON Schema cannot state."""
    repair = REPAIRS.get((case.method.upper(), case.path))
    if repair is not None and _positive(case) and isinstance(case.body, dict):
        repair(case.body)
    return case
