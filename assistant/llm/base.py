"""What every chat backend shares: the turn it returns, its public calls, adapter bookkeeping.

A backend (transformers in process, llama.cpp in process, an OpenAI-compatible server) takes the
same messages (roles system/user/assistant/tool, tool calls already rendered in the fine-tune's
format), returns the same `Turn` (a validated tool call or an answer) and streams answers as text
pieces. The public calls (`plan`, `free_turn`, `stream`, `respond`, `generate`) and what they do
around the model (default options, parsing a call's text, repairing and validating it, the
adapters' registry) live here once; a backend implements only its decoding (`_plan`, `_free`,
`_stream`) over a `Request`. Every call has a token limit and a wall-time limit.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.llm.copy_constraint import CopyRule
from assistant.llm.errors import AdapterError, ContextTooLongError
from assistant.llm.generation import GenerationOptions
from assistant.tools.arguments import Hints, repair_arguments
from assistant.tools.contract import TOOL_ARGS, ToolCallError, validate_call
from finetune.format import NO_TOOL, TOOL_CLOSE, TOOL_OPEN, ToolTextError, parse_turn, prompt_text

Message = dict[str, str]
ADAPTER_CONFIG = "adapter_config.json"  # what makes a folder a peft LoRA adapter
REPLY_ROOM = 320  # tokens of the context kept free for the reply


@dataclass
class Turn:
    """One assistant turn: a validated tool call, or an answer text."""

    tool_name: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    answer: str | None = None
    raw: str = ""
    constrained: bool = False  # the call came from constrained decoding

    @property
    def is_call(self) -> bool:
        """True when the turn is a tool call."""
        return self.tool_name is not None


@dataclass(frozen=True)
class Request:
    """One generation: the conversation, its limits and the adapter to decode with."""

    messages: list[Message]
    opts: GenerationOptions
    adapter: str | None = None
    copy_rule: CopyRule | None = None  # the writer's copy constraint on an answer (llama.cpp)


def validate_turn(name: str, args: dict[str, Any], tools: dict[str, dict]) -> dict[str, Any]:
    """Validate a call: contract tools by their pydantic model, others by required keys."""
    if name not in tools:
        raise ToolCallError(f"unknown tool {name!r}; bound tools: {', '.join(tools)}")
    if name in TOOL_ARGS:
        return validate_call(name, args)
    missing = [k for k in tools[name].get("required", []) if k not in args]
    if missing:
        raise ToolCallError(f"{name}: missing arguments {', '.join(missing)}")
    return args


def last_user_text(messages: list[Message]) -> str:
    """The latest user message (what arguments must be justified by)."""
    return next((m["content"] for m in reversed(messages) if m["role"] == "user"), "")


def fit_prompt(
    messages: list[Message],
    encode: Callable[[str], list[int]],
    max_context: int,
    suffix: str = "",
    tokenizer: Any = None,
) -> list[int]:
    """Prompt token ids (the fine-tune's format, written by the tokenizer's chat template when
    one is given) + suffix; the oldest turns are dropped until it fits the context with room
    for the reply."""
    system = [m for m in messages[:1] if m["role"] == "system"]
    rest = messages[len(system) :]
    budget = max_context - REPLY_ROOM
    while True:
        ids = encode(prompt_text(tokenizer, system + rest) + suffix)
        if len(ids) <= budget:
            return ids
        if len(rest) <= 1:
            raise ContextTooLongError(
                f"the message is {len(ids)} tokens; the model allows {budget} for the prompt"
            )
        rest = rest[1:]
        while rest and rest[0]["role"] != "user":
            rest = rest[1:]


def parse_or_raise(text: str) -> tuple[str | None, dict[str, Any] | None, str | None]:
    """(name, arguments, answer) of a raw turn; LLMError-compatible errors for garbage."""
    try:
        turn = parse_turn(text)
    except ToolTextError as exc:
        raise ToolCallError(str(exc)) from exc
    return turn.name, turn.arguments, turn.answer


def closed_call(text: str) -> str:
    """A turn's text with the closing </tool> a stop string cut off put back."""
    if text.lstrip().startswith(TOOL_OPEN) and TOOL_CLOSE not in text:
        return text + TOOL_CLOSE
    return text


