"""Backends by name, and the chat model over one: what a model runtime builds.

`BACKEND_FACTORIES` maps each `llm_backend` name to a function (settings, brands, categories)
returning a ChatBackend; a new backend registers there. Nothing here is cached: the service's
ModelRuntime (assistant/agent/runtime.py) builds a backend once and owns it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from assistant.config import Settings
from assistant.llm.adapters import (
    adapter_dir,
    base_model_dir,
    export_gguf,
    read_meta,
    serving_adapter,
)
from assistant.llm.backends import ChatBackend, TransformersBackend
from assistant.llm.chat_model import ShopAssistChatModel
from assistant.llm.errors import LLMError
from assistant.llm.gguf_merge import merged_gguf
from assistant.llm.gguf_types import typed_gguf
from assistant.llm.llamacpp_backend import LlamaCppBackend

# (settings, brands, categories) -> backend; brands/categories: the catalog names the adapter knows
BackendFactory = Callable[[Settings, list[str] | None, list[str] | None], ChatBackend]


def transformers_backend(
    settings: Settings, brands: list[str] | None, categories: list[str] | None
) -> ChatBackend:
    """In-process transformers over the base model (GGUF de-quantised once) and its adapters."""
    return TransformersBackend(
        base_model_dir(settings),
        settings.path("adapters"),
        brands=brands,
        categories=categories,
        quantize=settings.llm_quantize,
    )


def openai_backend(
    settings: Settings, brands: list[str] | None, categories: list[str] | None
) -> ChatBackend:
    """An OpenAI-compatible server (vLLM, llama.cpp server); adapters are its model names."""
    # lazy: the openai client costs about a second to import, and only this backend uses it
    from assistant.llm.openai_backend import OpenAIBackend

    return OpenAIBackend(
        settings.llm_base_url,
        settings.llm_model_name,
        settings.llm_api_key.get_secret_value(),
        settings.llm_timeout_s,
        brands=brands,
        categories=categories,
    )


def llamacpp_backend(
    settings: Settings, brands: list[str] | None, categories: list[str] | None
) -> ChatBackend:
    """llama.cpp in process over the base GGUF; adapters are exported to GGUF on first use and,
    with llm_lora=merged, merged into a copy of the base weights once."""
    packaged = model = Path(settings.llm_model_path)
    models, kind = settings.path("models"), settings.llm_gguf_type
    if model.suffix.lower() == ".gguf" and model.is_file():
        model = typed_gguf(model, kind, models)
    merge: Callable[[Path], Path] | None = None
    if settings.llm_lora == "merged":
        merge = lambda lora: merged_gguf(packaged, lora, kind, models)  # noqa: E731

    return LlamaCppBackend(
        model,
        settings.path("adapters"),
        brands=brands,
        categories=categories,
        threads=settings.llm_threads or None,
        export=lambda folder: export_gguf(settings, folder),
        merge=merge,
    )


BACKEND_FACTORIES: dict[str, BackendFactory] = {
    "transformers": transformers_backend,
    "openai": openai_backend,
    "llamacpp": llamacpp_backend,
}


def check_backend_name(name: str) -> None:
    """Raise LLMError listing the valid backends for an unknown name."""
    if name not in BACKEND_FACTORIES:
        valid = ", ".join(BACKEND_FACTORIES)
        raise LLMError(f"unknown LLM backend {name!r}; valid backends: {valid}")


def build_backend(settings: Settings) -> ChatBackend:
    """The configured backend (loads the model), knowing the catalog names of its adapter."""
    check_backend_name(settings.llm_backend)
    meta = read_meta(adapter_dir(settings, serving_adapter(settings)))
    factory = BACKEND_FACTORIES[settings.llm_backend]
    return factory(settings, meta.get("brands"), meta.get("categories"))


def default_adapter(settings: Settings) -> str | None:
    """The adapter name to use: the store's own (settings.adapter_name) when it is trained, else
    the installed general adapter, else None (the base model)."""
    if settings.llm_backend == "openai":
        return settings.adapter_name or None  # the server knows its adapters by model name
    return serving_adapter(settings)


def build_chat_model(settings: Settings, backend: ChatBackend) -> ShopAssistChatModel:
    """The LangChain chat model over backend with the configured adapter."""
    adapter = default_adapter(settings)
    if settings.llm_backend == "openai" and adapter == "default":
        adapter = None
    return ShopAssistChatModel(backend=backend, adapter=adapter, max_time_s=settings.llm_timeout_s)
