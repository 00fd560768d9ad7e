"""The in-process transformers backend (the reference), and the backends' shared names.

`ChatBackend`, `Turn` and the helpers every backend uses live in `assistant.llm.base`; they are
importable from here as before.
"""

from __future__ import annotations

import contextlib
import copy
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from assistant.llm.base import (
    ChatBackend,
    Message,
    Request,
    Turn,
    fit_prompt,
    last_user_text,
    parse_or_raise,
    validate_turn,
)
from assistant.llm.errors import AdapterError, LLMError
from assistant.llm.generation import Decoder, GenerationOptions, stop_at
from assistant.llm.guided import guided_turn
from finetune.format import END_OF_TURN, TOOL_CLOSE, TOOL_OPEN, TURN_START, prompt_text

__all__ = [
    "ChatBackend",
    "Message",
    "TransformersBackend",
    "Turn",
    "fit_prompt",
    "last_user_text",
    "parse_or_raise",
    "validate_turn",
]


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
        super().__init__(brands, categories, adapters_dir)
        self.quantize = quantize
        self._fast: dict[str | None, Any] = {}  # adapter -> merged low-precision copy
        self.model, self.tok = load_model(model_dir, dtype)
        self.model_dir = model_dir
        self.merged: str | None = None  # the adapter folded into the base weights, if any
        self._system_cache: dict[str | None, tuple[list[int], Any]] = {}  # adapter -> KV
        self.max_context = min(
            max_context, getattr(self.model.config, "max_position_embeddings", max_context)
        )

    # --- adapters ------------------------------------------------------------------------
    def load_adapter(self, name: str, path: Path | None = None) -> None:
        """Load a LoRA adapter (from path or adapters_dir/name) under a name."""
        # lazy: peft takes seconds to import, and only a LoRA adapter needs it
        from peft import PeftModel

        path = self.adapter_folder(name, path)
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
            self.adapter_paths[name] = path

    def unload_adapter(self, name: str) -> None:
        """Remove a loaded adapter."""
        with self.lock:
            self.check_loaded(name)
            self._merge(None)
            self._forget(name)
            if len(self.loaded) == 1:
                self.model = self.model.unload()  # back to the plain base model
            else:
                self.model.delete_adapter(name)
            del self.adapter_paths[name]

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

    def _plan(self, req: Request, tools: dict[str, dict]) -> Turn:
        """Constrained decoding of a call; on NO_TOOL the answer is left for `stream`."""
        with self.lock, self._use(req.adapter) as model:
            dec = self._decoder(model, self.prompt_ids(req.messages), req.opts, req.adapter)
            call = guided_turn(dec, tools, self.hints(req.messages))
            raw = dec.text
        if call is None:
            return Turn(raw=raw)
        return self.finish_call(call[0], call[1], tools, req.messages, raw, constrained=True)

    def _free(self, req: Request) -> str:
        """Unconstrained greedy text of the next turn."""
        opts = req.opts
        with self.lock, self._use(req.adapter) as model:
            dec = self._decoder(model, self.prompt_ids(req.messages), opts, req.adapter)
            return dec.free(stop_at([TOOL_CLOSE, "\n"]), opts.max_new_tokens, opts)

    def _stream(self, req: Request, prefix: str) -> Iterator[str]:
        """Stream answer pieces (lock held for the whole stream: one generation at a time)."""
        if req.copy_rule is not None:
            raise LLMError("the transformers backend does not decode under a copy rule")
        opts = req.opts
        stop = stop_at([*opts.stop, END_OF_TURN, TURN_START, TOOL_OPEN])
        with self.lock, self._use(req.adapter) as model:
            dec = self._decoder(model, self.prompt_ids(req.messages, prefix), opts, req.adapter)
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
