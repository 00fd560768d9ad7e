"""The shipped general adapter answers first; the store's adapter swaps in when trained; the admin
status and `shopassist status` say which is answering and how far the training is."""

from __future__ import annotations

import shutil

import pytest
from fastapi.testclient import TestClient

from assistant.agent.runtime import ModelRuntime
from assistant.api.app import create_app
from assistant.config import Settings
from assistant.llm.adapters import GENERAL, adapter_dir, serving_adapter, shipped_adapter_dir
from assistant.llm.llamacpp_backend import llama_cpp_available
from assistant.services.adapter import ensure_adapter, needs_training
from assistant.services.adapter_training import (
    TrainingStatus,
    child_env,
    read_status,
    write_status,
)
from finetune.gguf_export import SOURCE_NAME, WEIGHTS, gguf_path, is_exported, weights_digest
from tests.assistant.known_store import build_store

needs_shipped = pytest.mark.skipif(
    shipped_adapter_dir(GENERAL) is None, reason="no shipped general adapter in this checkout"
)


def test_a_gguf_is_current_when_it_was_exported_from_these_weights(tmp_path):
    (tmp_path / WEIGHTS).write_bytes(b"weights v1")
    gguf_path(tmp_path).write_bytes(b"gguf")
    (tmp_path / SOURCE_NAME).write_text(weights_digest(tmp_path) + "\n")
    assert is_exported(tmp_path)
    # retrained: the weights change, whatever the files' times say
    (tmp_path / WEIGHTS).write_bytes(b"weights v2")
    assert not is_exported(tmp_path)


@pytest.fixture
def background(settings: Settings) -> tuple[Settings, dict[str, str]]:
    """The known store, its adapter to be trained in the background."""
    s = settings.model_copy(update={"adapter_training": "background", "agent_use_llm": True})
    return s, build_store(s)


@needs_shipped
def test_setup_installs_the_general_adapter_and_leaves_training_to_the_service(background):
    settings, _ = background
    assert serving_adapter(settings) is None
    out = ensure_adapter(settings)
    assert out == adapter_dir(settings, GENERAL)
    assert serving_adapter(settings) == GENERAL
    # the copy names this store's brands (what the call checks accept), not the demo's
    assert "Cello" in (out / "shopassist.json").read_text()
    assert is_exported(out)  # its GGUF ships with it: nothing to convert at startup
    assert needs_training(settings)
    assert read_status(settings).state == "not_started"


def test_the_training_process_shares_the_services_settings(background):
    settings, _ = background
    env = child_env(settings.model_copy(update={"finetune_max_minutes": 1.5}))
    assert env["SHOPASSIST_DATA_DIR"] == str(settings.data_dir.resolve())
    assert env["SHOPASSIST_FINETUNE_MAX_MINUTES"] == "1.5"
    assert env["SHOPASSIST_ADAPTER_NAME"] == settings.adapter_name


@needs_shipped
@pytest.mark.skipif(not llama_cpp_available(), reason="llama-cpp-python is not installed")
def test_a_trained_store_adapter_swaps_in_without_a_restart(background):
    settings, _ = background
    settings = settings.model_copy(update={"llm_backend": "llamacpp"})
    ensure_adapter(settings)
    with ModelRuntime(settings) as runtime:
        assert runtime.model(wait=True) is not None
        assert runtime.status().adapter == GENERAL
        # the training process's result: the store adapter's folder, then on_done
        shutil.copytree(adapter_dir(settings, GENERAL), adapter_dir(settings))
        runtime.swap_adapter()
        status = runtime.status()
        assert (status.adapter, status.model) == (settings.adapter_name, "ready")
        assert runtime.backend().loaded >= {settings.adapter_name}
        assert runtime.model().adapter == settings.adapter_name


def test_the_admin_endpoint_reports_the_model_and_the_training(background):
    settings, keys = background
    settings = settings.model_copy(update={"adapter_training": "off", "agent_use_llm": False})
    write_status(settings, TrainingStatus(state="training", adapter="default", step=12, loss=0.9))
    with TestClient(create_app(settings)) as client:
        assert client.get("/v1/admin/model").status_code == 401
        assert (
            client.get("/v1/admin/model", headers={"X-API-Key": keys["agent"]}).status_code == 403
        )
        body = client.get("/v1/admin/model", headers={"X-API-Key": keys["admin"]}).json()
    assert body["model"] == "off"
    assert body["training"]["state"] == "training" and body["training"]["step"] == 12
    assert body["store_adapter_trained"] is False
