"""The model runtime: one object per app (made by its lifespan), backends chosen by name."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from assistant.agent.loop import Agent
from assistant.agent.runtime import ModelRuntime
from assistant.api.app import create_app
from assistant.config import LLM_BACKENDS
from assistant.llm.errors import LLMError
from assistant.llm.factory import BACKEND_FACTORIES, build_backend, check_backend_name
from tests.assistant.scripted_model import ScriptedModel, tool_call


def test_every_configurable_backend_has_a_factory():
    assert set(BACKEND_FACTORIES) == set(LLM_BACKENDS)


def test_an_unknown_backend_names_the_valid_ones(settings):
    with pytest.raises(LLMError, match="valid backends: .*transformers.*openai"):
        check_backend_name("gpt-in-a-box")
    with pytest.raises(LLMError, match="unknown LLM backend 'gpt-in-a-box'"):
        build_backend(settings.model_copy(update={"llm_backend": "gpt-in-a-box"}))


def test_the_agent_follows_the_model(settings):
    model = ScriptedModel(script=[tool_call("search_products", query="rice")])
    runtime = ModelRuntime(settings.model_copy(update={"agent_use_llm": True}), model)
    agent = runtime.agent()
    assert agent.model is model and runtime.agent() is agent  # built once per model
    other = ScriptedModel(script=[tool_call("search_products", query="tea")])
    runtime.use(other)
    assert runtime.agent().model is other


def test_without_the_model_the_agent_plans_with_rules_and_loads_nothing(settings):
    runtime = ModelRuntime(settings.model_copy(update={"agent_use_llm": False}))
    agent = runtime.agent()
    assert agent.model is None and agent.no_model_reason == ""
    assert runtime._thread is None  # no background load was started


def test_the_lifespan_makes_one_runtime_per_app(settings):
    app = create_app(settings)
    with TestClient(app) as client:
        assert client.get("/healthz").status_code == 200
        runtime = app.state.runtime
        assert isinstance(runtime, ModelRuntime) and runtime.settings is settings
    with pytest.raises(RuntimeError, match="shutdown"):  # its model threads were shut down
        runtime._executor.submit(print)
    given = ModelRuntime(settings)
    app = create_app(settings, given)
    with TestClient(app):
        assert app.state.runtime is given
    given._executor.submit(print).result()  # a runtime given to the app stays its caller's
    given.close()


def test_model_calls_run_in_the_runtime_threads(settings):
    model = ScriptedModel(script=[tool_call("search_products", query="rice")])
    with ModelRuntime(settings.model_copy(update={"agent_use_llm": True}), model) as runtime:
        assert runtime.agent()._executor is runtime._executor
    agent = Agent(model)  # an agent made alone has threads of its own, closed with it
    assert agent._executor is not None and agent._executor is agent._own_executor
    agent.close()
    with pytest.raises(RuntimeError, match="shutdown"):
        agent._executor.submit(print)
