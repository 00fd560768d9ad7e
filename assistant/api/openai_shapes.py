"""The OpenAI chat-completions shapes the façade speaks (/v1/chat/completions, /v1/models).

Requests take what OpenAI clients send: the fields below are checked, any other OpenAI
parameter (temperature, top_p, max_tokens, tools, ...) is accepted and ignored, because the
assistant's answer is composed from its tools' results, not sampled. Responses are OpenAI's
shapes plus one extension field, `shopassist`, that carries what /v1/chat returns (citations,
product cards, the tool calls the assistant made): clients that do not know it ignore it, and no
tool call is ever handed to the client to execute.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from typing_extensions import TypedDict

from assistant.agent.turn import TokenData, ToolCallData
from assistant.api.requests import PRINTABLE_TEXT
from assistant.config import Settings
from assistant.jsontypes import json_number
from assistant.services.chat import ConversationData
from assistant.services.records import ChatReply
from assistant.tools.contract import ToolCallRecord

MAX_MESSAGE_CHARS = Settings.model_fields["max_message_chars"].default
MAX_PARTS = 4  # text parts of one message; together within the message limit
MAX_MESSAGES = 64
SERVED_MODEL = "shopassist"  # the assistant this server runs, whichever adapter it plans with


class OpenAIRequest(BaseModel):
    """Strict JSON types for the fields we read; other fields are OpenAI's, and ignored."""

    model_config = ConfigDict(extra="ignore", strict=True)


# Message text: something visible, no control characters, within the message limit.
Text = Annotated[
    str, StringConstraints(min_length=1, max_length=MAX_MESSAGE_CHARS, pattern=PRINTABLE_TEXT)
]
PartText = Annotated[
    str,
    StringConstraints(
        min_length=1, max_length=MAX_MESSAGE_CHARS // MAX_PARTS, pattern=PRINTABLE_TEXT
    ),
]


class TextPart(OpenAIRequest):
    """A text part of a message's content (the assistant reads text only)."""

    type: Literal["text"]
    text: PartText


Content = Text | Annotated[list[TextPart], Field(min_length=1, max_length=MAX_PARTS)]


class UserMessage(OpenAIRequest):
    """What the shopper (or the agent, for a customer) wrote: text, or text parts."""

    role: Literal["user"]
    content: Content = Field(
        description=f"text (at most {MAX_MESSAGE_CHARS} characters), or at most {MAX_PARTS} "
        "text parts"
    )
    name: str | None = Field(None, max_length=64)

    def text(self) -> str:
        """The message's text (its parts joined)."""
        if isinstance(self.content, list):
            return "".join(p.text for p in self.content)
        return self.content


class OtherMessage(OpenAIRequest):
    """An earlier answer (assistant), or a system / developer / tool message: accepted and not
    read, since the store's assistant keeps its own instructions and runs its own tools."""

    role: Literal["system", "developer", "assistant", "tool"]
    content: Content | None = None
    name: str | None = Field(None, max_length=64)

    def text(self) -> str:
        """The message's text (its parts joined; empty when it has none)."""
        if isinstance(self.content, list):
            return "".join(p.text for p in self.content)
        return self.content or ""


InputMessage = Annotated[UserMessage | OtherMessage, Field(discriminator="role")]
# one choice only: 1 (or 1.0, the same JSON number)
OneChoice = Annotated[int, Field(strict=False, ge=1, le=1), BeforeValidator(json_number)]


class StreamOptions(OpenAIRequest):
    """Streaming options (usage is not counted: the answer is composed, not sampled)."""

    include_usage: bool | None = None


class ChatCompletionRequest(OpenAIRequest):
    """A chat-completions request. The turn is the last user message; the messages before it
    continue the caller's conversation they came from (the same user and assistant messages),
    else a new conversation starts. `conversation_id` and `user_id` are shopassist extensions
    (OpenAI clients send them as extra body fields)."""

    model: str = Field(min_length=1, max_length=128, description="an id from GET /v1/models")
    messages: list[InputMessage] = Field(
        min_length=1,
        max_length=MAX_MESSAGES,
        json_schema_extra={"contains": {"properties": {"role": {"const": "user"}}}},
        description="the conversation; at least one user message",
    )
    stream: bool | None = Field(False, description="answer as chat.completion.chunk events")
    stream_options: StreamOptions | None = None
    n: OneChoice | None = Field(None, description="one choice only")
    conversation_id: str | None = Field(
        None, max_length=36, description="shopassist: continue this conversation"
    )
    user_id: str | None = Field(
        None, max_length=64, description="shopassist, agent keys: the customer"
    )


class CompletionMessage(BaseModel):
    """The assistant's grounded answer (citations as [product_id], as /v1/chat answers)."""

    role: Literal["assistant"] = "assistant"
    content: str
    refusal: None = None


class Choice(BaseModel):
    """The one choice of a completion."""

    index: int = 0
    message: CompletionMessage
    finish_reason: Literal["stop"] = "stop"
    logprobs: None = None


class ChatCompletion(BaseModel):
    """A chat.completion; `shopassist` is the /v1/chat reply behind it."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str
    choices: list[Choice]
    usage: None = Field(None, description="not counted (the answer is composed, not sampled)")
    system_fingerprint: None = None
    shopassist: ChatReply = Field(
        description="shopassist extension: conversation and message ids, cited products "
        "(product cards), the tool calls the assistant made and their outcomes"
    )


class Delta(BaseModel):
    """What a chunk adds to the answer."""

    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    """The one choice of a chunk."""

    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None
    logprobs: None = None


class StreamEvent(BaseModel):
    """shopassist extension on a chunk: the /v1/chat stream event it carries (conversation,
    tool_call, tool_result, final); token events are the delta's content instead."""

    event: Literal["conversation", "tool_call", "tool_result", "final"]
    data: ConversationData | ToolCallData | ToolCallRecord | ChatReply | TokenData


class ChatCompletionChunk(BaseModel):
    """A chat.completion.chunk of a streamed answer (the stream ends with `data: [DONE]`)."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str
    choices: list[ChunkChoice]
    shopassist: StreamEvent | None = None


class ModelInfo(TypedDict):
    """shopassist extension of a model: the adapter behind it and whether this server runs it."""

    adapter: str | None  # None: the base model
    served: bool
    planner: Literal["model", "rules"]  # rules: this server runs without the model


class ModelCard(BaseModel):
    """One model: the served assistant (`shopassist`) or one of the store's adapters
    (`shopassist:<adapter>`)."""

    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "shopassist"
    shopassist: ModelInfo


class ModelList(BaseModel):
    """The models a request may name."""

    object: Literal["list"] = "list"
    data: list[ModelCard]
