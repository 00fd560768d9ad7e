"""LLM runtime: backends (transformers, OpenAI-compatible), constrained tool calling, LoRA adapters.

Public entry points: `get_backend(settings)` (plain streaming / tool decisions) and
`get_chat_model(settings)` (a LangChain BaseChatModel supporting bind_tools). Both are cached
per settings object; errors derive from `assistant.llm.errors.LLMError`.
"""

from __future__ import annotations

import threading
from typing import Any

from assistant.config import Settings
from assistant.llm.errors import LLMError

_CACHE: dict[tuple, Any] = {}
_LOCK = threading.Lock()


def _key(settings: Settings, kind: str) -> tuple:
    return (
        kind,
        settings.llm_backend,
        settings.llm_model_path,
        settings.llm_base_url,
        str(settings.data_dir),
        settings.adapter_name,
        settings.llm_quantize,
    )


def get_backend(settings: Settings) -> Any:
    """The configured ChatBackend (cached): loads the model and knows the catalog's names."""
    from assistant.llm.adapters import adapter_dir, base_model_dir, read_meta
    from assistant.llm.backends import TransformersBackend, check_backend_name

    check_backend_name(settings.llm_backend)
    key = _key(settings, "backend")
    with _LOCK:
        if key in _CACHE:
            return _CACHE[key]
        meta = read_meta(adapter_dir(settings))
        brands, cats = meta.get("brands"), meta.get("categories")
        if settings.llm_backend == "openai":
            from assistant.llm.openai_backend import OpenAIBackend

            backend = OpenAIBackend(
                settings.llm_base_url,
                settings.llm_model_name,
                settings.llm_api_key.get_secret_value(),
                settings.llm_timeout_s,
                brands=brands,
                categories=cats,
            )
        else:
            backend = TransformersBackend(
                base_model_dir(settings),
                settings.path("adapters"),
                brands=brands,
                categories=cats,
                quantize=settings.llm_quantize,
            )
        _CACHE[key] = backend
        return backend


def default_adapter(settings: Settings) -> str | None:
    """The adapter name to use: settings.adapter_name when it exists on disk, else None."""
    from assistant.llm.adapters import adapter_dir

    if settings.llm_backend == "openai":
        return settings.adapter_name or None  # the server knows its adapters by model name
    return (
        settings.adapter_name if (adapter_dir(settings) / "adapter_config.json").is_file() else None
    )


def get_chat_model(settings: Settings) -> Any:
    """The LangChain chat model over the configured backend and adapter (cached)."""
    from assistant.llm.chat_model import ShopAssistChatModel

    key = _key(settings, "chat")
    backend = get_backend(settings)
    with _LOCK:
        if key not in _CACHE:
            adapter = default_adapter(settings)
            if settings.llm_backend == "openai" and adapter == "default":
                adapter = None
            _CACHE[key] = ShopAssistChatModel(
                backend=backend, adapter=adapter, max_time_s=settings.llm_timeout_s
            )
        return _CACHE[key]


__all__ = ["LLMError", "default_adapter", "get_backend", "get_chat_model"]
