"""The CLI's lazy loading: help without importing command modules, and a table that matches the
commands the modules register."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import typer
from typer.models import CommandInfo
from typer.testing import CliRunner

from assistant.cli import app, load_commands
from assistant.cli.app import COMMAND_HELP, COMMANDS, GROUPS

ROOT = Path(__file__).resolve().parents[2]


def _loaded_command_modules(*argv: str) -> list[str]:
    """The command modules (those COMMANDS names; shared helpers such as cli.engines are not
    counted) imported by running `shopassist argv` in a fresh interpreter (its output is not
    checked here)."""
    code = (
        "import sys\n"
        "from assistant.cli import app\n"
        f"try:\n    app({list(argv)!r})\nexcept SystemExit:\n    pass\n"
        "from assistant.cli.app import COMMANDS\n"
        "print([m for m in sys.modules if m in set(COMMANDS.values())])"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 0, out.stderr
    return eval(out.stdout.strip().splitlines()[-1])  # noqa: S307 - our own printed list


def _registered() -> dict[str, str]:
    """'GROUP COMMAND' (or top-level 'COMMAND') -> module, from what the modules registered."""
    load_commands()

    def name(info: CommandInfo) -> str:
        return info.name or typer.main.get_command_name(info.callback.__name__)

    found = {name(i): i.callback.__module__ for i in app.registered_commands}
    for group, sub in GROUPS.items():
        found |= {f"{group} {name(i)}": i.callback.__module__ for i in sub.registered_commands}
    return found


def test_the_command_table_matches_the_registered_commands():
    assert _registered() == COMMANDS


def test_top_level_help_lines_are_the_commands_own():
    load_commands()
    for info in app.registered_commands:
        name = info.name or typer.main.get_command_name(info.callback.__name__)
        assert " ".join((info.callback.__doc__ or "").split()) == COMMAND_HELP[name]


def test_help_lists_everything_and_imports_no_command_module():
    result = CliRunner().invoke(app, ["--help"])
    assert result.exit_code == 0, result.output
    for name in [*COMMAND_HELP, *GROUPS]:
        assert f" {name} " in result.output
    assert _loaded_command_modules("--help") == []


def test_a_command_imports_only_its_own_module():
    assert _loaded_command_modules("eval", "retrieval", "--help") == ["assistant.cli.search"]
    assert _loaded_command_modules("config") == ["assistant.cli.core"]
