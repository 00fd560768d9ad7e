"""The one typer app and its command groups; command modules register onto these.

A command module is imported only when a command it registers runs: COMMANDS says which module
registers each command, and the groups (`LazyApp`, `LazyCommands`) import it on lookup. So
`shopassist --help` imports no command module, `shopassist eval retrieval` only the search
commands, and each command module imports what it needs at its top. `load_commands()` imports
them all.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # typer vendors click: its own Command and Context are what groups handle
    from typer._click import Command, Context

CORE, DATA, SEARCH = "assistant.cli.core", "assistant.cli.data", "assistant.cli.search"
RECSYS, LLM, SUPPORT = "assistant.cli.recsys", "assistant.cli.llm", "assistant.cli.support"
ASSISTANT, REWRITE = "assistant.cli.assistant", "assistant.cli.rewrite"
MCP, ANALYTICS = "assistant.cli.mcp", "assistant.cli.analytics"
ADAPTER = "assistant.cli.adapter"
# The module that registers each command ("GROUP COMMAND", or a top-level "COMMAND").
COMMANDS: dict[str, str] = {
    "config": CORE,
    "serve": CORE,
    "status": CORE,
    "mcp": MCP,
    "rewrite": REWRITE,
    "db upgrade": DATA,
    "ingest catalog": DATA,
    "ingest events": DATA,
    "ingest orders": DATA,
    "ingest policy": SUPPORT,
    "demo generate": DATA,
    "index build": SEARCH,
    "train recsys": RECSYS,
    "train behavior": RECSYS,
    "train ranker": SEARCH,
    "train embedder": SEARCH,
    "finetune build-data": LLM,
    "finetune build-writer-data": LLM,
    "finetune train": LLM,
    "finetune eval": LLM,
    "finetune export": LLM,
    "finetune store-adapter": ADAPTER,
    "finetune ship": ADAPTER,
    "keys create": ASSISTANT,
    "eval retrieval": SEARCH,
    "eval recsys": RECSYS,
    "eval behavior": RECSYS,
    "eval assistant": ASSISTANT,
    "eval assistant-score": ASSISTANT,
    "eval answers": ASSISTANT,
    "eval answers-score": ASSISTANT,
    "eval policy": SUPPORT,
    "eval agent-replies": SUPPORT,
    "bench chat": ASSISTANT,
    "bench api": ASSISTANT,
    "bench search": SEARCH,
    "bench generate": LLM,
    "analytics report": ANALYTICS,
    "analytics churn": ANALYTICS,
    "experiment create": ANALYTICS,
    "experiment status": ANALYTICS,
    "experiment report": ANALYTICS,
    "experiment simulate": ANALYTICS,
    "bench train": ADAPTER,
}
# Help lines of the top-level commands, listed before their module is imported.
COMMAND_HELP: dict[str, str] = {
    "config": "Print the effective settings as JSON, secrets masked.",
    "serve": "Serve the HTTP API (and the widget).",
    "status": "The model the service answers with, and the store adapter's training (JSON).",
    "mcp": "Serve the assistant's tools over MCP on stdin/stdout (for desktop agents).",
    "rewrite": "Correct a search query, read its filters (price, brand, rating, size, colour), "
    "expand it.",
}


def load_commands() -> None:
    """Import every command module, so every command is registered."""
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(module)


def _registered(typer_app: typer.Typer, name: str) -> Command | None:
    """name's click command as typer builds it from typer_app's registrations now."""
    return typer.main.get_group(typer_app).commands.get(name)


class LazyApp(TyperGroup):
    """The top-level group: lists the top-level commands from COMMAND_HELP, and imports one's
    module only when it runs (the groups below load their own commands)."""

    def list_commands(self, ctx: Context) -> list[str]:
        """Every top-level command and group, registered yet or not."""
        return list(dict.fromkeys([*COMMAND_HELP, *super().list_commands(ctx)]))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command, or (for help listings) a stand-in with its help line until it loads."""
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in COMMAND_HELP:
            return TyperCommand(cmd_name, help=COMMAND_HELP[cmd_name])
        return command

    def resolve_command(
        self, ctx: Context, args: list[str]
    ) -> tuple[str | None, Command | None, list[str]]:
        """Import the invoked top-level command's module and use the command it registered."""
        name = args[0] if args else ""
        if name in COMMAND_HELP and name not in self.commands:
            importlib.import_module(COMMANDS[name])
            command = _registered(app, name)
            if command is not None:
                self.commands[name] = command
        return super().resolve_command(ctx, args)


class LazyCommands(TyperGroup):
    """A command group whose commands' modules are imported when a command is looked up."""

    def list_commands(self, ctx: Context) -> list[str]:
        """The group's commands, registered yet or not."""
        prefix = f"{self.name} "
        names = [key[len(prefix) :] for key in COMMANDS if key.startswith(prefix)]
        return list(dict.fromkeys([*names, *super().list_commands(ctx)]))

    def get_command(self, ctx: Context, cmd_name: str) -> Command | None:
        """The command, its module imported first when it is not registered yet."""
        module = COMMANDS.get(f"{self.name} {cmd_name}")
        if cmd_name not in self.commands and module and self.name in GROUPS:
            importlib.import_module(module)
            command = _registered(GROUPS[self.name], cmd_name)
            if command is not None:
                self.commands[cmd_name] = command
        return super().get_command(ctx, cmd_name)


def _group(help_text: str) -> typer.Typer:
    return typer.Typer(help=help_text, no_args_is_help=True, cls=LazyCommands)


app = typer.Typer(
    help="shopassist: grounded AI shopping assistant backend.", no_args_is_help=True, cls=LazyApp
)
db_app = _group("Database schema.")
ingest_app = _group("Import catalogs, behaviour events and orders.")
demo_app = _group("The embedded demo store.")
index_app = _group("Search indexes.")
train_app = _group("Train the recommender, the behaviour predictor and the search reranker.")
finetune_app = _group("LoRA fine-tuning of the chat model.")
keys_app = _group("API keys.")
eval_app = _group("Evaluation commands (see EVAL.md).")
bench_app = _group("Speed benchmarks (JSON output).")
analytics_app = _group("Engagement analytics: the report (HTML + JSON).")
experiment_app = _group("A/B experiments on the assistant.")
GROUPS: dict[str, typer.Typer] = {
    "db": db_app,
    "ingest": ingest_app,
    "demo": demo_app,
    "index": index_app,
    "train": train_app,
    "finetune": finetune_app,
    "keys": keys_app,
    "eval": eval_app,
    "bench": bench_app,
    "analytics": analytics_app,
    "experiment": experiment_app,
}
for _name, _sub in GROUPS.items():
    app.add_typer(_sub, name=_name)


class CliError(Exception):
    """A failure the CLI reports as one line on stderr with exit code 1."""


def fail(message: str, code: int = 1) -> None:
    """Print a one-line reason to stderr and exit non-zero."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)
