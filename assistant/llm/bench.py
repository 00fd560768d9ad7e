"""Generation speed: tokens/s and time to first token, for a backend and for the reference."""

from __future__ import annotations

import contextlib
import statistics
import time
from pathlib import Path
from typing import Any

from assistant.llm.chat_model import tools_by_name
from assistant.llm.generation import GenerationOptions
from assistant.tools.contract import tool_specs
from finetune.format import prompt_text

BENCH_MESSAGES = [{"role": "user", "content": "Which snacks are good for a long train journey?"}]
PLAN_MESSAGES = [  # what the assistant's planning step decodes before a turn's first token
    "basmati rice under 300 rupees",
    "do you have green tea?",
    "Cello water bottle rated 4 stars or more",
    "what is your return policy for vegetables",
    "I want a gift for my mom, maybe chocolates",
    "where is my last order?",
]
# distinct prompts for time to first token: a repeated prompt would be served from a cache
TTFT_MESSAGES = [BENCH_MESSAGES[0]["content"], *PLAN_MESSAGES]


def _p50(values: list[float]) -> float:
    return round(statistics.median(values), 3)


def bench_reference(model_dir: Path, tokens: int) -> dict[str, Any]:
    """Plain transformers fp32 `generate` (greedy, exactly `tokens` new tokens) on the prompt;
    time to first token over the TTFT prompts."""
    # lazy: torch and the model loader take seconds to import; only the reference run needs them
    import torch

    from assistant.llm.loading import load_model

    model, tok = load_model(model_dir, "float32")

    def ids_of(text: str) -> Any:
        msgs = [{"role": "user", "content": text}]
        return tok(prompt_text(tok, msgs), return_tensors="pt", add_special_tokens=False).input_ids

    ids = ids_of(BENCH_MESSAGES[0]["content"])
    firsts = []
    with torch.inference_mode():
        model.generate(ids, max_new_tokens=1, do_sample=False)  # untimed: first-call setup
        for text in TTFT_MESSAGES:
            prompt = ids_of(text)
            t0 = time.perf_counter()
            model.generate(prompt, max_new_tokens=1, do_sample=False)
            firsts.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        out = model.generate(ids, max_new_tokens=tokens, min_new_tokens=tokens, do_sample=False)
        secs = time.perf_counter() - t0
    n = out.shape[1] - ids.shape[1]
    return {
        "impl": "transformers fp32 generate",
        "prompt_tokens": int(ids.shape[1]),
        "new_tokens": int(n),
        "seconds": round(secs, 3),
        "tokens_per_s": round(n / secs, 2),
        "ttft_s": _p50(firsts),
    }


def _first_piece_s(backend: Any, text: str, adapter: str | None) -> float:
    """Seconds until the backend streams the first piece of an answer to `text`."""
    opts = GenerationOptions(max_new_tokens=32, max_time_s=600, repetition_penalty=1.0)
    t0 = time.perf_counter()
    with contextlib.closing(
        backend.stream([{"role": "user", "content": text}], opts, adapter, prefix="")
    ) as pieces:
        next(pieces, None)
        return time.perf_counter() - t0


def bench_backend(backend: Any, tokens: int, adapter: str | None = None) -> dict[str, Any]:
    """The backend's streaming answer (with the adapter it serves) on the same prompt: tokens/s
    (overall and after the first piece), and the first piece's latency p50 over the TTFT
    prompts."""
    opts = GenerationOptions(max_new_tokens=tokens, max_time_s=600, repetition_penalty=1.0)
    backend.warm_up(adapter)  # untimed: one-off preparation (the bf16 copy, the GGUF export)
    firsts = [_first_piece_s(backend, text, adapter) for text in TTFT_MESSAGES]
    t0 = time.perf_counter()
    first, pieces = None, []
    for piece in backend.stream(BENCH_MESSAGES, opts, adapter, prefix=""):
        if first is None:
            first = time.perf_counter() - t0
        pieces.append(piece)
    secs = time.perf_counter() - t0
    n = _count_tokens(backend, "".join(pieces), len(pieces))
    decode_s = secs - (first or 0.0)
    return {
        "impl": f"shopassist {backend.name} stream",
        "adapter": adapter,
        "new_tokens": n,
        "seconds": round(secs, 3),
        "tokens_per_s": round(n / secs, 2) if secs else 0.0,
        "decode_tokens_per_s": round((n - 1) / decode_s, 2) if n > 1 and decode_s > 0 else 0.0,
        "ttft_s": _p50(firsts),
    }


def _count_tokens(backend: Any, text: str, default: int) -> int:
    if hasattr(backend, "count_tokens"):
        return backend.count_tokens(text)
    tok = getattr(backend, "tok", None)
    return len(tok(text, add_special_tokens=False).input_ids) if tok else default


def bench_plan(backend: Any, adapter: str | None = None) -> dict[str, Any]:
    """Milliseconds to decide a tool call (constrained decoding) per message, p50 and max."""
    tools = tools_by_name(tool_specs())
    opts = GenerationOptions(max_time_s=600)  # a loaded machine is measured, not cut off
    plan = lambda text: backend.plan([{"role": "user", "content": text}], tools, opts, adapter)  # noqa: E731
    plan("hello")  # untimed: first-use preparation (not a timed prompt: no cache hit)
    times = []
    for text in PLAN_MESSAGES:
        t0 = time.perf_counter()
        plan(text)
        times.append((time.perf_counter() - t0) * 1000)
    return {
        "messages": len(times),
        "plan_ms_p50": round(statistics.median(times), 1),
        "plan_ms_max": round(max(times), 1),
    }
