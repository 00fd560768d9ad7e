"""Generation speed: tokens/s and time to first token, for a backend and for the reference."""

from __future__ import annotations

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


def bench_reference(model_dir: Path, tokens: int) -> dict[str, Any]:
    """Plain transformers fp32 `generate` (greedy, exactly `tokens` new tokens) on the prompt."""
    # lazy: torch and the model loader take seconds to import; only the reference run needs them
    import torch

    from assistant.llm.loading import load_model

    model, tok = load_model(model_dir, "float32")
    ids = tok(
        prompt_text(tok, BENCH_MESSAGES), return_tensors="pt", add_special_tokens=False
    ).input_ids
    with torch.inference_mode():
        t0 = time.perf_counter()
        model.generate(ids, max_new_tokens=1, do_sample=False)
        ttft = time.perf_counter() - t0
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
        "ttft_s": round(ttft, 3),
    }


def bench_backend(backend: Any, tokens: int) -> dict[str, Any]:
    """The backend's streaming answer on the same prompt: first piece latency and tokens/s."""
    opts = GenerationOptions(max_new_tokens=tokens, max_time_s=600, repetition_penalty=1.0)
    backend.warm_up()  # untimed: one-off preparation (e.g. the bf16 copy), as a server does at load
    t0 = time.perf_counter()
    first, pieces = None, []
    for piece in backend.stream(BENCH_MESSAGES, opts, prefix=""):
        if first is None:
            first = time.perf_counter() - t0
        pieces.append(piece)
    secs = time.perf_counter() - t0
    tok = getattr(backend, "tok", None)
    n = len(tok("".join(pieces), add_special_tokens=False).input_ids) if tok else len(pieces)
    return {
        "impl": f"shopassist {backend.name} stream",
        "new_tokens": n,
        "seconds": round(secs, 3),
        "tokens_per_s": round(n / secs, 2) if secs else 0.0,
        "ttft_s": round(first, 3) if first is not None else None,
    }


def bench_plan(backend: Any, adapter: str | None = None) -> dict[str, Any]:
    """Milliseconds to decide a tool call (constrained decoding) per message, p50 and max."""
    tools = tools_by_name(tool_specs())
    plan = lambda text: backend.plan([{"role": "user", "content": text}], tools, None, adapter)  # noqa: E731
    plan(PLAN_MESSAGES[0])  # untimed: first-use preparation
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
