"""Command line: `shopassist ...` (one typer app; each area registers its commands)."""

from __future__ import annotations

import importlib
import sys

from assistant.cli.app import CliError, app

# Command modules, each owning one area; imported for their registrations.
COMMAND_MODULES = [
    "assistant.cli.core",
    "assistant.cli.data",
    "assistant.cli.assistant",
    "assistant.cli.support",
    "assistant.cli.recsys",
    "assistant.cli.rewrite",
    "assistant.cli.search",
    "assistant.cli.llm",
]


def load_commands() -> None:
    """Import every command module so its commands register on the app."""
    for name in COMMAND_MODULES:
        importlib.import_module(name)


def main() -> None:
    """Console-script entry point."""
    load_commands()
    try:
        app()
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
