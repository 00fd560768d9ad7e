"""In-process llama.cpp backend (llama-cpp-python): the same GGUF, LoRA adapters as GGUF LoRAs.

Same prompts (`finetune.format`), same `Turn`s and the same checks as the transformers backend;
the tool call is decoded by llama.cpp's grammar sampler under a GBNF grammar built for each
request (`assistant.llm.grammar`), so no sampler is written here. One `Llama` per adapter (the
base GGUF plus that adapter's GGUF LoRA): each keeps its own prompt cache, so switching stores
does not evict another store's system prompt. One lock: one generation at a time.
"""

from __future__ import annotations

import importlib.util
import os
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from assistant.llm.base import ChatBackend, Message, Request, Turn, fit_prompt
from assistant.llm.copy_constraint import CopyRule
from assistant.llm.errors import (
    AdapterError,
    BackendResponseError,
    BackendTimeoutError,
    ModelLoadError,
)
from assistant.llm.generation import GenerationOptions
from assistant.llm.grammar import CallGrammar, word_pieces
from finetune.format import NO_TOOL, TOOL_CLOSE, TOOL_OPEN, ToolTextError, render_prompt
from finetune.gguf_export import ExportError, gguf_path, is_exported

# a call is ~30 tokens, but a long query copied into `query` (or several ids) can take 100+:
# 160 cut such calls short (no closing brace, an error instead of a call)
PLAN_TOKENS = 320


def llama_cpp_available() -> bool:
    """True when llama-cpp-python is installed (it is built from source: it may not be)."""
    return importlib.util.find_spec("llama_cpp") is not None


def cpu_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def cpu_threads() -> int:
    """Decoding threads: the cores this process may run on, less one (at least one).

    llama.cpp's threads meet at a barrier after every layer and spin while they wait: on 2 cores
    shared with other work (the store adapter's background training, the search, other jobs)
    a descheduled thread stalls the other. Measured here with the machine's load average at ~10:
    4 tool-call plans took 23-38 s each with 2 threads and 2.6-8.6 s with 1."""
    return max(1, cpu_cores() - 1)