class ChatBackend(ABC):
    """A chat model that decides tool calls and streams answers; one lock, one generation at a
    time; LoRA adapters registered by name (a peft folder under adapters_dir, or any path)."""

    name = "base"

    def __init__(
        self,
        brands: list[str] | None = None,
        categories: list[str] | None = None,
        adapters_dir: Path | None = None,
    ) -> None:
        self.brands, self.categories = brands, categories
        self.adapters_dir = adapters_dir
        self.lock = threading.RLock()
        self.adapter_paths: dict[str, Path] = {}  # registered adapter -> its peft folder

    # --- adapters ------------------------------------------------------------------------
    @property
    def loaded(self) -> set[str]:
        """Names of the registered adapters."""
        return set(self.adapter_paths)

    def adapter_folder(self, name: str, path: Path | None = None) -> Path:
        """The peft folder of an adapter (path, or adapters_dir/name); AdapterError if absent."""
        folder = Path(path) if path else (self.adapters_dir or Path()) / name
        if not (folder / ADAPTER_CONFIG).is_file():
            raise AdapterError(f"no LoRA adapter at {folder} ({ADAPTER_CONFIG} missing)")
        return folder

    def check_loaded(self, name: str) -> None:
        """AdapterError unless adapter `name` is registered."""
        if name not in self.adapter_paths:
            raise AdapterError(f"adapter {name!r} is not loaded")

    def load_adapter(self, name: str, path: Path | None = None) -> None:
        """Register a LoRA adapter (from path or adapters_dir/name) under a name; loading it
        again takes its new weights."""
        folder = self.adapter_folder(name, path)
        with self.lock:
            self.adapter_paths[name] = folder

    def unload_adapter(self, name: str) -> None:
        """Forget a registered adapter."""
        with self.lock:
            self.check_loaded(name)
            del self.adapter_paths[name]

    def warm_up(self, adapter: str | None = None) -> None:  # noqa: B027 - optional hook
        """Do the one-off preparation for `adapter` now (nothing for remote backends)."""

    # --- calls ---------------------------------------------------------------------------
    def hints(self, messages: list[Message]) -> Hints:
        """Constraints from the conversation and the catalog names this backend knows."""
        return Hints.from_conversation(
            last_user_text(messages),
            "\n".join(m["content"] for m in messages),
            self.brands,
            self.categories,
        )

    def finish_call(
        self,
        name: str,
        args: dict[str, Any],
        tools: dict[str, dict],
        messages: list[Message],
        raw: str,
        constrained: bool,
    ) -> Turn:
        """Repair (catalog and message checks) then validate a proposed call."""
        args = {k: v.strip() if isinstance(v, str) else v for k, v in args.items()}
        args = repair_arguments(name, args, self.hints(messages))
        return Turn(name, validate_turn(name, args, tools), raw=raw, constrained=constrained)

    def turn_from_text(
        self, raw: str, tools: dict[str, dict], messages: list[Message], constrained: bool
    ) -> Turn:
        """The turn a model wrote as text: an answer (None: NO_TOOL, nothing written yet) or a
        repaired, validated call. ToolTextError: the text is not a turn; ToolCallError: the
        call breaks its contract."""
        raw = closed_call(raw)
        turn = parse_turn(raw)
        if turn.name is None:
            return Turn(answer=turn.answer or None, raw=raw)
        return self.finish_call(turn.name, turn.arguments or {}, tools, messages, raw, constrained)

    def plan(
        self,
        messages: list[Message],
        tools: dict[str, dict],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> Turn:
        """Decide the next turn: a validated tool call, or an answer (None: not written yet)."""
        return self._plan(Request(messages, options or GenerationOptions(), adapter), tools)

    def free_turn(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> str:
        """Unconstrained greedy text of the next turn (to measure the raw model)."""
        opts = options or GenerationOptions(max_new_tokens=96, repetition_penalty=1.0)
        return closed_call(self._free(Request(messages, opts, adapter)))

    def stream(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
        prefix: str = NO_TOOL + "\n",
        copy_rule: CopyRule | None = None,
    ) -> Iterator[str]:
        """Stream an answer as text pieces (the model writes after `prefix`), under the
        writer's copy rule when given (backends that cannot decode under one refuse it);
        leading spaces are dropped."""
        req = Request(messages, options or GenerationOptions(), adapter, copy_rule)
        started = False
        for piece in self._stream(req, prefix):
            if not started:
                piece = piece.lstrip()
                started = bool(piece)
            if piece:
                yield piece

    def respond(
        self,
        messages: list[Message],
        tools: dict[str, dict] | None = None,
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> Turn:
        """The next turn in full: a tool call (when tools are given) or a written answer."""
        if tools:
            turn = self.plan(messages, tools, options, adapter)
            if turn.is_call or turn.answer is not None:
                return turn
        return Turn(answer=self.generate(messages, options, adapter))

    def generate(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> str:
        """The whole answer text."""
        return "".join(self.stream(messages, options, adapter))

    # --- what a backend implements -------------------------------------------------------
    @abstractmethod
    def _plan(self, req: Request, tools: dict[str, dict]) -> Turn:
        """Decode the next turn of req (a call under the backend's constraints, or NO_TOOL)."""

    @abstractmethod
    def _free(self, req: Request) -> str:
        """Unconstrained text of the next turn, up to the end of a call or of the first line."""

    @abstractmethod
    def _stream(self, req: Request, prefix: str) -> Iterator[str]:
        """Answer text pieces after `prefix`, up to the end of the turn."""
