"""The model runtime of one service: the backend, the chat model over it and the agent that plans
with them.

One object per process, created by its owner (the app's lifespan, a CLI command, a benchmark)
and handed to whoever runs turns; nothing about the model lives in a module. The model loads in a
background thread on first use (or at once with wait=True); until it is ready, or when it cannot
load, the agent plans with rules and its fallback says why (model_loading / model_unavailable).
The agents' model calls run in the runtime's threads; close() shuts them down.

With adapter_training=background (`serve --setup`), start_training() trains the store's adapter in
a child process while the general adapter answers; when it is trained, swap_adapter() loads it
and the next turn plans with it: no restart, and nothing a shopper sees.

An experiment arm may plan with another adapter (Variant.adapter): it is registered on the same
backend (one copy of the base weights) and loaded in the background on the arm's first turn,
which plans with the rules until then, like any turn while a model loads.
"""

from __future__ import annotations

import logging
import threading

from langchain_core.language_models import BaseChatModel

from assistant.agent.loop import Agent, model_executor
from assistant.agent.writer import Writer
from assistant.config import Settings
from assistant.llm.adapters import adapter_source
from assistant.llm.backends import ChatBackend
from assistant.llm.errors import LLMError
from assistant.llm.factory import build_backend, build_chat_model, default_adapter
from assistant.llm.llamacpp_backend import LlamaCppBackend
from assistant.services.adapter import needs_training
from assistant.services.adapter_training import (
    BackgroundTraining,
    ModelStatus,
    model_status,
    read_status,
)
from assistant.services.variant import Variant

MAX_AGENTS = 16  # (adapter x planner x writer) variants an experiment asks for, and a swap

log = logging.getLogger(__name__)
WATCH_S = 5.0  # how often a worker that does not train looks whether the training has finished


