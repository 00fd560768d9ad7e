"""Chat: POST /v1/chat (JSON or Server-Sent Events) and GET /v1/conversations/{id}."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Callable, Generator

import anyio
from fastapi import APIRouter, Request
from pydantic import Field
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import iterate_in_threadpool

from assistant.api.deps import RuntimeDep, SessionDep, SettingsDep, StateDep, WidgetDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import RequestModel, text_rules
from assistant.config import Settings
from assistant.services import chat, conversations, experiments
from assistant.services.records import ChatReply, ConversationView

router = APIRouter(prefix="/v1", tags=["chat"], responses=AUTH_ERRORS)
log = logging.getLogger(__name__)
PING_S = 15  # keep-alive comments, so proxies do not cut a slow turn's stream
SEP = "\n"  # line ends as the widget and clients parse them ("\n\n" between events)


MAX_MESSAGE_CHARS = Settings.model_fields["max_message_chars"].default


class ChatRequest(RequestModel):
    """A shopper's message; conversation_id continues a conversation; user_id is for agents."""

    # the chat service checks the message itself (413 when too long, 422 when blank or binary)
    message: str = Field(
        description=f"what the shopper wrote (at most {MAX_MESSAGE_CHARS} characters, or the "
        "server's max_message_chars)",
        json_schema_extra=text_rules(max_length=MAX_MESSAGE_CHARS),
    )
    conversation_id: str | None = Field(None, max_length=36)
    stream: bool = Field(False, description="answer as Server-Sent Events")
    user_id: str | None = Field(None, max_length=64, description="agents: the customer")
    experiment: str | None = Field(
        None,
        pattern=experiments.NAME.pattern,
        description="a running experiment: the shopper's arm may set the planner (rules | "
        "model) and the writer (templates | model) of this turn; 409 when it is not running",
    )


def server_event(event: chat.ChatEvent) -> ServerSentEvent:
    """One chat event on the wire: its name and its data as JSON."""
    data = json.dumps(event.data(), ensure_ascii=False, default=str)
    return ServerSentEvent(data=data, event=event.kind, sep=SEP)


async def stream(
    first: chat.ConversationStarted,
    turn: Generator[chat.TurnEvent, None, None],
    to_sse: Callable[[chat.ChatEvent], ServerSentEvent] = server_event,
    last: ServerSentEvent | None = None,
) -> AsyncIterator[ServerSentEvent]:
    """The turn's events as server-sent events (to_sse writes each; last, if given, follows the
    final one). When the client goes away the response cancels this generator between two
    events; the turn is then closed, so the agent takes no further step (no model call, no
    tool) and nothing of the turn is stored."""
    finished = False
    try:
        yield to_sse(first)
        async for event in iterate_in_threadpool(turn):
            yield to_sse(event)
        if last is not None:
            yield last
        finished = True
    finally:
        if not finished:
            log.info("chat stream of %s stopped early: closing the turn", first.conversation_id)
        with anyio.CancelScope(shield=True):  # the close must run even while being cancelled
            await anyio.to_thread.run_sync(turn.close)


@router.post(
    "/chat",
    response_model=ChatReply,
    responses={
        200: {
            "description": "The reply as JSON, or as server-sent events: conversation, then "
            "tool_call / tool_result per tool call, token per chunk of the answer, and final "
            "(the reply); comments keep the connection alive.",
            "content": {"text/event-stream": {}},
        },
        **responses(404, 409, 413),
    },
)
def post_chat(
    body: ChatRequest,
    request: Request,
    settings: SettingsDep,
    runtime: RuntimeDep,
    state: StateDep,
    db: SessionDep,
    who: WidgetDep,
) -> ChatReply | EventSourceResponse:
    """Send a message; the reply is JSON, or SSE (token, tool_call, tool_result, final events)
    when `stream` is true or the request accepts text/event-stream."""
    turn = chat.start_turn(
        settings,
        db,
        role=who.role,
        key_id=who.key_id,
        key_user_id=who.user_id,
        message=body.message,
        conversation_id=body.conversation_id,
        user_id=body.user_id,
        experiment=body.experiment,
    )
    if body.stream or "text/event-stream" in request.headers.get("accept", ""):
        events = stream(
            chat.ConversationStarted(turn.conversation_id), chat.run_turn(state, turn, runtime)
        )
        return EventSourceResponse(
            events, ping=PING_S, sep=SEP, headers={"Cache-Control": "no-cache"}
        )
    return chat.chat_once(state, turn, runtime)


@router.get("/conversations/{conversation_id}", responses=responses(404))
def get_conversation(conversation_id: str, db: SessionDep, who: WidgetDep) -> ConversationView:
    """A conversation with its messages, tool calls and citations (shoppers: their own only)."""
    conv = conversations.load_conversation(db, conversation_id, who.role, who.key_id, who.user_id)
    return conversations.conversation_view(conv)
