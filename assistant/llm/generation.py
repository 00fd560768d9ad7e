"""Incremental decoding with a KV cache: free text, stop strings, and choices among strings.

`Decoder` keeps the text generated after the prompt in sync with its token ids: after each
segment it re-tokenises the whole text and crops the cache to the common prefix, so every
forced segment is fed in the tokenisation the model was trained on.

The model runs without its output layer: the decoder's last hidden state is kept per position
and scored only against the token ids a step may choose from (a tool name's next token, the
words of the shopper's message). On a 135M model the 49k-word output layer is a fifth of the
weights read per token, and a prompt's full logits are never needed.
"""

from __future__ import annotations

import copy
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from assistant.llm.errors import BackendTimeoutError, ContextTooLongError
from finetune.format import END_OF_TURN


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


class NextTokenScorer:
    """Next-token logits from the last hidden state, for every id or only for allowed ids."""

    def __init__(self, model: Any) -> None:
        # lazy: torch takes seconds to import, and the service imports this module without a model
        import torch

        head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
        soft_cap = getattr(model.config, "final_logit_softcapping", None)
        # Split only a plain linear head (a LoRA-adapted or soft-capped head runs whole).
        linear = head if type(head) is torch.nn.Linear and not soft_cap else None
        self.split = linear is not None
        self.model = model
        # tensors and modules of the (untyped) model: set exactly when split
        self.decoder: Any = model.get_decoder() if linear is not None else None
        self.weight: Any = linear.weight if linear is not None else None
        self.bias: Any = linear.bias if linear is not None else None

    def forward(self, ids: Any, cache: Any) -> list[Any]:
        """States after each of ids [1, T]: hidden rows [H] (all kept: they cost nothing), or,
        when not split, None for all but the last position and its logits [V]."""
        if self.split:
            out = self.decoder(input_ids=ids, past_key_values=cache, use_cache=True)
            return list(out.last_hidden_state[0])
        out = self.model(input_ids=ids, past_key_values=cache, use_cache=True, logits_to_keep=1)
        return [None] * (ids.shape[1] - 1) + [out.logits[0, -1].float()]

    def logits(self, state: Any, allowed: Any = None) -> Any:
        """Logits [V] from a state; with allowed ids [A], -inf everywhere else (only A scored)."""
        # lazy: torch takes seconds to import, and the service imports this module without a model
        import torch

        with torch.inference_mode():
            return self._logits(state, allowed)

    def _logits(self, state: Any, allowed: Any) -> Any:
        if not self.split:
            if allowed is None:
                return state
            masked = state.new_full(state.shape, float("-inf"))
            masked[allowed] = state[allowed]
            return masked
        if allowed is None:
            out = self.weight @ state  # [V, H] @ [H] -> [V]
            return (out + self.bias if self.bias is not None else out).float()
        scores = self.weight[allowed] @ state  # [A, H] @ [H] -> [A]
        if self.bias is not None:
            scores = scores + self.bias[allowed]
        full = state.new_full((self.weight.shape[0],), float("-inf"))
        full[allowed] = scores
        return full.float()


def _lcp(a: list[int], b: list[int]) -> int:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        n += 1
    return n


class Decoder:
    """Greedy / sampled decoding after a prompt, with cache cropping for forced segments.

    Feeding is lazy: forced ids wait in `ids` until a step needs the model's scores, so a
    choice's forced tail, the next forced segment and the next decision run as one forward
    pass (one pass over the weights instead of three).
    """

    def __init__(
        self,
        model: Any,
        tokenizer: Any,
        prompt_ids: list[int],
        deadline: float,
        prefix: tuple[list[int], Any] | None = None,
    ) -> None:
        """Prefill prompt_ids; `prefix` (ids, KV cache of them) skips the prompt's shared head."""
        # lazy: torch takes seconds to import, and the service imports this module without a model
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
        skip = 0
        if prefix is not None:
            # Reuse the prefix's keys and values up to where the prompt departs from it (at
            # least one prompt token is fed: its state starts the decoding).
            skip = min(_lcp(prefix[0], prompt_ids), len(prompt_ids) - 1)
            if skip > 0:
                self.cache = copy.deepcopy(prefix[1])
                if len(prefix[0]) > skip:  # a negative count removes that many cached tokens
                    self.cache.crop(-(len(prefix[0]) - skip))
        self.scorer = NextTokenScorer(model)
        self.n_prompt = len(prompt_ids)
        self.ids: list[int] = []  # generated ids; those past `fed` are not in the cache yet
        self.fed = 0
        self.forwards = 0  # forward passes run (prompt included), for benchmarks
        self.text = ""
        self.states = self._forward(prompt_ids[skip:])[-1:]  # states[i]: state after i ids

    def _forward(self, ids: list[int]) -> list[Any]:
        if time.monotonic() > self.deadline:
            raise BackendTimeoutError("generation exceeded its time limit")
        if self.cache.get_seq_length() + len(ids) > self.max_pos:
            raise ContextTooLongError("generation ran past the model's context length")
        self.forwards += 1
        with self.torch.inference_mode():
            return self.scorer.forward(self.torch.tensor([ids]), self.cache)

    def _encode(self, text: str) -> list[int]:
        return self.tok(text, add_special_tokens=False).input_ids

    def _crop(self, n: int) -> None:
        if self.fed > n:  # transformers 5: a negative count removes that many cached tokens
            self.cache.crop(-(self.fed - n))
            self.fed = n
            del self.states[n + 1 :]
        del self.ids[n:]

    def _feed(self, ids: list[int]) -> None:
        self.ids += ids

    def _flush(self) -> None:
        if self.fed < len(self.ids):
            self.states += self._forward(self.ids[self.fed :])
            self.fed = len(self.ids)

    def _ensure_state(self, n: int) -> Any:
        """The scorer state after the first n generated ids (feeding what is pending)."""
        self._flush()
        if self.states[n] is None:  # an unsplit model keeps only the last state of a pass
            tail = self.ids[n - 1 :]
            self._crop(n - 1)
            self._feed(tail[:1])
            self._flush()
            self._feed(tail[1:])
        return self.states[n]

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
            allowed = sorted({fulls[c][pos] for c in going})
            best = allowed[0]
            if len(allowed) > 1:  # a token every candidate shares is forced: no model call
                logits = self.scorer.logits(self._ensure_state(pos), self.torch.tensor(allowed))
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
        eos = {self.tok.eos_token_id, self.tok.convert_tokens_to_ids(END_OF_TURN)}
        only = self.torch.tensor(sorted(set(allowed))) if allowed is not None else None
        for _ in range(max_tokens):
            logits = self.scorer.logits(self._ensure_state(len(self.ids)), only).clone()
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
    # lazy: torch takes seconds to import, and the service imports this module without a model
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
