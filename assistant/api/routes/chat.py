"""Chat: POST /v1/chat (JSON or Server-Sent Events) and GET /v1/conversations/{id}."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from assistant.api.deps import RuntimeDep, SessionDep, SettingsDep, WidgetDep
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.services import chat, conversations
from assistant.services.records import ChatReply, ConversationView

router = APIRouter(prefix="/v1", tags=["chat"], responses=AUTH_ERRORS)


class ChatRequest(BaseModel):
    """A shopper's message; conversation_id continues a conversation; user_id is for agents."""

    model_config = ConfigDict(extra="forbid")

    message: str = Field(description="what the shopper wrote")
    conversation_id: str | None = Field(None, max_length=36)
    stream: bool = Field(False, description="answer as Server-Sent Events")
    user_id: str | None = Field(None, max_length=64, description="agents: the customer")


def _sse(events: Iterator[dict[str, Any]]) -> Iterator[str]:
    for event in events:
        kind = event.pop("type")
        data = event.pop("reply", event)
        yield f"event: {kind}\ndata: {json.dumps(data, ensure_ascii=False, default=str)}\n\n"


@router.post(
    "/chat",
    response_model=ChatReply,
    responses={200: {"content": {"text/event-stream": {}}}, **responses(404, 409, 413)},
)
def post_chat(
    body: ChatRequest,
    request: Request,
    settings: SettingsDep,
    runtime: RuntimeDep,
    db: SessionDep,
    who: WidgetDep,
) -> Any:
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
    )
    if body.stream or "text/event-stream" in request.headers.get("accept", ""):
        head = iter([{"type": "conversation", "conversation_id": turn.conversation_id}])
        events = _sse(_chain(head, chat.run_turn(settings, turn, runtime)))
        return StreamingResponse(
            events,
            media_type="text/event-stream",
            headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
        )
    return chat.chat_once(settings, turn, runtime)


def _chain(*parts: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for part in parts:
        yield from part


@router.get("/conversations/{conversation_id}", responses=responses(404))
def get_conversation(conversation_id: str, db: SessionDep, who: WidgetDep) -> ConversationView:
    """A conversation with its messages, tool calls and citations (shoppers: their own only)."""
    conv = conversations.load_conversation(db, conversation_id, who.role, who.key_id, who.user_id)
    return conversations.conversation_view(conv)
