"""Errors of the LLM runtime: one base type the agent catches to degrade gracefully."""

from __future__ import annotations


class LLMError(RuntimeError):
    """Any failure of the language model runtime (the agent catches this one)."""


class ModelLoadError(LLMError):
    """The model file or directory is missing or unreadable."""


class AdapterError(LLMError):
    """A LoRA adapter is missing, unreadable or incompatible."""


class ContextTooLongError(LLMError):
    """The conversation does not fit the model's context even after dropping old turns."""


class BackendTimeoutError(LLMError):
    """The backend did not answer within its time limit."""


class BackendResponseError(LLMError):
    """The backend answered with an error or with output that cannot be used."""
