"""Greedy decoding under a llama.cpp grammar: the grammar checked on the best token first, and
the text the grammar forces evaluated in one batch instead of decoded token by token.

llama-cpp-python runs its grammar sampler over the whole 49k-token vocabulary at every step;
on SmolLM2-135M that costs as much as the forward pass itself. llama.cpp's own sampler
(`common_sampler_sample`) asks the grammar about the model's best token first and filters the
whole vocabulary only when the grammar rejects it: the same tokens come out, and a fine-tuned
model's best token is nearly always allowed. This module does that with llama.cpp's grammar
sampler (`llama_sampler_init_grammar`); the grammar engine stays llama.cpp's.

Most of a tool call is forced by its grammar (`<tool>{"name":"`, `","arguments":{"`, an
argument's `":`, a number the shopper wrote, the closing `}}</tool>`). `constrained_text` asks
a copy of the grammar which single characters may come next; while exactly one may, the text is
forced. Forced text is written with the tokens the tokenizer gives it in context (those of the
fine-tune's data), evaluated in one batch with the model's last token, and a forced end of the
call is not evaluated at all: a plan costs one forward pass per token the model chooses.
"""

from __future__ import annotations

import ctypes
import math
import time
from typing import Any

import llama_cpp
import numpy as np
from llama_cpp import Llama

from assistant.llm.copy_constraint import RANKED, CopyChooser, CopyRule
from assistant.llm.errors import BackendResponseError, BackendTimeoutError

MAX_FORCED_CHARS = 256  # a forced run is never longer than a call's fixed parts
# when the grammar rejects the best token, the next best are asked before the whole vocabulary
# (49k tokens through the grammar: ~20 ms); the same token comes out either way
TOP_CANDIDATES = 64


def _candidates(ids: list[int]) -> Any:
    """A llama_token_data array of `ids` (logits 0)."""
    data = (llama_cpp.llama_token_data * len(ids))()
    for i, tok in enumerate(ids):
        data[i] = llama_cpp.llama_token_data(tok, 0.0, 0.0)
    return data


