"""Command line: `shopassist ...` (one typer app; each area registers its commands)."""

from __future__ import annotations

import sys

from assistant.cli.app import CliError, app, load_commands

__all__ = ["app", "load_commands", "main"]


def main() -> None:
    """Console-script entry point (command modules load when their command runs)."""
    try:
        app()
    except CliError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(1)
