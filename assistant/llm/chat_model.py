"""The runtime as a LangChain chat model (`bind_tools`, invoke, stream), swappable for ChatOpenAI.

LangChain messages map onto the fine-tune's format: AIMessage.tool_calls become `<tool>{...}</tool>`
turns, ToolMessage contents become compact `tool` turns. The agent's own SystemMessage is not
sent (the adapter was trained with one fixed system line; see finetune.format.SYSTEM_PROMPT).
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from langchain_core.callbacks import CallbackManagerForLLMRun
from langchain_core.language_models import LanguageModelInput
from langchain_core.language_models.chat_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    BaseMessage,
    HumanMessage,
    SystemMessage,
    ToolMessage,
)
from langchain_core.outputs import ChatGeneration, ChatGenerationChunk, ChatResult
from langchain_core.runnables import Runnable
from langchain_core.tools import BaseTool
from langchain_core.utils.function_calling import convert_to_openai_tool
from pydantic import ConfigDict, Field

from assistant.llm.backends import ChatBackend, Message, Turn
from assistant.llm.generation import GenerationOptions
from finetune.format import format_call, render_tool_result


def to_messages(messages: Sequence[BaseMessage]) -> list[Message]:
    """LangChain messages as the runtime's role/content dicts."""
    out: list[Message] = []
    for m in messages:
        if isinstance(m, SystemMessage):
            continue
        if isinstance(m, HumanMessage):
            out.append({"role": "user", "content": str(m.content)})
        elif isinstance(m, AIMessage):
            if m.tool_calls:
                for call in m.tool_calls:
                    out.append(
                        {"role": "assistant", "content": format_call(call["name"], call["args"])}
                    )
            else:
                out.append({"role": "assistant", "content": str(m.content)})
        elif isinstance(m, ToolMessage):
            out.append({"role": "tool", "content": render_tool_result(m.content)})
        else:
            out.append({"role": "user", "content": str(m.content)})
    return out


def tools_by_name(tools: Sequence[dict[str, Any]] | None, choice: Any = None) -> dict[str, dict]:
    """OpenAI tool specs as {name: parameters schema}, narrowed by tool_choice."""
    out = {}
    for spec in tools or []:
        fn = spec.get("function", spec)
        out[fn["name"]] = fn.get("parameters") or {}
    if isinstance(choice, dict):
        choice = choice.get("function", {}).get("name") or choice.get("name")
    if choice == "none":
        return {}
    if isinstance(choice, str) and choice in out:
        return {choice: out[choice]}
    return out


class ShopAssistChatModel(BaseChatModel):
    """Chat model over a ChatBackend; tool calls come back as AIMessage.tool_calls."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    backend: Any = Field(exclude=True)
    adapter: str | None = None
    max_new_tokens: int = 200
    max_time_s: float = 30.0
    temperature: float = 0.0
    seed: int = 0

    @property
    def _llm_type(self) -> str:
        return f"shopassist-{getattr(self.backend, 'name', 'backend')}"

    def _options(
        self, stop: list[str] | None, kwargs: dict[str, Any] | None = None
    ) -> GenerationOptions:
        """Generation limits: the model's own, or per call (invoke(..., max_time_s=2.5))."""
        kwargs = kwargs or {}
        return GenerationOptions(
            max_new_tokens=int(kwargs.get("max_new_tokens") or self.max_new_tokens),
            max_time_s=float(kwargs.get("max_time_s") or self.max_time_s),
            temperature=self.temperature,
            seed=self.seed,
            stop=stop or [],
        )

    def _left(
        self, stop: list[str] | None, kwargs: dict[str, Any], deadline: float
    ) -> GenerationOptions:
        """Options for the answer after a plan: what is left of the call's one time budget."""
        return self._options(stop, {**kwargs, "max_time_s": max(0.05, deadline - time.monotonic())})

    def warm_up(self) -> None:
        """Prepare the decoding model for this adapter now, not on the first request."""
        self.backend.warm_up(self.adapter)

    def bind_tools(
        self,
        tools: Sequence[dict[str, Any] | type | Callable | BaseTool],
        *,
        tool_choice: str | dict | None = None,
        **kwargs: Any,
    ) -> Runnable[LanguageModelInput, AIMessage]:
        """Bind tools (LangChain tools, pydantic models, functions or OpenAI specs)."""
        specs = [convert_to_openai_tool(t) for t in tools]
        return self.bind(tools=specs, tool_choice=tool_choice, **kwargs)

    def _plan(
        self, messages: list[BaseMessage], stop: list[str] | None, kwargs: dict[str, Any]
    ) -> tuple[list[Message], Turn | None]:
        backend: ChatBackend = self.backend
        conv = to_messages(messages)
        tools = tools_by_name(kwargs.get("tools"), kwargs.get("tool_choice"))
        if not tools:
            return conv, None
        return conv, backend.plan(conv, tools, self._options(stop, kwargs), self.adapter)

    @staticmethod
    def _call_message(turn: Turn, chunk: bool = False) -> AIMessage | AIMessageChunk:
        call_id = f"call_{uuid.uuid4().hex[:12]}"
        meta = {"constrained": turn.constrained, "raw": turn.raw}
        if chunk:
            return AIMessageChunk(
                content="",
                response_metadata=meta,
                tool_call_chunks=[
                    {
                        "name": turn.tool_name,
                        "args": json.dumps(turn.arguments),
                        "id": call_id,
                        "index": 0,
                        "type": "tool_call_chunk",
                    }
                ],
            )
        return AIMessage(
            content="",
            response_metadata=meta,
            tool_calls=[
                {"name": turn.tool_name, "args": turn.arguments, "id": call_id, "type": "tool_call"}
            ],
        )

    def _generate(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> ChatResult:
        deadline = time.monotonic() + self._options(stop, kwargs).max_time_s
        conv, turn = self._plan(messages, stop, kwargs)
        if turn is not None and turn.is_call:
            return ChatResult(generations=[ChatGeneration(message=self._call_message(turn))])
        answer = (
            turn.answer
            if turn is not None and turn.answer is not None
            else self.backend.generate(conv, self._left(stop, kwargs, deadline), self.adapter)
        )
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=answer))])

    def _stream(
        self,
        messages: list[BaseMessage],
        stop: list[str] | None = None,
        run_manager: CallbackManagerForLLMRun | None = None,
        **kwargs: Any,
    ) -> Iterator[ChatGenerationChunk]:
        deadline = time.monotonic() + self._options(stop, kwargs).max_time_s
        conv, turn = self._plan(messages, stop, kwargs)
        if turn is not None and turn.is_call:
            yield ChatGenerationChunk(message=self._call_message(turn, chunk=True))
            return
        if turn is not None and turn.answer is not None:
            pieces: Iterator[str] = iter([turn.answer])
        else:
            pieces = self.backend.stream(conv, self._left(stop, kwargs, deadline), self.adapter)
        for piece in pieces:
            chunk = ChatGenerationChunk(message=AIMessageChunk(content=piece))
            if run_manager:
                run_manager.on_llm_new_token(piece, chunk=chunk)
            yield chunk
