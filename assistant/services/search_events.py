"""The store's search click log, read from behaviour events for the reranker's click model.

A search result list is identified by the `page` of its `impression` events (one per product
shown, value = position); a `click` with the same page and product marks that impression
clicked. Impressions without a position are skipped.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from assistant.db.models import Event
from retrieval.clicks import Impression


def click_log(db: Session) -> list[Impression]:
    """Every logged search impression, clicked or not, oldest first."""
    shown = db.execute(
        select(Event.page, Event.query, Event.product_id, Event.value)
        .where(Event.type == "impression", Event.page != "", Event.value.is_not(None))
        .order_by(Event.ts, Event.id)
    ).all()
    clicked = {
        (page, pid)
        for page, pid in db.execute(
            select(Event.page, Event.product_id).where(Event.type == "click", Event.page != "")
        )
    }
    return [
        Impression(page, " ".join(query.split()), pid, int(value), (page, pid) in clicked)
        for page, query, pid, value in shown
        if pid and query.strip() and value is not None and value >= 1
    ]
