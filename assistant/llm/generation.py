"""Incremental decoding with a KV cache: free text, stop strings, and choices among strings.

`Decoder` keeps the text generated after the prompt in sync with its token ids: after each
segment it re-tokenises the whole text and crops the cache to the common prefix, so every
forced segment is fed in the tokenisation the model was trained on.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.llm.errors import BackendTimeoutError, ContextTooLongError


@dataclass
class GenerationOptions:
    """Limits and sampling of one generation (greedy + seeded = deterministic)."""

    max_new_tokens: int = 256
    max_time_s: float = 30.0
    temperature: float = 0.0  # 0: greedy
    top_p: float = 1.0
    seed: int = 0
    stop: list[str] = field(default_factory=list)
    repetition_penalty: float = 1.1

    def __post_init__(self) -> None:
        if self.max_new_tokens < 1 or self.max_time_s <= 0:
            raise ValueError("max_new_tokens must be >= 1 and max_time_s > 0")
        if self.temperature < 0 or not (0 < self.top_p <= 1):
            raise ValueError("temperature must be >= 0 and top_p in (0, 1]")


def _lcp(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class Decoder:
    """Greedy / sampled decoding after a prompt, with cache cropping for forced segments."""

    def __init__(self, model: Any, tokenizer: Any, prompt_ids: list[int], deadline: float) -> None:
        import torch
        from transformers import DynamicCache

        self.torch, self.model, self.tok = torch, model, tokenizer
        self.deadline = deadline
        max_pos = getattr(model.config, "max_position_embeddings", 2048)
        if len(prompt_ids) >= max_pos:
            raise ContextTooLongError(
                f"prompt of {len(prompt_ids)} tokens exceeds the model's {max_pos}"
            )
        self.max_pos = max_pos
        self.cache = DynamicCache(config=model.config)
        self.n_prompt = len(prompt_ids)
        self.ids: list[int] = []
        self.text = ""
        self.logits = [self._forward(prompt_ids)]  # logits[i]: next-token logits after i ids

    def _forward(self, ids: list[int]) -> Any:
        if time.monotonic() > self.deadline:
            raise BackendTimeoutError("generation exceeded its time limit")
        if self.n_prompt + len(getattr(self, "ids", [])) + len(ids) > self.max_pos:
            raise ContextTooLongError("generation ran past the model's context length")
        with self.torch.inference_mode():
            out = self.model(
                input_ids=self.torch.tensor([ids]), past_key_values=self.cache, use_cache=True
            )
        return out.logits[0, -1].float()

    def _encode(self, text: str) -> list[int]:
        return self.tok(text, add_special_tokens=False).input_ids

    def _crop(self, n: int) -> None:
        remove = len(self.ids) - n
        if remove > 0:  # transformers 5: a negative count removes that many cached tokens
            self.cache.crop(-remove)
        del self.ids[n:]
        del self.logits[n + 1 :]

    def _feed(self, ids: list[int]) -> None:
        if not ids:
            return
        logits = self._forward(ids)
        # Intermediate positions' logits are not needed by callers that crop back to a
        # position inside `ids`; they re-feed from there (rare), so store only the last.
        self.logits += [None] * (len(ids) - 1) + [logits]
        self.ids += ids

    def _ensure_logits(self, n: int) -> Any:
        """Logits after the first n generated ids (re-feeding one token when not stored)."""
        if self.logits[n] is None:
            last = self.ids[n - 1]
            self._crop(n - 1)
            self._feed([last])
        return self.logits[n]

    def sync(self, text: str) -> None:
        """Make the generated ids the canonical tokenisation of `text`."""
        target = self._encode(text)
        n = _lcp(self.ids, target)
        if n < len(self.ids):
            self._crop(n)
        self._feed(target[n:])
        self.text = text

    def choose(self, candidates: list[str]) -> str:
        """Append the candidate continuation the model prefers (greedy over a token trie)."""
        if len(candidates) == 1:
            self.sync(self.text + candidates[0])
            return candidates[0]
        self.sync(self.text)
        fulls = [self._encode(self.text + c) for c in candidates]
        branch = min(_lcp(self.ids, f) for f in fulls)
        self._crop(branch)
        alive = list(range(len(candidates)))
        pos = branch
        while True:
            done = [c for c in alive if len(fulls[c]) == pos]
            going = [c for c in alive if len(fulls[c]) > pos]
            if done or not going:  # a complete candidate wins over longer ones
                chosen = done[0]
                break
            if len(going) == 1:
                chosen = going[0]
                break
            logits = self._ensure_logits(pos)
            allowed = sorted({fulls[c][pos] for c in going})
            best = allowed[int(self.torch.argmax(logits[allowed]))]
            self._feed([best])
            alive = [c for c in going if fulls[c][pos] == best]
            pos += 1
        self._feed(fulls[chosen][pos:])
        self.text += candidates[chosen]
        return candidates[chosen]

    def free(
        self,
        stop: Callable[[str], int | None],
        max_tokens: int,
        options: GenerationOptions | None = None,
        allowed: list[int] | None = None,
    ) -> str:
        """Generate until stop(segment) gives a cut index (or the limit); append and return it."""
        segment = ""
        for segment, cut in self.stream(stop, max_tokens, options, allowed):
            if cut is not None:
                segment = segment[:cut]
                break
        self.text += segment
        return segment

    def stream(
        self,
        stop: Callable[[str], int | None],
        max_tokens: int,
        options: GenerationOptions | None = None,
        allowed: list[int] | None = None,
    ) -> Iterator[tuple[str, int | None]]:
        """Yield (segment so far, cut index or None) after each token (only `allowed` ids if given)."""
        opts = options or GenerationOptions()
        gen = self.torch.Generator().manual_seed(opts.seed)
        self.sync(self.text)
        start = len(self.ids)
        eos = {self.tok.eos_token_id, self.tok.convert_tokens_to_ids("<|im_end|>")}
        mask = None
        if allowed is not None:
            mask = self.torch.full((self.logits[0].shape[0],), float("-inf"))
            mask[self.torch.tensor(allowed)] = 0.0
        for _ in range(max_tokens):
            logits = self._ensure_logits(len(self.ids)).clone()
            if mask is not None:
                logits = logits + mask
            if opts.repetition_penalty != 1.0 and len(self.ids) > start:
                seen = self.torch.tensor(sorted(set(self.ids[start:])))
                vals = logits[seen]
                logits[seen] = self.torch.where(
                    vals > 0, vals / opts.repetition_penalty, vals * opts.repetition_penalty
                )
            nxt = sample(logits, opts.temperature, opts.top_p, gen)
            if nxt in eos:
                seg = self.tok.decode(self.ids[start:])
                yield seg, len(seg)
                return
            self._feed([nxt])
            seg = self.tok.decode(self.ids[start:])
            if seg.endswith("\ufffd"):  # half of a multi-byte character: wait for the rest
                continue
            yield seg, stop(seg)
        seg = self.tok.decode(self.ids[start:])
        yield seg, len(seg)


def sample(logits: Any, temperature: float, top_p: float, gen: Any) -> int:
    """Next token id: argmax when temperature is 0, else nucleus sampling with a seeded generator."""
    import torch

    if temperature <= 0:
        return int(torch.argmax(logits))
    probs = torch.softmax(logits / temperature, dim=-1)
    if top_p < 1.0:
        sorted_p, idx = torch.sort(probs, descending=True)
        keep = torch.cumsum(sorted_p, 0) - sorted_p < top_p
        probs = torch.zeros_like(probs).scatter(0, idx[keep], sorted_p[keep])
    return int(torch.multinomial(probs, 1, generator=gen))


def stop_at(strings: list[str]) -> Callable[[str], int | None]:
    """A stop function cutting a segment before the first of the stop strings."""

    def _stop(segment: str) -> int | None:
        hits = [i for s in strings if s and (i := segment.find(s)) >= 0]
        return min(hits) if hits else None

    return _stop
