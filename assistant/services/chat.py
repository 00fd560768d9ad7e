"""Chat turns: validate, persist the conversation, run the agent, persist the answer.

Validation happens before anything is written (a bad request leaves no trace); the turn itself
streams events and never raises to the caller (failures degrade inside the agent).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from langchain_core.messages import BaseMessage
from prometheus_client import Counter, Histogram
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from typing_extensions import TypedDict

from assistant.agent.memory import PastTurn, ShownProducts, history_for_model
from assistant.agent.runtime import ModelRuntime
from assistant.agent.turn import Token, ToolCalled, ToolDone, TurnDone, TurnResult
from assistant.config import Settings
from assistant.db.models import Conversation, Message, utcnow
from assistant.db.session import session_scope
from assistant.errors import Conflict, Forbidden, Invalid, TooLarge, Unfit
from assistant.services import cart as cart_service
from assistant.services import experiments
from assistant.services import products as catalog_service
from assistant.services.conversations import load_conversation, owner_tag
from assistant.services.records import ChatReply
from assistant.services.state import AppState
from assistant.services.variant import Variant, variant_of
from assistant.tools.context import ToolContext
from assistant.tools.contract import CART_TOOLS, CART_WRITES

log = logging.getLogger(__name__)
HUMAN_STATUSES = ("queued", "claimed")
# C0 controls other than tab and line breaks, DEL, and the replacement character that
# undecodable input turns into (the API states the same rule in its request schema)
CONTROL_CHARS = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd"
_CONTROL = re.compile(f"[{CONTROL_CHARS}]")

TURNS = Counter("shopassist_chat_turns_total", "Chat turns", ["fallback"])
TOOL_CALLS = Counter("shopassist_tool_calls_total", "Tool calls by the agent", ["tool", "ok"])
REPAIRS = Counter("shopassist_grounding_repairs_total", "Answers repaired by the grounding check")
FIRST_TOKEN = Histogram(
    "shopassist_chat_first_token_seconds", "Time to the first answer token",
    buckets=(0.1, 0.25, 0.5, 1, 2, 4, 8, 16),
)  # fmt: skip
TURN_SECONDS = Histogram(
    "shopassist_chat_turn_seconds", "Time to the full answer", buckets=(0.25, 0.5, 1, 2, 4, 8, 16)
)


def clean_message(text: Any, max_chars: int) -> str:
    """The message stripped; Invalid when it is empty or binary, TooLarge when too long (white
    space counts: the limit is on what was sent, as the API schema's maxLength says)."""
    if not isinstance(text, str):
        raise Invalid("message must be a string")
    if len(text) > max_chars:
        raise TooLarge(f"message is too long ({len(text)} characters; at most {max_chars})")
    if _CONTROL.search(text):  # anywhere, even where strip() would take it away
        raise Invalid("message contains binary or control characters")
    text = text.strip()
    if not text:
        raise Invalid("message is empty")
    return text


@dataclass
class Turn:
    """A validated chat request whose user message is stored, ready to run."""

    conversation_id: str
    user_message_id: int
    text: str
    user_id: str | None
    role: str
    handed_off: bool
    key_id: int | None = None  # the caller's key: an anonymous widget key owns its cart
    variant: Variant | None = None  # what the shopper's experiment arm changes in the turn


def turn_variant(db: Session, experiment: str | None, shopper: str | None) -> Variant | None:
    """What the shopper's arm of an experiment changes in their turns (None: no experiment or
    no shopper to assign); Unfit (409) when the experiment is not running, its arm is not valid
    or turns the assistant off (the widget hides itself there; an API caller is refused)."""
    if not experiment or not shopper:
        return None
    arm, overrides = experiments.arm_settings(db, experiment, shopper)
    try:
        variant = variant_of(overrides)
    except Invalid as exc:  # an arm stored before arms were checked
        raise Unfit(f"experiment {experiment!r}, arm {arm!r}: {exc.message}") from exc
    if not variant.assistant_enabled:
        raise Unfit(
            f"the assistant is off in arm {arm!r} of experiment {experiment!r}",
            code="assistant_off",
        )
    return variant


def start_turn(
    settings: Settings,
    db: Session,
    *,
    role: str,
    key_id: int | None,
    key_user_id: str | None,
    message: Any,
    conversation_id: str | None = None,
    user_id: str | None = None,
    experiment: str | None = None,
) -> Turn:
    """Validate a chat request, then store the conversation (if new) and the user message."""
    text = clean_message(message, settings.max_message_chars)
    if user_id and role == "widget" and user_id != key_user_id:
        raise Forbidden("a widget key may only chat as its own shopper")
    shopper = key_user_id if role == "widget" else (user_id or key_user_id)
    if conversation_id:
        conv = load_conversation(db, conversation_id, role, key_id, key_user_id)
        if role != "widget" and user_id and conv.user_id and conv.user_id != user_id:
            raise Conflict("conversation belongs to another customer")
        shopper = conv.user_id or shopper
        if conv.status == "closed":
            raise Conflict(f"conversation {conv.id} is closed")
    else:
        conv = Conversation(
            id=str(uuid.uuid4()), user_id=shopper, channel="widget" if role == "widget" else "agent"
        )
    variant = turn_variant(db, experiment, shopper)  # an unfit experiment stores nothing
    db.add(conv)  # a no-op for a stored conversation
    msg = Message(
        conversation_id=conv.id, role="user", content=text, author=owner_tag(role, key_id, shopper)
    )
    db.add(msg)
    conv.updated_at = utcnow()
    db.commit()
    handed_off = conv.status in HUMAN_STATUSES
    return Turn(conv.id, msg.id, text, shopper, role, handed_off, key_id, variant)


def _memory(
    db: Session, conv: Conversation, before_id: int, cart_owner: str | None = None
) -> tuple[list[BaseMessage], ShownProducts]:
    """The last turns for the model, and the products shown in this conversation (with the
    prices they were shown at, what the last cart change was about, and the cart's items)."""
    earlier = [m for m in conv.messages if m.id < before_id and m.role in ("user", "assistant")]
    ids = [i for m in earlier if m.role == "assistant" for i in (m.cited_product_ids or [])]
    cards = {c["product_id"]: c for c in catalog_service.get_cards(db, ids)}
    shown = ShownProducts()
    if cart_owner:  # the cart's items are known by name ("remove the shampoo")
        items = cart_service.view(db, cart_owner)["items"]
        shown.add_seen(items)
        shown.in_cart = [i["product_id"] for i in items]
        shown.cart_only = set(shown.in_cart)
    turns: list[PastTurn] = []
    user_text = ""
    for m in earlier:
        shown.note_text(m.content)  # order ids said earlier may be looked up later
        if m.role == "user":
            user_text = m.content
            continue
        listed = [cards[i] for i in m.cited_product_ids or [] if i in cards]
        calls = [c for c in m.tool_calls or [] if c.get("ok")]
        for c in calls:
            shown.prices.update(c.get("prices") or {})
        writes = [c for c in calls if c.get("name") in CART_WRITES]
        if writes:  # a cart change names products, it lists none to count ("the second one")
            shown.add_seen(listed)
            shown.cart_focus = [str(c["arguments"].get("product_id")) for c in writes]
        else:
            shown.add_list(listed)
            if calls and calls[0].get("name") not in CART_TOOLS:
                shown.cart_focus = []  # "it" now means what was shown since
        shown.last_call = calls[0]["name"] if calls else None
        call = next((c for c in calls if c.get("product_ids")), calls[0] if calls else None)
        turns.append(PastTurn(user_text, m.content, call, listed))
    return history_for_model(turns), shown


def _cart_owner(turn: Turn) -> str | None:
    """Whose cart the turn's cart tools change (None: the session has no shopper)."""
    try:
        return cart_service.owner_of(turn.role, turn.key_id, turn.user_id)
    except Forbidden:
        return None


def reply_payload(turn: Turn, message_id: int, result: TurnResult) -> ChatReply:
    """The final reply as the API returns it (JSON body, or the SSE final event)."""
    return ChatReply(
        conversation_id=turn.conversation_id,
        message_id=message_id,
        answer=result.answer,
        cited_product_ids=result.cited_product_ids,
        cited_products=result.cited_products,
        tool_calls=result.tool_calls(),
        repaired=result.repaired,
        fallback=result.fallback,
        planner=result.planner,
        writer=result.writer,
        adapter=result.adapter,
        latency_ms=round(result.latency_ms, 1),
    )


class ConversationData(TypedDict):
    """The data of a conversation event: which conversation the turn belongs to."""

    conversation_id: str


@dataclass(frozen=True)
class ConversationStarted:
    """The turn's conversation (the first event of a stream, before the agent runs)."""

    conversation_id: str
    kind: ClassVar[Literal["conversation"]] = "conversation"

    def data(self) -> ConversationData:
        """The event's JSON data."""
        return ConversationData(conversation_id=self.conversation_id)


@dataclass(frozen=True)
class Replied:
    """The stored reply (the last event of a stream)."""

    reply: ChatReply
    kind: ClassVar[Literal["final"]] = "final"

    def data(self) -> ChatReply:
        """The event's JSON data."""
        return self.reply


TurnEvent = ToolCalled | ToolDone | Token | Replied
ChatEvent = ConversationStarted | TurnEvent

SORRY = "Sorry, something went wrong on our side. Please try again in a moment."
HANDED_OFF = "You're talking with our team now; a person will reply here shortly."


def run_turn(
    state: AppState, turn: Turn, runtime: ModelRuntime
) -> Generator[TurnEvent, None, None]:
    """Run a started turn with runtime's agent over the app's state: its events, then Replied
    with the stored reply.

    Closing the iterator early (the client went away) stops the agent where it is and stores
    nothing (the session is rolled back)."""
    start = time.perf_counter()
    settings = state.settings
    with session_scope(settings.effective_database_url) as db:
        conv = db.scalar(
            select(Conversation)
            .where(Conversation.id == turn.conversation_id)
            .options(selectinload(Conversation.messages))
        )
        result: TurnResult | None = None
        if turn.handed_off:
            result = TurnResult(HANDED_OFF, [], [])
            yield Token(HANDED_OFF)
        else:
            try:
                if conv is None:  # started by this request; deleted since
                    raise LookupError(f"conversation {turn.conversation_id} is gone")
                history, shown = _memory(db, conv, turn.user_message_id, _cart_owner(turn))
                arm = turn.variant or Variant()  # the arm's search here, its planner below
                ctx = ToolContext(
                    state,
                    db,
                    turn.user_id,
                    turn.role,
                    turn.conversation_id,
                    key_id=turn.key_id,
                    shown_prices=shown.prices,
                    search_mode=arm.search_mode,
                    search_learned=arm.search_learned,
                )
                agent = runtime.agent(variant=arm)
                catalog = catalog_service.catalog_for(state, db)
                for event in agent.run(ctx, turn.text, history, shown, catalog):
                    if isinstance(event, TurnDone):
                        result = event.result
                    else:
                        yield event
            except Exception:  # noqa: BLE001 - a bug must cost one answer, not a 500
                log.exception("chat turn failed")
                db.rollback()
            if result is None:
                result = TurnResult(SORRY, [], [], fallback="error", planner="rules")
                yield Token(SORRY)
        msg = Message(
            conversation_id=turn.conversation_id,
            role="assistant",
            content=result.answer,
            tool_calls=result.tool_calls(),
            cited_product_ids=result.cited_product_ids,
            author="assistant",
        )
        db.add(msg)
        db.flush()
        message_id = msg.id
    _observe(result, time.perf_counter() - start)
    yield Replied(reply_payload(turn, message_id, result))


def _observe(result: TurnResult, seconds: float) -> None:
    TURNS.labels(result.fallback or "none").inc()
    for o in result.outcomes:
        TOOL_CALLS.labels(o.name, str(o.ok).lower()).inc()
    if result.repaired:
        REPAIRS.inc()
    if result.first_token_ms is not None:
        FIRST_TOKEN.observe(result.first_token_ms / 1000)
    TURN_SECONDS.observe(seconds)


def chat_once(state: AppState, turn: Turn, runtime: ModelRuntime) -> ChatReply:
    """Run a turn to completion and return the reply payload."""
    for event in run_turn(state, turn, runtime):
        if isinstance(event, Replied):
            return event.reply
    raise AssertionError("run_turn() always ends with Replied")