class ModelRuntime:
    """Backend, chat model and agent for one configuration; the model loads in the background."""

    def __init__(self, settings: Settings, model: BaseChatModel | None = None) -> None:
        self.settings = settings
        self.error = ""  # why the model could not load ("" while loading or when loaded)
        self._model = model
        self._backend: ChatBackend | None = None
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        # agents by (id of model, reason, id of writer): one per variant an experiment asks for
        self._agents: dict[tuple[int, str, int], Agent] = {}
        self._executor = model_executor()  # shared by the agents it builds; threads start on use
        self._writer: Writer | None = None
        self._writer_lock = threading.Lock()  # one load of the writer's adapter
        self.writer_error = ""  # why no writer could be built ("" when built or not wanted)
        self._training: BackgroundTraining | None = None
        self._closed = threading.Event()
        self.serving: str | None = None  # the adapter of the model answering now
        # experiment arms' adapters: their models, why one could not load, their load threads
        self._arm_models: dict[str, BaseChatModel] = {}
        self._arm_errors: dict[str, str] = {}
        self._arm_threads: dict[str, threading.Thread] = {}

    @property
    def adapter(self) -> str | None:
        """The adapter the chat model uses (None: the base model)."""
        return default_adapter(self.settings)

    def backend(self) -> ChatBackend:
        """The configured backend, built on first use (this loads the model's weights)."""
        with self._lock:
            if self._backend is None:
                self._backend = build_backend(self.settings)
            return self._backend

    def _chat_model(self) -> BaseChatModel:
        """A warmed-up chat model over the backend with the adapter the settings point at."""
        model = build_chat_model(self.settings, self.backend())
        limit = self.settings.agent_time_budget_s
        if model.max_time_s > limit:
            # a generation cut off by the turn's budget must not keep the CPU busy for long
            model = model.model_copy(update={"max_time_s": limit})
        model.warm_up()  # e.g. the int8 copy: built here, not in a shopper's turn
        return model

    def _load(self) -> None:
        try:
            self.serving = self.adapter
            self._model = self._chat_model()
            log.info("chat model ready (%s, adapter %s)", self.settings.llm_backend, self.serving)
        except Exception as exc:  # noqa: BLE001 - the chat degrades to deterministic answers
            log.warning("chat model unavailable, answering without it: %s", exc)
            self.error = str(exc)[:300]

    def model(self, wait: bool = False, adapter: str | None = None) -> BaseChatModel | None:
        """The chat model, or None while it loads / when it failed (wait=True: until loaded);
        with adapter (an experiment arm's, when it is not the one serving): the same model
        planning with that adapter, loaded in the background once the serving one is."""
        with self._lock:
            if self._thread is None and self._model is None and not self.error:
                self._thread = threading.Thread(target=self._load, name="model-load", daemon=True)
                self._thread.start()
        if wait and self._thread is not None:
            self._thread.join()
        if adapter is None or adapter == self.serving:
            return self._model
        if adapter in self._arm_models:
            return self._arm_models[adapter]
        base = self._model
        if base is None:
            return None  # the arm's adapter loads onto the serving model's backend
        with self._lock:
            thread = self._arm_threads.get(adapter)
            if thread is None and adapter not in self._arm_errors:
                thread = threading.Thread(
                    target=self._load_arm, args=(base, adapter), name="arm-load", daemon=True
                )
                self._arm_threads[adapter] = thread
                thread.start()
        if wait and thread is not None:
            thread.join()
        return self._arm_models.get(adapter)

    def _load_arm(self, base: BaseChatModel, adapter: str) -> None:
        try:
            if self.settings.llm_backend != "openai":  # a server knows its adapters by name
                self.backend().load_adapter(adapter, adapter_source(self.settings, adapter))
            model = base.model_copy(update={"adapter": adapter})  # the same backend
            if hasattr(model, "warm_up"):
                model.warm_up()
            self._arm_models[adapter] = model
            log.info("adapter %r ready for an experiment arm", adapter)
        except Exception as exc:  # noqa: BLE001 - the arm's turns plan with the rules
            log.warning("adapter %r unavailable for an experiment arm: %s", adapter, exc)
            self._arm_errors[adapter] = str(exc)[:300]

    def use(self, model: BaseChatModel, adapter: str | None = None) -> None:
        """Plan with this model from now on (a model built elsewhere, or a test's); with
        adapter: the model an experiment arm naming that adapter plans with."""
        if adapter is not None:
            self._arm_models[adapter] = model
            self._arm_errors.pop(adapter, None)
            return
        self._model, self.error = model, ""

    def use_writer(self, writer: Writer) -> None:
        """Write answers with this writer from now on (one built elsewhere, or a test's)."""
        self._writer, self.writer_error = writer, ""

    def writer(self) -> Writer | None:
        """The answer writer: the writer adapter on the llama.cpp backend, loaded on first use
        (None without one: the templates answer)."""
        s = self.settings
        if self._writer is not None:
            return self._writer
        if not s.writer_adapter or s.llm_backend != "llamacpp" or self.writer_error:
            return None
        folder = adapter_source(s, s.writer_adapter)
        with self._writer_lock:
            if self._writer is not None or not (folder / "adapter_config.json").is_file():
                return self._writer
            try:
                backend = self.backend()
                if not isinstance(backend, LlamaCppBackend):  # its sampler takes the copy rule
                    raise LLMError(f"the writer needs the llamacpp backend, not {backend.name}")
                backend.load_adapter(s.writer_adapter, folder)
                backend.warm_up(s.writer_adapter)
                self._writer = Writer(backend, s.writer_adapter, s.writer_time_s)
            except Exception as exc:  # noqa: BLE001 - answers degrade to the templates
                log.warning("answer writer unavailable: %s", exc)
                self.writer_error = str(exc)[:300]
            return self._writer

    def agent(self, wait_for_model: bool = False, variant: Variant | None = None) -> Agent:
        """The agent over the model if it is ready (deterministic plans until then, or without
        one); a variant (an experiment arm's settings) may choose the planner, its adapter and
        the writer."""
        settings, v = self.settings, variant or Variant()
        use_llm = settings.agent_use_llm if v.planner is None else v.planner == "model"
        model = self.model(wait_for_model, v.adapter) if use_llm else None
        reason = ""
        if model is None and use_llm:
            failed = self.error or (v.adapter and self._arm_errors.get(v.adapter))
            reason = "model_unavailable" if failed else "model_loading"
        adapter = (v.adapter or self.serving) if model is not None else None
        writer = None if v.writer == "templates" else self.writer()
        key = (id(model), reason, id(writer))
        with self._lock:
            agent = self._agents.get(key)
            if agent is None:
                if len(self._agents) >= MAX_AGENTS:  # agents of a swapped-out model
                    self._agents.clear()
                agent = self._agents[key] = Agent(
                    model,
                    settings.agent_max_steps,
                    settings.agent_time_budget_s,
                    settings.agent_fast_path,
                    reason,
                    self._executor,
                    writer,
                    adapter,
                )
            return agent

    def swap_adapter(self) -> None:
        """Answer with the adapter the settings point at now (the store's, once trained): load
        its new weights, warm it up while the old model keeps answering, then switch."""
        if self._thread is None:
            return  # nothing loaded yet: the first load takes the new adapter
        self._thread.join()  # a load still running finishes first
        name = self.adapter
        if name == self.serving and name != self.settings.adapter_name:
            return
        backend = self.backend()
        if name:
            backend.load_adapter(name)
        model = self._chat_model()
        self.serving = name
        self.use(model)
        log.info("adapter %r swapped in: the next turns plan with it", name)

    def start_training(self) -> bool:
        """With adapter_training=background: train the store's adapter in a child process when
        it is missing or stale, and swap it in when it is done. False: nothing to train."""
        if self.settings.adapter_training != "background" or self._training is not None:
            return False
        if not needs_training(self.settings):
            return False
        self._training = BackgroundTraining(self.settings, on_done=self.swap_adapter)
        if self._training.claim():
            self._training.start()
            return True
        # another worker trains: swap when its status says the adapter is trained
        threading.Thread(target=self._await_training, name="adapter-wait", daemon=True).start()
        return False

    def _await_training(self) -> None:
        while not self._closed.wait(WATCH_S):
            if read_status(self.settings).state == "trained":
                try:
                    self.swap_adapter()
                except Exception as exc:  # noqa: BLE001 - the general adapter keeps answering
                    log.warning("adapter trained but not swapped in: %s", exc)
                return

    def status(self) -> ModelStatus:
        """The model answering now, its state, and the store adapter's training."""
        status = model_status(self.settings)
        if self.settings.agent_use_llm:
            status.model = "ready" if self._model is not None else "not_loaded"
            if self.error:
                status.model = "unavailable"
            elif self._model is None and self._thread is not None:
                status.model = "loading"
            if self._model is not None:
                status.adapter = self.serving
        status.error = self.error
        return status

    def close(self) -> None:
        """Stop the model-call threads (at shutdown; a call still running ends at its limit) and
        the training process (its checkpoint lets the next start resume)."""
        self._closed.set()
        if self._training is not None:
            self._training.stop()
        self._executor.shutdown(wait=False, cancel_futures=True)

    def __enter__(self) -> ModelRuntime:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
