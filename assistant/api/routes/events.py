"""Behaviour tracking: POST /v1/events (idempotent by client_event_id)."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from assistant.api.deps import SessionDep, WidgetDep, acting_shopper
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import NOT_BLANK, RequestModel
from assistant.services import events as event_service
from assistant.services.records import EventAck, NewEvent

router = APIRouter(prefix="/v1", tags=["events"], responses=AUTH_ERRORS)
MAX_BATCH = 100
# RFC 3339, as the schema's date-time format says: the offset is required
_RFC3339 = re.compile(r"^\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)$")


class _EventFields(RequestModel):
    """What every behaviour event carries; client_event_id makes re-sending harmless."""

    client_event_id: str = Field(min_length=1, max_length=128)
    type: str  # each kind of event narrows these two
    product_id: str | None
    ts: datetime | None = Field(
        None,
        strict=False,  # parsed from its RFC 3339 text
        description="when it happened (RFC 3339 with an offset; default: now); not before "
        "2000 and at most 24 h ahead of the server's clock",
    )
    dwell_seconds: float | None = Field(None, ge=0, le=86_400)
    session_id: str | None = Field(None, max_length=64)
    query: str | None = Field(None, max_length=512)
    page: str | None = Field(None, max_length=512, description="the page's path or URL")
    value: float | None = Field(
        None,
        ge=0,
        le=1e9,
        description="a purchase's revenue, a review's rating, a search result's position",
    )
    experiment: str | None = None  # only an exposure names one

    @field_validator("ts", mode="before")
    @classmethod
    def _rfc3339(cls, v: object) -> object:
        if v is not None and not (isinstance(v, str) and _RFC3339.match(v)):
            raise ValueError("ts must be an RFC 3339 date-time with an offset, e.g. ...T10:00:00Z")
        return v

    def record(self) -> NewEvent:
        """The event as the events service takes it."""
        return NewEvent(
            client_event_id=self.client_event_id,
            type=self.type,
            product_id=self.product_id,
            ts=self.ts,
            dwell_seconds=self.dwell_seconds,
            session_id=self.session_id,
            query=self.query,
            page=self.page,
            value=self.value,
            experiment=self.experiment,
        )


class ProductEventIn(_EventFields):
    """A shopper did something with a product (card_click: a product card in the assistant's
    answer; value: a purchase's revenue, a review's rating)."""

    type: Literal["view", "click", "cart", "fav", "purchase", "review", "share", "card_click"]
    product_id: str = Field(min_length=1, max_length=64)


class SearchEventIn(_EventFields):
    """A shopper searched (product_id: the product they went to, if any)."""

    type: Literal["search"]
    product_id: str | None = Field(None, max_length=64)


class ImpressionEventIn(_EventFields):
    """A product shown in search results: query as searched, page = the search's id (any
    string unique to that result list), value = its 1-based position. A click on it is a
    `click` event with the same query, page and value; `shopassist train ranker --from-events`
    learns from both, corrected for position bias."""

    type: Literal["impression"]
    product_id: str = Field(min_length=1, max_length=64)
    query: str = Field(min_length=1, max_length=512, pattern=NOT_BLANK)
    page: str = Field(min_length=1, max_length=512, pattern=NOT_BLANK)
    value: float = Field(ge=1, le=1000, description="the product's 1-based position")


class PageEventIn(_EventFields):
    """A page view that is not a product's (home, category, cart page): page names it."""

    type: Literal["page"]
    product_id: str | None = Field(None, max_length=64)
    page: str = Field(min_length=1, max_length=512, pattern=NOT_BLANK)


class AssistantEventIn(_EventFields):
    """The assistant's exposure: its widget shown, opened, a chat message sent."""

    type: Literal["widget_shown", "widget_open", "chat_message"]
    product_id: str | None = Field(None, max_length=64)


class ExposureEventIn(_EventFields):
    """The shopper saw an experiment's treatment; the server records the arm it assigns them."""

    type: Literal["exposure"]
    product_id: str | None = Field(None, max_length=64)
    experiment: str = Field(min_length=1, max_length=64, pattern=NOT_BLANK)


EventIn = Annotated[
    ProductEventIn
    | SearchEventIn
    | ImpressionEventIn
    | PageEventIn
    | AssistantEventIn
    | ExposureEventIn,
    Field(discriminator="type"),
]


class EventBatch(RequestModel):
    """Events of one shopper (user_id: agents and admins only; widgets use their key's); each
    client_event_id at most once per batch."""

    events: list[EventIn] = Field(min_length=1, max_length=MAX_BATCH)
    user_id: str | None = Field(None, max_length=64)


class EventsOut(BaseModel):
    """How many events were stored now, how many had been before, and each event's fate."""

    stored: int
    duplicates: int
    events: list[EventAck]


@router.post("/events", responses=responses(409))
def post_events(body: EventBatch, db: SessionDep, who: WidgetDep) -> EventsOut:
    """Record events; an already-recorded client_event_id is acknowledged as a duplicate."""
    user_id = acting_shopper(who, body.user_id)
    stored = event_service.record_events(db, user_id, [e.record() for e in body.events])
    return EventsOut(
        stored=sum(not s["duplicate"] for s in stored),
        duplicates=sum(s["duplicate"] for s in stored),
        events=stored,
    )