class GrammarFirstGreedy:
    """Argmax vetted by a GBNF grammar (one per request), and the text the grammar forces."""

    def __init__(self, vocab: Any, grammar: str, n_vocab: int) -> None:
        self.sampler: Any = llama_cpp.llama_sampler_init_grammar(vocab, grammar.encode(), b"root")
        if not self.sampler:
            raise BackendResponseError("llama.cpp rejected the tool-call grammar")
        self.n_vocab = n_vocab
        self._one = (llama_cpp.llama_token_data * 1)()
        self._top = (llama_cpp.llama_token_data * TOP_CANDIDATES)()
        self._all = (llama_cpp.llama_token_data * n_vocab)()

    @staticmethod
    def _apply(sampler: Any, data: Any, size: int) -> None:
        arr = llama_cpp.llama_token_data_array(data=data, size=size, selected=-1, sorted=False)
        llama_cpp.llama_sampler_apply(sampler, ctypes.byref(arr))

    def sample(self, ctx: Any, idx: int) -> int:
        """The next token at output `idx` of the last decode; the grammar accepts it."""
        ptr = llama_cpp.llama_get_logits_ith(ctx.ctx, idx)
        logits = np.ctypeslib.as_array(ptr, shape=(self.n_vocab,))
        token = int(logits.argmax())
        self._one[0] = llama_cpp.llama_token_data(token, float(logits[token]), 0.0)
        self._apply(self.sampler, self._one, 1)
        if not math.isfinite(self._one[0].logit):  # rejected: the best of the next ones
            token = self._best_allowed(logits, self._top, TOP_CANDIDATES)
            if token < 0:  # none of them: filter the whole vocabulary
                token = self._best_allowed(logits, self._all, self.n_vocab)
        self.accept(token)
        return token

    def _best_allowed(self, logits: np.ndarray, data: Any, size: int) -> int:
        """The highest-logit token of the `size` best that the grammar allows (-1: none)."""
        view = np.ctypeslib.as_array(data)  # fields id, logit, p
        ids = (
            np.arange(self.n_vocab)
            if size >= self.n_vocab
            else np.argpartition(-logits, size)[:size]
        )
        view["id"] = ids
        view["logit"] = logits[ids]
        self._apply(self.sampler, data, size)
        best = int(view["logit"].argmax())
        return int(view["id"][best]) if math.isfinite(view["logit"][best]) else -1

    def accept(self, token: int) -> None:
        """Advance the grammar over a token (sampled, or forced by the grammar)."""
        llama_cpp.llama_sampler_accept(self.sampler, token)

    def forced(self, chars: dict[int, str], eog: int) -> tuple[str, list[str], bool]:
        """(the text the grammar forces next, the characters allowed after it, whether the
        grammar is complete after it), probing a copy of the grammar with the one-character
        tokens `chars` (token id -> character); a character outside them ends the forced run."""
        probe = llama_cpp.llama_sampler_clone(self.sampler)
        ids = list(chars)
        data = _candidates(ids)
        text: list[str] = []
        try:
            while len(text) < MAX_FORCED_CHARS:
                for i in range(len(ids)):
                    data[i].logit = 0.0
                self._apply(probe, data, len(ids))
                allowed = [ids[i] for i in range(len(ids)) if math.isfinite(data[i].logit)]
                if len(allowed) != 1:
                    break
                llama_cpp.llama_sampler_accept(probe, allowed[0])
                text.append(chars[allowed[0]])
            end = _candidates([eog])
            self._apply(probe, end, 1)
            complete = not allowed and math.isfinite(end[0].logit)
        finally:
            llama_cpp.llama_sampler_free(probe)
        return "".join(text), [chars[i] for i in allowed], complete

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
    """`Llama` whose completions with a CopyRule (passed as the only logits processor) use
    `CopyGreedy`, and that decodes grammar-constrained text with forced runs
    (`constrained_text`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._chars: dict[int, str] | None = None

    def _init_sampler(self, *args: Any, **kwargs: Any) -> Any:
        procs = kwargs.get("logits_processor") or []
        if len(procs) == 1 and isinstance(procs[0], CopyRule):
            return CopyGreedy(self, procs[0])
        return super()._init_sampler(*args, **kwargs)

    def char_tokens(self) -> dict[int, str]:
        """Token id -> character, for the printable ASCII characters that are one token."""
        if self._chars is None:
            self._chars = {}
            for code in range(0x20, 0x7F):
                ids = self.tokenize(bytes([code]), add_bos=False, special=False)
                if len(ids) == 1 and self.detokenize(ids) == bytes([code]):
                    self._chars[ids[0]] = chr(code)
        return self._chars

    def resume(self, prompt: list[int]) -> list[int]:
        """Keep the KV cache of the prompt's longest prefix already evaluated (the system line,
        a conversation's earlier turns); the tokens still to evaluate (at least one: the last
        token's logits are needed)."""
        cached = self.input_ids[: self.n_tokens]
        same = 0
        for a, b in zip(cached, prompt, strict=False):
            if a != b:
                break
            same += 1
        self.n_tokens = min(same, len(prompt) - 1)  # eval() drops the KV cache past n_tokens
        return prompt[self.n_tokens :]

    def _tokens(self, text: bytes) -> list[int]:
        return self.tokenize(text, add_bos=False, special=False)

    def _respelled(self, last: list[int], forced: str, nexts: list[str]) -> list[int]:
        """The tokens the tokenizer writes for the model's last token's text + `forced`, up to
        the last one that no allowed next character could change ([] when they do not cover
        the last token's text: nothing to force yet)."""
        head = self.detokenize(last)
        text = head + forced.encode()
        if not nexts:  # the next character is not ASCII: the last token may still change
            stable = self._tokens(text)[:-1]
        else:
            stable = self._tokens(text + nexts[0].encode())
            for ch in nexts[1:]:
                ids = self._tokens(text + ch.encode())
                n = 0
                while n < min(len(stable), len(ids)) and stable[n] == ids[n]:
                    n += 1
                stable = stable[:n]
        covered = self.detokenize(stable)
        if len(covered) <= len(head) or not covered.startswith(head):
            return []
        return stable

    def constrained_text(
        self, prompt: list[int], grammar: str, max_tokens: int, deadline: float
    ) -> str:
        """The greedy completion of `prompt` under `grammar`, up to the grammar's end (or
        max_tokens); forced text is evaluated in batches, a forced end not at all.
        BackendTimeoutError past `deadline` (time.monotonic()).

        Forced text is written as the tokenizer writes it (the fine-tune's tokens): the
        model's last token, not evaluated yet, is spelled again with it, so a `q` the grammar
        allowed before `uery":"` becomes `query` `":"`."""
        sampler = GrammarFirstGreedy(self._model.vocab, grammar, self._n_vocab)
        chars, eog = self.char_tokens(), int(self.token_eos())
        char_ids = {ch: tok for tok, ch in chars.items()}
        out: list[int] = []  # every token of the completion so far
        pending = self.resume(prompt)  # tokens to evaluate before the model's next choice
        try:
            while len(out) < max_tokens:
                forced, nexts, complete = sampler.forced(chars, eog)
                if complete:  # the rest is fixed: no need to evaluate it
                    return (self.detokenize(out) + forced.encode()).decode("utf-8", "replace")
                last = out[-1:]  # the model's last choice: in `pending`, not evaluated yet
                spelled = self._respelled(last, forced, nexts) if forced else []
                if spelled:
                    new = self.detokenize(spelled)[len(self.detokenize(last)) :].decode()
                    for ch in new:  # the grammar reads characters, whatever the tokens
                        sampler.accept(char_ids[ch])
                    out[len(out) - len(last) :] = spelled
                    pending[len(pending) - len(last) :] = spelled
                self.eval(pending)
                token = sampler.sample(self._ctx, -1)
                out.append(token)
                pending = [token]
                if time.monotonic() > deadline:
                    raise BackendTimeoutError("generation exceeded its time limit")
            return self.detokenize(out).decode("utf-8", "replace")
        finally:
            sampler.close()
