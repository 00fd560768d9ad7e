"""shopassist service: config, database, LLM runtime, tools, agent loop, HTTP API, widget, CLI."""

__version__ = "0.1.0"
