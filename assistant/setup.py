"""`make run` preparation: bring a data directory up to a servable state, step by step."""

from __future__ import annotations

import importlib
import multiprocessing
import multiprocessing.process
import os
import time
from collections.abc import Callable

import typer

from assistant.config import Settings

# (label, "module:function") run in order; each step is idempotent and cheap when done.
SETUP_STEPS: list[tuple[str, str]] = [
    ("database schema", "assistant.db.migrate:upgrade"),
    ("demo store (when the catalog is empty)", "assistant.demo:ensure_demo_store"),
    ("query rewriter", "assistant.services.rewrite:prepare"),
    ("search index", "assistant.services.search:ensure_index"),
    ("recommender models", "assistant.services.recs:ensure_models"),
    ("LoRA adapter for this catalog", "assistant.services.adapter:ensure_adapter"),
    ("chat widget demo key", "assistant.services.keys:ensure_demo_key"),
]
# Steps the service answers without, and whose result the next request loads when it appears:
# `serve --setup` runs them while it serves. Until then the chat's search_products matches
# keywords in the database (POST /v1/search answers 503), and a missing recommender is a 503 /
# a failed tool result.
AFTER_START = ("search index", "recommender models")
AFTER_START_NICE = 10  # the service's requests come first


def run_steps(settings: Settings, steps: list[tuple[str, str]], when: str = "") -> None:
    """Run the steps in order, saying how long each took."""
    for label, target in steps:
        module, func = target.split(":")
        step: Callable[[Settings], object] = getattr(importlib.import_module(module), func)
        typer.echo(f"setup: {label}{when} ...")
        t0 = time.monotonic()
        step(settings)
        typer.echo(f"setup: {label} done in {time.monotonic() - t0:.1f} s")


def prepare(settings: Settings, *, defer: bool = False) -> list[tuple[str, str]]:
    """Run every setup step in order, each skipping work that is already done; with `defer`,
    the AFTER_START steps are returned, not run (for `prepare_after_start`)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    later = [s for s in SETUP_STEPS if defer and s[0] in AFTER_START]
    run_steps(settings, [s for s in SETUP_STEPS if s not in later])
    return later


def _run_after_start(settings: Settings, steps: list[tuple[str, str]]) -> None:
    os.nice(AFTER_START_NICE)
    try:
        run_steps(settings, steps, " (in the background; the service answers meanwhile)")
    except KeyboardInterrupt:  # Ctrl-C reaches the whole process group: the service stops too
        typer.echo("setup: background steps stopped (the next `serve --setup` resumes them)")
    except Exception as exc:  # noqa: BLE001 - a deferred step must not stop the service
        typer.echo(f"setup: a background step failed: {exc}", err=True)


def prepare_after_start(
    settings: Settings, steps: list[tuple[str, str]]
) -> multiprocessing.process.BaseProcess | None:
    """Run deferred setup steps in a child process at a lower CPU priority (not in the
    service's process: its requests would wait on the step's Python for the GIL); the child
    ends with the service. None when there is nothing to run."""
    if not steps:
        return None
    child = multiprocessing.get_context("spawn").Process(
        target=_run_after_start, args=(settings, steps), name="setup-after-start", daemon=True
    )
    child.start()
    return child
