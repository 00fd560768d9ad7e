"""Greedy decoding under a llama.cpp grammar, the grammar checked on the best token first.

llama-cpp-python runs its grammar sampler over the whole 49k-token vocabulary at every step;
on SmolLM2-135M that costs as much as the forward pass itself. llama.cpp's own sampler
(`common_sampler_sample`) asks the grammar about the model's best token first and filters the
whole vocabulary only when the grammar rejects it: the same tokens come out, and a fine-tuned
model's best token is nearly always allowed. This module does that with llama.cpp's grammar
sampler (`llama_sampler_init_grammar`); the grammar engine stays llama.cpp's.
"""

from __future__ import annotations

import ctypes
import math
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama

from assistant.llm.copy_constraint import RANKED, CopyChooser, CopyRule
from assistant.llm.errors import BackendResponseError


class GrammarFirstGreedy:
    """A sampler for `Llama.generate`: argmax, vetted by a GBNF grammar (one per request)."""

    def __init__(self, vocab: Any, grammar: str, n_vocab: int) -> None:
        self.sampler: Any = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode(), b"root")
        if not self.sampler:
            raise BackendResponseError("llama.cpp rejected the tool-call grammar")
        self.n_vocab = n_vocab
        self._one = (llama_cpp.llama_token_data * 1)()
        self._all = (llama_cpp.llama_token_data * n_vocab)()
        self._all_view = np.ctypeslib.as_array(self._all)  # fields id, logit, p

    def _apply(self, data: Any, size: int) -> None:
        arr = llama_cpp.llama_token_data_array(data=data, size=size, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(self.sampler, ctypes.byref(arr))

    def sample(self, ctx: Any, idx: int) -> int:
        """The next token at output `idx` of the last decode; the grammar accepts it."""
        ptr = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        logits = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))
        token = int(logits.argmax())
        self._one[0] = llama_cpp.llama_token_data(token, float(logits[token]), 0.0)
        self._apply(self._one, 1)
        if not math.isfinite(self._one[0].logit):  # rejected: filter the whole vocabulary
            view = self._all_view
            view["id"] = np.arange(self.n_vocab)
            view["logit"] = logits
            self._apply(self._all, self.n_vocab)
            token = int(view["logit"].argmax())
        llama_cpp.llama_sampler_accept(self.sampler, token)
        return token

    def close(self) -> None:
        """Free the grammar sampler."""
        if self.sampler:
            llama_cpp.llama_sampler_free(self.sampler)
            self.sampler = None

    def __del__(self) -> None:
        self.close()


class CopyGreedy:
    """A sampler for `Llama.generate`: argmax under a CopyRule (the writer's copy constraint),
    asking the rule about the model's best RANKED tokens in order."""

    def __init__(self, llama: Llama, rule: CopyRule) -> None:
        vocab = llama._model.vocab
        self.n_vocab = llama._n_vocab
        self.end = int(llama.token_eos())
        pieces: dict[int, bytes] = {}

        def piece(tok: int) -> bytes:
            if tok not in pieces:
                pieces[tok] = llama.detokenize([tok], special=False)
            return pieces[tok]

        self.chooser = CopyChooser(
            rule, piece, lambda tok: bool(llama_cpp.llama_vocab_is_eog(vocab, tok))
        )

    def sample(self, ctx: Any, idx: int) -> int:
        """The best next token the copy rule accepts."""
        ptr = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        logits = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))
        top = np.argpartition(-logits, RANKED)[:RANKED]
        ranked = top[np.argsort(-logits[top])]
        return self.chooser.choose([int(t) for t in ranked], self.end)

    def close(self) -> None:
        """Nothing to free (no llama.cpp sampler object)."""


class GrammarLlama(Llama):
    """`Llama` whose greedy, penalty-free grammar completions use `GrammarFirstGreedy`, and
    whose completions with a CopyRule (passed as the only logits processor) use `CopyGreedy`."""

    def _init_sampler(self, *args: Any, **kwargs: Any) -> Any:
        procs = kwargs.get("logits_processor") or []
        if len(procs) == 1 and isinstance(procs[0], CopyRule):
            return CopyGreedy(self, procs[0])
        grammar = kwargs.get("grammar")
        if grammar is None or kwargs.get("temp") != 0.0 or kwargs.get("repeat_penalty") != 1.0:
            return super()._init_sampler(*args, **kwargs)
        return GrammarFirstGreedy(self._model.vocab, grammar._grammar, self._n_vocab)
