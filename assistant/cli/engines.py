"""`--engine auto|local|ray` of the batch commands (index, eval retrieval, bench search, train
recsys|behavior, finetune build-data): one help text and one way to get the runner."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from assistant.cli.app import fail
from assistant.config import get_settings
from retrieval.runner import ENGINES, Runner, make_runner

ENGINE_HELP = (
    f"Where the batch steps run: {' | '.join(ENGINES)} "
    "(auto: the Ray cluster at SHOPASSIST_RAY_ADDRESS when set, else this process)."
)


@contextmanager
def batch_runner(engine: str) -> Iterator[Runner]:
    """The runner --engine asks for, released at the end (a one-line failure when unreachable)."""
    try:
        runner = make_runner(engine, get_settings().ray_address)
    except (ValueError, ConnectionError, RuntimeError) as exc:
        fail(f"--engine {engine}: {exc}")
    try:
        yield runner
    finally:
        runner.close()
