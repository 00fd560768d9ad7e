"""The one typer app and its command groups; command modules register onto these."""

from __future__ import annotations

import typer

app = typer.Typer(help="shopassist: grounded AI shopping assistant backend.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
ingest_app = typer.Typer(help="Import catalogs, behaviour events and orders.", no_args_is_help=True)
demo_app = typer.Typer(help="The embedded demo store.", no_args_is_help=True)
index_app = typer.Typer(help="Search indexes.", no_args_is_help=True)
train_app = typer.Typer(
    help="Train the recommender and the behaviour predictor.", no_args_is_help=True
)
finetune_app = typer.Typer(help="LoRA fine-tuning of the chat model.", no_args_is_help=True)
keys_app = typer.Typer(help="API keys.", no_args_is_help=True)
eval_app = typer.Typer(help="Evaluation commands (see EVAL.md).", no_args_is_help=True)
bench_app = typer.Typer(help="Speed benchmarks (JSON output).", no_args_is_help=True)

for _name, _sub in [
    ("db", db_app),
    ("ingest", ingest_app),
    ("demo", demo_app),
    ("index", index_app),
    ("train", train_app),
    ("finetune", finetune_app),
    ("keys", keys_app),
    ("eval", eval_app),
    ("bench", bench_app),
]:
    app.add_typer(_sub, name=_name)


class CliError(Exception):
    """A failure the CLI reports as one line on stderr with exit code 1."""


def fail(message: str, code: int = 1) -> None:
    """Print a one-line reason to stderr and exit non-zero."""
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    raise typer.Exit(code)
