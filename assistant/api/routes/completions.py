"""The OpenAI-compatible façade: POST /v1/chat/completions and GET /v1/models.

Any OpenAI client (the `openai` SDK, LangChain's ChatOpenAI, chat UIs) can talk to the store's
assistant: base URL `<service>/v1`, API key = a shopassist key (sent as `Authorization: Bearer`,
or X-API-Key), model `shopassist`. A completion is one /v1/chat turn under the same roles and
shopper scoping: the assistant message is the grounded answer, and the `shopassist` extension
field carries the /v1/chat reply (citations, product cards, tool calls). Shapes:
assistant/api/openai_shapes.py.
"""

from __future__ import annotations

import time
import uuid
from typing import Literal

from fastapi import APIRouter
from sse_starlette import EventSourceResponse, ServerSentEvent

from assistant.api.deps import (
    PrincipalDep,
    RuntimeDep,
    SessionDep,
    SettingsDep,
    StateDep,
    WidgetDep,
)
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.openai_shapes import (
    SERVED_MODEL,
    ChatCompletion,
    ChatCompletionChunk,
    ChatCompletionRequest,
    Choice,
    ChunkChoice,
    CompletionMessage,
    Delta,
    ModelCard,
    ModelInfo,
    ModelList,
    StreamEvent,
)
from assistant.api.routes.chat import PING_S, SEP, stream
from assistant.config import Settings
from assistant.errors import Invalid, NotFound, Unfit
from assistant.llm.adapters import trained_adapters
from assistant.services import chat, conversations

router = APIRouter(prefix="/v1", tags=["openai"], responses=AUTH_ERRORS)
ADAPTER_PREFIX = SERVED_MODEL + ":"


def model_cards(settings: Settings, served_adapter: str | None) -> list[ModelCard]:
    """The served assistant first, then one card per adapter on disk."""
    planner: Literal["model", "rules"] = "model" if settings.agent_use_llm else "rules"
    adapters = trained_adapters(settings)
    served = ModelCard(
        id=SERVED_MODEL,
        created=int(adapters.get(served_adapter or "", 0)),
        shopassist=ModelInfo(adapter=served_adapter, served=True, planner=planner),
    )
    return [served] + [
        ModelCard(
            id=ADAPTER_PREFIX + name,
            created=int(trained_at),
            shopassist=ModelInfo(adapter=name, served=name == served_adapter, planner=planner),
        )
        for name, trained_at in adapters.items()
    ]


def check_model(settings: Settings, served_adapter: str | None, model: str) -> None:
    """The model a request names must be one this server runs: 404 for an unknown one, 409 for
    an adapter of the store that another server configuration runs."""
    for card in model_cards(settings, served_adapter):
        if card.id == model:
            if not card.shopassist["served"]:
                raise Unfit(
                    f"model {model!r} is not the one this server runs ({SERVED_MODEL!r}, adapter "
                    f"{served_adapter!r}); start it with SHOPASSIST_ADAPTER_NAME="
                    f"{model.removeprefix(ADAPTER_PREFIX)}"
                )
            return
    raise NotFound(
        f"model {model!r} not found; GET /v1/models lists the models", code="model_not_found"
    )


@router.get("/models")
def list_models(settings: SettingsDep, runtime: RuntimeDep, who: PrincipalDep) -> ModelList:
    """The models a completion may name: `shopassist` (this server's assistant) and the store's
    adapters as `shopassist:<adapter>`."""
    return ModelList(data=model_cards(settings, runtime.adapter))


def split_messages(body: ChatCompletionRequest) -> tuple[list[tuple[str, str]], str]:
    """The user and assistant messages before the last user message, and that message's text
    (422 when there is no user message)."""
    said: list[tuple[str, str]] = [
        (m.role, m.text()) for m in body.messages if m.role in ("user", "assistant")
    ]
    last = max((i for i, (role, _) in enumerate(said) if role == "user"), default=None)
    if last is None:
        raise Invalid("messages: at least one user message is required")
    return said[:last], said[last][1]


def chunk_event(
    completion_id: str, created: int, model: str, event: chat.ChatEvent
) -> ServerSentEvent:
    """One /v1/chat stream event as a chat.completion.chunk: a token is the delta's content,
    the other events ride in the shopassist extension (the final one also ends the choice)."""
    delta, finish, extension = Delta(), None, None
    if isinstance(event, chat.ConversationStarted):
        delta = Delta(role="assistant", content="")
        extension = StreamEvent(event=event.kind, data=event.data())
    elif event.kind == "token":
        delta = Delta(content=event.data()["text"])
    else:
        extension = StreamEvent(event=event.kind, data=event.data())
        finish = "stop" if event.kind == "final" else None
    chunk = ChatCompletionChunk(
        id=completion_id,
        created=created,
        model=model,
        choices=[ChunkChoice(delta=delta, finish_reason=finish)],
        shopassist=extension,
    )
    return ServerSentEvent(data=chunk.model_dump_json(), sep=SEP)


@router.post(
    "/chat/completions",
    response_model=ChatCompletion,
    responses={
        200: {
            "description": "A chat.completion, or (stream: true) server-sent chat.completion.chunk "
            "events ending with `data: [DONE]`.",
            "content": {"text/event-stream": {}},
        },
        **responses(404, 409, 413),
    },
)
def create_completion(
    body: ChatCompletionRequest,
    settings: SettingsDep,
    runtime: RuntimeDep,
    state: StateDep,
    db: SessionDep,
    who: WidgetDep,
) -> ChatCompletion | EventSourceResponse:
    """The assistant's grounded answer to the last user message, as OpenAI's chat completions
    answer (streamed when `stream` is true). The earlier messages continue the conversation
    they came from (or `conversation_id`); tool activity is in the `shopassist` field."""
    check_model(settings, runtime.adapter, body.model)
    history, text = split_messages(body)
    conversation_id = body.conversation_id or conversations.continued_by(
        db, history, who.role, who.key_id, who.user_id
    )
    turn = chat.start_turn(
        settings,
        db,
        role=who.role,
        key_id=who.key_id,
        key_user_id=who.user_id,
        message=text,
        conversation_id=conversation_id,
        user_id=body.user_id,
    )
    completion_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
    if body.stream:
        events = stream(
            chat.ConversationStarted(turn.conversation_id),
            chat.run_turn(state, turn, runtime),
            lambda event: chunk_event(completion_id, created, body.model, event),
            last=ServerSentEvent(data="[DONE]", sep=SEP),
        )
        return EventSourceResponse(
            events, ping=PING_S, sep=SEP, headers={"Cache-Control": "no-cache"}
        )
    reply = chat.chat_once(state, turn, runtime)
    return ChatCompletion(
        id=completion_id,
        created=created,
        model=body.model,
        choices=[Choice(message=CompletionMessage(content=reply["answer"]))],
        shopassist=reply,
    )