class LlamaCppBackend(ChatBackend):
    """llama.cpp in process; `adapter` names a LoRA under adapters_dir, exported on first use."""

    name = "llamacpp"

    def __init__(
        self,
        model_path: Path,
        adapters_dir: Path | None = None,
        brands: list[str] | None = None,
        categories: list[str] | None = None,
        max_context: int = 2048,
        threads: int | None = None,
        export: Callable[[Path], Path] | None = None,
        merge: Callable[[Path], Path] | None = None,
    ) -> None:
        """`model_path` is the base GGUF; `export(adapter_dir)` writes an adapter's GGUF LoRA
        when it is missing or older than the adapter's weights; `merge(lora_gguf)`, when given,
        returns a model file with that LoRA merged in, loaded instead of base + LoRA."""
        if not llama_cpp_available():
            raise ModelLoadError(
                "llm_backend=llamacpp needs llama-cpp-python (pip install '.[llamacpp]'; "
                "it builds from source): use llm_backend=transformers meanwhile"
            )
        model_path = Path(model_path)
        if model_path.suffix.lower() != ".gguf" or not model_path.is_file():
            raise ModelLoadError(f"llm_backend=llamacpp needs a GGUF file, not {model_path}")
        super().__init__(brands, categories, adapters_dir)
        self.model_path = model_path
        self.max_context, self.threads = max_context, threads or cpu_threads()
        # a prompt is one batch: its threads meet at a barrier once per layer, not per token,
        # so all the cores evaluate it (an explicit `threads` sets both)
        self.batch_threads = threads or cpu_cores()
        self.export, self.merge = export, merge
        self._llamas: dict[str | None, Any] = {}  # adapter -> Llama (None: the base model)
        self._pieces: dict[int, str] = {}  # token id -> its text (for copied arguments)
        self.base = self._llama(None)

    # --- models and adapters -------------------------------------------------------------
    def _new_llama(self, lora: Path | None) -> Any:
        model = self.model_path
        if lora is not None and self.merge is not None:
            model, lora = self._merged(lora), None
        # lazy: llama-cpp-python is optional (built from source); only this backend loads it
        from assistant.llm.llamacpp_sampling import GrammarLlama

        try:
            return GrammarLlama(
                model_path=str(model),
                lora_path=str(lora) if lora else None,
                n_ctx=self.max_context,
                n_batch=512,
                n_threads=self.threads,
                n_threads_batch=self.batch_threads,
                verbose=False,
            )
        except (ValueError, RuntimeError) as exc:
            what = f"adapter {lora}" if lora else f"model {model}"
            raise (AdapterError if lora or model != self.model_path else ModelLoadError)(
                f"llama.cpp cannot load {what}: {exc}"
            ) from exc

    def _merged(self, lora: Path) -> Path:
        assert self.merge is not None
        try:
            return self.merge(lora)
        except (OSError, ValueError, RuntimeError) as exc:
            raise AdapterError(f"cannot merge adapter {lora} into the base: {exc}") from exc

    def _llama(self, adapter: str | None) -> Any:
        if adapter not in self._llamas:
            if adapter is not None and adapter not in self.adapter_paths:
                self.load_adapter(adapter)
            lora = gguf_path(self.adapter_paths[adapter]) if adapter else None
            self._llamas[adapter] = self._new_llama(lora)
        return self._llamas[adapter]

    def load_adapter(self, name: str, path: Path | None = None) -> None:
        """Register a LoRA adapter (a peft folder; its GGUF is exported when missing/stale, and
        merged into the base when the backend merges)."""
        folder = self.adapter_folder(name, path)
        if not is_exported(folder):
            if self.export is None:
                raise AdapterError(f"adapter {name!r} has no GGUF export ({gguf_path(folder)})")
            try:
                self.export(folder)
            except ExportError as exc:
                raise AdapterError(f"cannot export adapter {name!r} for llama.cpp: {exc}") from exc
        if self.merge is not None:  # made here, outside the lock: turns go on meanwhile
            self._merged(gguf_path(folder))
        with self.lock:
            self._llamas.pop(name, None)  # a reload takes the new weights
            self.adapter_paths[name] = folder

    def unload_adapter(self, name: str) -> None:
        """Forget an adapter (and free its model copy)."""
        with self.lock:
            super().unload_adapter(name)
            llama = self._llamas.pop(name, None)
            if llama is not None:
                llama.close()

    # --- text and tokens -----------------------------------------------------------------
    def encode(self, text: str) -> list[int]:
        """Token ids of text (special tokens such as <|im_start|> parsed, no BOS added)."""
        return self.base.tokenize(text.encode("utf-8"), add_bos=False, special=True)

    def count_tokens(self, text: str) -> int:
        """How many tokens a text is (for tokens/s figures)."""
        return len(self.base.tokenize(text.encode("utf-8"), add_bos=False, special=False))

    def prompt_ids(self, messages: list[Message], suffix: str = "") -> list[int]:
        """Prompt token ids; the oldest turns are dropped when it does not fit the context."""
        return fit_prompt(messages, self.encode, self.max_context, suffix)

    def token_pieces(self, text: str) -> list[str]:
        """The strings of the tokens that spell `text` (complete UTF-8 pieces only)."""
        out = []
        for i in self.base.tokenize(text.encode("utf-8"), add_bos=False, special=False):
            if i not in self._pieces:
                try:
                    self._pieces[i] = self.base.detokenize([i]).decode("utf-8")
                except UnicodeDecodeError:  # half of a character: the whole word covers it
                    self._pieces[i] = ""
            out.append(self._pieces[i])
        return out

    def grammar(self, messages: list[Message], tools: dict[str, dict]) -> CallGrammar:
        """The call grammar of this request (tool contract + conversation + catalog names)."""
        return CallGrammar(
            tools, self.hints(messages), lambda text: word_pieces(text, self.token_pieces)
        )

    # --- decoding ------------------------------------------------------------------------
    def complete(
        self,
        adapter: str | None,
        prompt: list[int],
        max_tokens: int,
        opts: GenerationOptions,
        stop: list[str],
        repeat_penalty: float = 1.0,
        copy_rule: CopyRule | None = None,
    ) -> Iterator[str]:
        """Stream text pieces of a completion (caller holds the lock); time-limited. A copy
        rule decodes greedily under it (`llamacpp_sampling.CopyGreedy`)."""
        deadline = time.monotonic() + opts.max_time_s
        llama = self._llama(adapter)
        kwargs: dict[str, Any] = {}
        if copy_rule is not None:  # GrammarLlama reads it back as its sampler
            kwargs["logits_processor"] = [copy_rule]
            repeat_penalty = 1.0
        chunks: Any = llama.create_completion(
            prompt,
            max_tokens=max_tokens,
            temperature=opts.temperature,
            top_p=opts.top_p,
            top_k=0,
            min_p=0.0,
            seed=opts.seed,
            repeat_penalty=repeat_penalty,
            stop=stop,
            stream=True,
            **kwargs,
        )
        try:
            for chunk in chunks:
                yield chunk["choices"][0]["text"]
                if time.monotonic() > deadline:
                    raise BackendTimeoutError("generation exceeded its time limit")
        finally:
            chunks.close()

    def constrained(
        self,
        adapter: str | None,
        prompt: list[int],
        grammar: str,
        max_tokens: int,
        opts: GenerationOptions,
    ) -> str:
        """The greedy completion under a GBNF grammar, up to its end (caller holds the lock);
        the text the grammar forces is evaluated in batches (`GrammarLlama.constrained_text`)."""
        deadline = time.monotonic() + opts.max_time_s
        return str(self._llama(adapter).constrained_text(prompt, grammar, max_tokens, deadline))

    def warm_up(self, adapter: str | None = None) -> None:
        """Load the adapter's model (exporting its GGUF if needed) and cache the system prompt."""
        with self.lock:
            head = render_prompt([])
            opts = GenerationOptions(max_time_s=600)  # one-off loading, not a shopper's turn
            list(self.complete(adapter, self.encode(head), 1, opts, []))

    def _plan(self, req: Request, tools: dict[str, dict]) -> Turn:
        """Decode the turn under the request's grammar; on NO_TOOL the answer is left for
        `stream`."""
        with self.lock:
            prompt = self.prompt_ids(req.messages)
            grammar = self.grammar(req.messages, tools).turn()
            # the call ends where its grammar does: no end-of-turn token is decoded
            text = self.constrained(req.adapter, prompt, grammar, PLAN_TOKENS, req.opts)
        if not text.startswith(TOOL_OPEN):  # the grammar's only other word: NO_TOOL
            return Turn(raw=NO_TOOL)
        try:
            return self.turn_from_text(text, tools, req.messages, constrained=True)
        except ToolTextError as exc:  # only when the token budget cut the call short
            raise BackendResponseError(f"llama.cpp returned no complete tool call: {exc}") from exc

    def _free(self, req: Request) -> str:
        """Unconstrained greedy text of the next turn."""
        opts = req.opts
        with self.lock:
            prompt = self.prompt_ids(req.messages)
            stop = [TOOL_CLOSE, "\n"]
            limit, penalty = opts.max_new_tokens, opts.repetition_penalty
            return "".join(self.complete(req.adapter, prompt, limit, opts, stop, penalty))

    def _stream(self, req: Request, prefix: str) -> Iterator[str]:
        """Stream answer pieces (lock held for the whole stream: one generation at a time)."""
        opts = req.opts
        stop = [*opts.stop, "<|im_end|>", "<|im_start|>", TOOL_OPEN]
        with self.lock:
            prompt = self.prompt_ids(req.messages, prefix)
            limit, penalty = opts.max_new_tokens, opts.repetition_penalty
            yield from self.complete(req.adapter, prompt, limit, opts, stop, penalty, req.copy_rule)

    def close(self) -> None:
        """Free every model copy."""
        with self.lock:
            for llama in self._llamas.values():
                llama.close()
            self._llamas.clear()
