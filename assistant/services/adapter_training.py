"""Training the store's adapter in the background while the service answers with the general one.

`BackgroundTraining` runs `shopassist finetune store-adapter` as a child process (at a lower CPU
priority than the service), copies its output lines into the service log, and calls `on_done`
when the adapter is trained, so the model runtime swaps it in without a restart. The child writes
its progress to a small JSON file beside the adapter (`TrainingStatus`), which the admin endpoint
and `shopassist status` read; the file outlives the process, so a status is there after a
restart too.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel

from assistant.config import Settings
from assistant.llm.adapters import has_adapter, serving_adapter
from assistant.llm.llamacpp_backend import llama_cpp_available

log = logging.getLogger(__name__)

TrainingState = Literal["not_started", "training", "trained", "failed", "stopped"]
ModelState = Literal["not_loaded", "loading", "ready", "unavailable", "off"]
# the settings the child process must share with the service (it reads them from the environment)
CHILD_SETTINGS = (
    "data_dir",
    "database_url",
    "adapter_name",
    "llm_backend",
    "llm_model_path",
    "finetune_examples",
    "finetune_max_minutes",
    "policy_path",
)
CHILD_NICE = 10  # the service's requests come first


class TrainingStatus(BaseModel):
    """Where the store adapter's training stands."""

    state: TrainingState = "not_started"
    adapter: str = ""
    products: int = 0
    examples: int = 0
    step: int = 0
    loss: float | None = None
    elapsed_s: float = 0.0
    budget_s: float = 0.0
    message: str = ""
    updated_at: float = 0.0


class ModelStatus(BaseModel):
    """What the service answers with (backend, adapter, model state) and the store adapter's
    training."""

    backend: str
    llama_cpp_available: bool
    adapter: str | None  # the adapter answering now (None: the base model)
    store_adapter: str
    store_adapter_trained: bool
    model: ModelState = "not_loaded"  # live state, known to the serving process only
    error: str = ""
    training: TrainingStatus


def model_status(settings: Settings) -> ModelStatus:
    """The status as the data directory tells it (the serving process adds the model's state)."""
    return ModelStatus(
        backend=settings.llm_backend,
        llama_cpp_available=llama_cpp_available(),
        adapter=serving_adapter(settings) if settings.llm_backend != "openai" else None,
        store_adapter=settings.adapter_name,
        store_adapter_trained=has_adapter(settings),
        model="not_loaded" if settings.agent_use_llm else "off",
        training=read_status(settings),
    )


def status_path(settings: Settings) -> Path:
    """The store adapter's training status file (beside the adapter's folder)."""
    return settings.path("adapters", f"{settings.adapter_name}.training.json")


def read_status(settings: Settings) -> TrainingStatus:
    """The last written training status (not_started when there is none or it is unreadable)."""
    path = status_path(settings)
    try:
        return TrainingStatus.model_validate_json(path.read_text())
    except (OSError, ValueError):
        return TrainingStatus(adapter=settings.adapter_name)


def write_status(settings: Settings, status: TrainingStatus) -> None:
    """Write the status atomically (readers never see half a file)."""
    path = status_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    status.updated_at = time.time()
    tmp = path.with_name(f"{path.name}.tmp{os.getpid()}")
    tmp.write_text(status.model_dump_json())
    tmp.replace(path)


def child_env(settings: Settings) -> dict[str, str]:
    """The environment of the training process: the service's, plus the settings it shares."""
    env = dict(os.environ)
    values = json.loads(settings.model_dump_json(include=set(CHILD_SETTINGS)))
    for key, value in values.items():
        env[f"SHOPASSIST_{key.upper()}"] = str(value)
    env["SHOPASSIST_DATA_DIR"] = str(settings.data_dir.resolve())
    return env


def _lower_priority() -> None:
    os.nice(CHILD_NICE)


class BackgroundTraining:
    """One training process for the store's adapter; `on_done` runs when it succeeds."""

    def __init__(self, settings: Settings, on_done: Callable[[], None]) -> None:
        self.settings = settings
        self.on_done = on_done
        self._proc: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self._claim: Any = None  # the open lock file while this process owns the training

    def claim(self) -> bool:
        """Become the one process that trains (several service workers share a data dir):
        False when another one already does."""
        path = status_path(self.settings).with_suffix(".lock")
        path.parent.mkdir(parents=True, exist_ok=True)
        f = path.open("w")
        try:
            fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            f.close()
            return False
        self._claim = f
        return True

    @property
    def running(self) -> bool:
        """True while the training process runs."""
        return self._thread is not None and self._thread.is_alive()

    def start(self) -> None:
        """Start the training process (once) and a thread that follows it."""
        if self._thread is not None:
            return
        cmd = [sys.executable, "-c", "from assistant.cli import main; main()"]
        cmd += ["finetune", "store-adapter"]
        self._proc = subprocess.Popen(
            cmd,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=child_env(self.settings),
            preexec_fn=_lower_priority,  # noqa: PLW1509 - no threads touch the child before exec
        )
        self._thread = threading.Thread(target=self._follow, name="adapter-training", daemon=True)
        self._thread.start()
        log.info(
            "adapter training: started (pid %d) for %r", self._proc.pid, self.settings.adapter_name
        )

    def _follow(self) -> None:
        proc = self._proc
        assert proc is not None and proc.stdout is not None
        for line in proc.stdout:
            if line.strip():
                log.info("adapter training: %s", line.rstrip())
        code = proc.wait()
        if self._stopping:
            return
        if code != 0:
            status = read_status(self.settings)
            status.state = "failed"
            status.message = status.message or f"the training process exited with {code}"
            write_status(self.settings, status)
            log.warning(
                "adapter training: failed (exit %d); the general adapter keeps serving", code
            )
            return
        try:
            self.on_done()
        except Exception as exc:  # noqa: BLE001 - the old adapter keeps serving; the status says why
            status = read_status(self.settings)
            status.message = f"trained, but not swapped in: {str(exc)[:200]}"
            write_status(self.settings, status)
            log.warning("adapter training: trained but not swapped in: %s", exc)

    def stop(self) -> None:
        """Stop the training process (at shutdown); its checkpoint lets the next run resume."""
        self._stopping = True
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            try:
                self._proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._proc.kill()
            status = read_status(self.settings)
            if status.state == "training":
                status.state, status.message = "stopped", "the service stopped first"
                write_status(self.settings, status)
        if self._claim is not None:
            self._claim.close()  # releases the lock
            self._claim = None
