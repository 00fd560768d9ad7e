"""`shopassist bench chat`: chat turns through the real HTTP server over SSE, timed.

Messages are built from the configured catalog (searches, filters, follow-ups, comparisons,
small talk). The reference, measured in the same run on the same messages, is the agent without
the model (deterministic plans), so the model's share of the latency is visible.
"""

from __future__ import annotations

import contextlib
import random
import socket
import statistics
import threading
import time
from collections.abc import Iterator

import httpx
import uvicorn
from sqlalchemy import select
from typing_extensions import TypedDict

from assistant.agent.runtime import ModelRuntime
from assistant.api.app import create_app
from assistant.config import Settings
from assistant.db.models import Product
from assistant.db.session import session_scope
from assistant.services.keys import create_key, revoke_key

SEED = 7


@contextlib.contextmanager
def serve_in_thread(settings: Settings, runtime: ModelRuntime | None = None) -> Iterator[str]:
    """Run the real app (over runtime, if given) under uvicorn on a free 127.0.0.1 port; yields
    its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, runtime), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, name="uvicorn", daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def conversations(settings: Settings, n: int) -> list[list[str]]:
    """Chat scripts from the catalog: search with a filter, a follow-up, a comparison, small talk."""
    with session_scope(settings.effective_database_url) as db:
        rows = list(db.execute(select(Product.title, Product.brand, Product.price).limit(5000)))
    if not rows:
        raise RuntimeError("the catalog is empty: ingest one first (shopassist ingest catalog ...)")
    rng = random.Random(SEED)
    scripts: list[list[str]] = []
    while sum(len(s) for s in scripts) < n:
        title, brand, price = rng.choice(rows)
        noun = " ".join(title.split(" - ")[0].split()[:3]).lower()
        cap = int(round((price or 100) * 1.5, -1)) or 100
        kind = len(scripts) % 4
        if kind == 0:
            scripts.append([f"{noun} under {cap} rupees", "tell me more about the second one"])
        elif kind == 1:
            scripts.append([f"{brand} {noun}".strip(), "compare the first two"])
        elif kind == 2:
            scripts.append([f"show me {noun} rated 4 stars or more"])
        else:
            scripts.append(["hi there!", f"do you have {noun}?"])
    return scripts


def _turn(client: httpx.Client, key: str, text: str, conv: str | None) -> tuple[float, float, str]:
    """One streamed turn: (first token s, full answer s, conversation id)."""
    body: dict[str, str | bool] = {"message": text, "stream": True}
    if conv:
        body["conversation_id"] = conv
    start = time.perf_counter()
    first = None
    with client.stream("POST", "/v1/chat", json=body, headers={"X-API-Key": key}) as r:
        if r.status_code != 200:
            raise RuntimeError(f"chat returned {r.status_code}: {r.read()[:200]!r}")
        for line in r.iter_lines():
            if line.startswith("event: conversation"):
                continue
            if first is None and line.startswith("event: token"):
                first = time.perf_counter() - start
            if line.startswith("data: ") and '"conversation_id"' in line:
                conv = line.split('"conversation_id": "', 1)[1].split('"', 1)[0]
    total = time.perf_counter() - start
    return (first if first is not None else total), total, conv or ""


class TurnTimes(TypedDict):
    """Time to the first answer token and to the full answer over the timed turns."""

    turns: int
    first_token_ms_p50: float
    first_token_ms_p90: float
    full_answer_ms_p50: float
    full_answer_ms_p90: float


class Reference(TurnTimes):
    """The same turns timed with the reference setup."""

    what: str


class ChatBench(TurnTimes):
    """The configured agent's turn times, the model's load time, and the no-model reference."""

    model: str
    backend: str
    model_load_s: float
    time_budget_s: float
    reference: Reference


def _pct(xs: list[float], q: float) -> float:
    return round(sorted(xs)[min(len(xs) - 1, int(q * len(xs)))] * 1000, 1)


def _run(
    settings: Settings,
    key: str,
    scripts: list[list[str]],
    turns: int,
    runtime: ModelRuntime | None = None,
) -> TurnTimes:
    firsts: list[float] = []
    totals: list[float] = []
    with (
        serve_in_thread(settings, runtime) as base,
        httpx.Client(base_url=base, timeout=120) as client,
    ):
        _turn(client, key, scripts[0][0], None)  # untimed: loads the search engine and caches
        for script in scripts:
            conv = None
            for text in script:
                if len(totals) >= turns:
                    break
                f, t, conv = _turn(client, key, text, conv)
                firsts.append(f)
                totals.append(t)
    return TurnTimes(
        turns=len(totals),
        first_token_ms_p50=round(statistics.median(firsts) * 1000, 1),
        first_token_ms_p90=_pct(firsts, 0.9),
        full_answer_ms_p50=round(statistics.median(totals) * 1000, 1),
        full_answer_ms_p90=_pct(totals, 0.9),
    )


def bench(settings: Settings, turns: int = 20) -> ChatBench:
    """Time `turns` chat turns with the configured agent and with the no-model reference."""
    scripts = conversations(settings, turns)
    with session_scope(settings.effective_database_url) as db:
        key = create_key(db, "widget", None, "bench chat")
    try:
        load_start = time.perf_counter()
        with ModelRuntime(settings) as runtime:
            agent = runtime.agent(wait_for_model=True)  # the model loads before timing starts
            load_s = time.perf_counter() - load_start
            timed = _run(settings, key.raw, scripts, turns, runtime)
        ref = settings.model_copy(update={"agent_use_llm": False})
        result = ChatBench(
            model=settings.llm_model_name if agent.model is not None else "none",
            backend=settings.llm_backend if agent.model is not None else "",
            model_load_s=round(load_s, 1),
            time_budget_s=settings.agent_time_budget_s,
            **timed,
            reference=Reference(
                what="same turns, agent without the model", **_run(ref, key.raw, scripts, turns)
            ),
        )
    finally:
        with session_scope(settings.effective_database_url) as db:
            revoke_key(db, key.key_id)
    return result
