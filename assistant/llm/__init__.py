"""LLM runtime: backends (transformers, OpenAI-compatible), constrained tool calling, LoRA adapters.

`assistant.llm.factory` builds the configured backend and the LangChain chat model over it;
the service's ModelRuntime (assistant/agent/runtime.py) owns them. Errors derive from
`assistant.llm.errors.LLMError`.
"""

from __future__ import annotations

from assistant.llm.errors import LLMError

__all__ = ["LLMError"]
