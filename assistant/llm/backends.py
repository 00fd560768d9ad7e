"""Chat backends behind one interface: in-process transformers (reference) and OpenAI-compatible HTTP.

Both take the same messages (roles system/user/assistant/tool, tool calls already rendered in
the fine-tune's format), return the same `Turn` (a validated tool call or an answer) and stream
answers as text pieces. Every call has a token limit and a wall-time limit.
"""

from __future__ import annotations

import contextlib
import copy
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.llm.errors import AdapterError, ContextTooLongError, LLMError
from assistant.llm.generation import Decoder, GenerationOptions, stop_at
from assistant.llm.guided import guided_turn
from assistant.tools.arguments import Hints, repair_arguments
from assistant.tools.contract import TOOL_ARGS, ToolCallError, validate_call
from finetune.format import (
    END_OF_TURN,
    NO_TOOL,
    TOOL_CLOSE,
    TOOL_OPEN,
    TURN_START,
    ToolTextError,
    parse_turn,
    prompt_text,
)

Message = dict[str, str]


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
    budget = max_context - 320
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


class ChatBackend(ABC):
    """A chat model that decides tool calls and streams answers."""

    name = "base"

    def __init__(
        self, brands: list[str] | None = None, categories: list[str] | None = None
    ) -> None:
        self.brands, self.categories = brands, categories

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
        args = repair_arguments(name, args, self.hints(messages))
        return Turn(name, validate_turn(name, args, tools), raw=raw, constrained=constrained)

    def warm_up(self, adapter: str | None = None) -> None:  # noqa: B027 - optional hook
        """Do the one-off preparation for `adapter` now (nothing for remote backends)."""

    @abstractmethod
    def plan(
        self,
        messages: list[Message],
        tools: dict[str, dict],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> Turn:
        """Decide the next turn: a validated tool call, or an answer (None: not written yet)."""

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

    @abstractmethod
    def stream(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
        prefix: str = NO_TOOL + "\n",
    ) -> Iterator[str]:
        """Stream an answer as text pieces (the model writes after `prefix`)."""

    def generate(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> str:
        """The whole answer text."""
        return "".join(self.stream(messages, options, adapter))


class TransformersBackend(ChatBackend):
    """In-process transformers model, LoRA adapters switchable per request, one lock."""

    name = "transformers"

    def __init__(
        self,
        model_dir: Path,
        adapters_dir: Path | None = None,
        dtype: str = "float32",
        brands: list[str] | None = None,
        categories: list[str] | None = None,
        max_context: int = 2048,
        quantize: str = "none",
    ) -> None:
        # lazy: loading imports torch and transformers (seconds); only a local model needs them
        from assistant.llm.loading import QUANTIZE, load_model

        if quantize not in QUANTIZE:
            raise LLMError(f"unknown quantize {quantize!r}; valid: {', '.join(QUANTIZE)}")
        super().__init__(brands, categories)
        self.quantize = quantize
        self._fast: dict[str | None, Any] = {}  # adapter -> merged low-precision copy
        self.model, self.tok = load_model(model_dir, dtype)
        self.model_dir, self.adapters_dir = model_dir, adapters_dir
        self.loaded: set[str] = set()
        self.merged: str | None = None  # the adapter folded into the base weights, if any
        self._system_cache: dict[str | None, tuple[list[int], Any]] = {}  # adapter -> KV
        self.lock = threading.RLock()
        self.max_context = min(
            max_context, getattr(self.model.config, "max_position_embeddings", max_context)
        )

    # --- adapters ------------------------------------------------------------------------
    def load_adapter(self, name: str, path: Path | None = None) -> None:
        """Load a LoRA adapter (from path or adapters_dir/name) under a name."""
        # lazy: peft takes seconds to import, and only a LoRA adapter needs it
        from peft import PeftModel

        path = Path(path) if path else (self.adapters_dir or Path()) / name
        if not (path / "adapter_config.json").is_file():
            raise AdapterError(f"no LoRA adapter at {path} (adapter_config.json missing)")
        with self.lock:
            self._merge(None)
            self._forget(name)
            try:
                if not self.loaded:
                    self.model = PeftModel.from_pretrained(self.model, str(path), adapter_name=name)
                else:
                    self.model.load_adapter(str(path), adapter_name=name)
            except Exception as exc:
                raise AdapterError(f"cannot load adapter {name!r} from {path}: {exc}") from exc
            self.model.eval()
            self.loaded.add(name)

    def unload_adapter(self, name: str) -> None:
        """Remove a loaded adapter."""
        with self.lock:
            if name not in self.loaded:
                raise AdapterError(f"adapter {name!r} is not loaded")
            self._merge(None)
            self._forget(name)
            if len(self.loaded) == 1:
                self.model = self.model.unload()  # back to the plain base model
            else:
                self.model.delete_adapter(name)
            self.loaded.discard(name)

    def merge_adapter(self, name: str, out_dir: Path) -> Path:
        """Export base + adapter merged into one plain transformers directory."""
        with self.lock:
            if name not in self.loaded:
                self.load_adapter(name)
            self._merge(None)
            model = copy.deepcopy(self.model)
        model.set_adapter(name)
        merged = model.merge_and_unload()
        merged.save_pretrained(out_dir)
        self.tok.save_pretrained(out_dir)
        return out_dir

    @contextlib.contextmanager
    def _use(self, adapter: str | None) -> Iterator[Any]:
        """Context yielding the model to decode with, `adapter` active (or none); loads it on
        first use. With quantize=bf16|int8 that is a merged low-precision copy, built once
        per adapter."""
        if adapter and adapter not in self.loaded:
            self.load_adapter(adapter)
        if self.quantize != "none":
            yield self._fast_model(adapter)
        elif adapter:
            self._merge(adapter)
            yield self.model
        elif self.loaded:
            self._merge(None)
            with self.model.disable_adapter():
                yield self.model
        else:
            yield self.model

    def _fast_model(self, adapter: str | None) -> Any:
        # lazy: loading imports torch and transformers (seconds); only a local model needs them
        from assistant.llm.loading import reduce_precision

        if adapter not in self._fast:
            self._merge(None)
            plain = copy.deepcopy(self.model)
            if self.loaded:  # a PeftModel: fold this adapter in, or drop them all for the base
                if adapter:
                    plain.set_adapter(adapter)
                plain = plain.merge_and_unload() if adapter else plain.unload()
            self._fast[adapter] = reduce_precision(plain, self.quantize)
        return self._fast[adapter]

    def _forget(self, name: str) -> None:
        """Drop what was derived from adapter `name` (it is being loaded anew or unloaded)."""
        self._system_cache.pop(name, None)
        self._fast.pop(name, None)

    def _merge(self, name: str | None) -> None:
        """Fold adapter `name` into the base weights (None: unfold): a merged adapter decodes
        without LoRA's extra matmuls per layer; switching adapters unfolds the old one first."""
        if self.merged == name:
            return
        if self.merged is not None:
            self.model.unmerge_adapter()
            self.merged = None
        if name is not None:
            self.model.set_adapter(name)
            self.model.merge_adapter([name])
            self.merged = name

    # --- decoding ------------------------------------------------------------------------
    def prompt_ids(self, messages: list[Message], suffix: str = "") -> list[int]:
        """Prompt token ids; the oldest turns are dropped when it does not fit the context."""
        encode = lambda text: self.tok(text, add_special_tokens=False).input_ids  # noqa: E731
        return fit_prompt(messages, encode, self.max_context, suffix, self.tok)

    def _decoder(
        self, model: Any, ids: list[int], opts: GenerationOptions, adapter: str | None
    ) -> Decoder:
        """A decoder over prompt ids, starting from the cached system block of this adapter."""
        if adapter not in self._system_cache:  # the system line is in every prompt
            head = prompt_text(self.tok, [], generation=False)
            system = self.tok(head, add_special_tokens=False).input_ids
            seed = Decoder(model, self.tok, system, time.monotonic() + opts.max_time_s)
            self._system_cache[adapter] = (system, seed.cache)
        prefix = self._system_cache[adapter]
        return Decoder(model, self.tok, ids, time.monotonic() + opts.max_time_s, prefix=prefix)

    def warm_up(self, adapter: str | None = None) -> None:
        """Load, merge or quantize the adapter's decoding model and cache the system prompt."""
        with self.lock, self._use(adapter) as model:
            self._decoder(model, self.prompt_ids([]), GenerationOptions(), adapter)

    def plan(
        self,
        messages: list[Message],
        tools: dict[str, dict],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> Turn:
        """Constrained decoding of a call; on NO_TOOL the answer is left for `stream`."""
        opts = options or GenerationOptions()
        with self.lock, self._use(adapter) as model:
            dec = self._decoder(model, self.prompt_ids(messages), opts, adapter)
            call = guided_turn(dec, tools, self.hints(messages))
            raw = dec.text
        if call is None:
            return Turn(raw=raw)
        return self.finish_call(call[0], call[1], tools, messages, raw, constrained=True)

    def free_turn(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
    ) -> str:
        """Unconstrained greedy text of the next turn (to measure the raw model)."""
        opts = options or GenerationOptions(max_new_tokens=96, repetition_penalty=1.0)
        with self.lock, self._use(adapter) as model:
            dec = self._decoder(model, self.prompt_ids(messages), opts, adapter)
            text = dec.free(stop_at([TOOL_CLOSE, "\n"]), opts.max_new_tokens, opts)
        return text + (TOOL_CLOSE if text.lstrip().startswith("<tool>") else "")

    def stream(
        self,
        messages: list[Message],
        options: GenerationOptions | None = None,
        adapter: str | None = None,
        prefix: str = NO_TOOL + "\n",
    ) -> Iterator[str]:
        """Stream answer pieces (lock held for the whole stream: one generation at a time)."""
        opts = options or GenerationOptions()
        stop = stop_at([*opts.stop, END_OF_TURN, TURN_START, TOOL_OPEN])
        with self.lock, self._use(adapter) as model:
            dec = self._decoder(model, self.prompt_ids(messages, prefix), opts, adapter)
            sent = 0
            for segment, cut in dec.stream(stop, opts.max_new_tokens, opts):
                text = (segment if cut is None else segment[:cut]).lstrip()
                # hold back a possible partial stop string at the end
                safe = len(text) if cut is not None else max(sent, len(text) - 10)
                if safe > sent:
                    yield text[sent:safe]
                    sent = safe
                if cut is not None:
                    return


def parse_or_raise(text: str) -> tuple[str | None, dict[str, Any] | None, str | None]:
    """(name, arguments, answer) of a raw turn; LLMError-compatible errors for garbage."""
    try:
        turn = parse_turn(text)
    except ToolTextError as exc:
        raise ToolCallError(str(exc)) from exc
    return turn.name, turn.arguments, turn.answer
