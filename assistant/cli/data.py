"""Data commands: `db upgrade`, `ingest catalog|events|orders`, `demo generate`."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from assistant.cli.app import db_app, demo_app, fail, ingest_app
from assistant.config import Settings, get_settings
from assistant.db.migrate import upgrade
from assistant.db.session import session_factory
from assistant.demo import DemoConfig, generate_and_load, write_demo_files
from assistant.ingest.formats import parse_mapping
from assistant.ingest.pipeline import ingest, loader_for
from assistant.ingest.report import IngestError
from assistant.services import search as search_service

FORMAT_HELP = {
    "catalog": "csv, jsonl, bigbasket, homedepot, recbole (.item), retail-orders (directory)",
    "events": "csv, jsonl, taobao, recbole (.inter)",
    "orders": "jsonl, retail-orders (directory)",
}


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Create or migrate the database schema to the latest revision."""
    settings = get_settings()
    try:
        revision = upgrade(settings)
    except Exception as exc:  # connection refused, bad URL, failed migration
        fail(f"database upgrade failed: {str(exc).splitlines()[0]}")
    typer.echo(f"database at revision {revision}")


def refresh_search_index(settings: Settings) -> str:
    """Bring the search index in line with the catalog; the line the CLI prints about it."""
    search_service.refresh_index(settings)
    return "search index refreshed"


def run_import(
    kind: str,
    path: Path,
    fmt: str,
    mapping: list[str] | None,
    strict: bool,
    source: str | None,
    as_json: bool,
    refresh_index: bool = True,
) -> None:
    """Migrate, import one file in one transaction, print the report; one-line error on failure."""
    settings = get_settings()
    try:
        loader_for(kind, fmt)
        columns = parse_mapping(mapping)
    except ValueError as exc:
        fail(str(exc))
    upgrade(settings)
    try:
        with session_factory(settings.effective_database_url)() as session:
            report = ingest(
                session,
                kind,
                path,
                fmt,
                mapping=columns,
                strict=strict,
                source=source,
                progress=True,
                currency=settings.currency,
            )
    except (IngestError, ValueError) as exc:
        fail(f"import failed, nothing was written: {exc}")
    if kind == "catalog" and refresh_index and report.loaded:
        report.notes.append(refresh_search_index(settings))
    typer.echo(json.dumps(report.as_dict(), indent=2) if as_json else report.summary())


def _command(kind: str) -> None:
    def command(
        path: Path = typer.Argument(..., help="File (or directory for retail-orders) to import."),
        fmt: str = typer.Option(..., "--format", "-f", help=f"One of: {FORMAT_HELP[kind]}."),
        mapping: list[str] = typer.Option(
            None, "--mapping", "-m", help="field=column (repeatable or comma-separated)."
        ),
        strict: bool = typer.Option(
            False, help="Fail on the first unusable row instead of skipping it."
        ),
        source: str = typer.Option(None, help="Source label (default: the format name)."),
        as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
        refresh_index: bool = typer.Option(
            True, help="After a catalog import, rebuild the search index (if installed)."
        ),
    ) -> None:
        run_import(kind, path, fmt, mapping, strict, source, as_json, refresh_index)

    command.__doc__ = f"Import a {kind} file ({FORMAT_HELP[kind]}); re-running it is harmless."
    ingest_app.command(kind)(command)


for _kind in ("catalog", "events", "orders"):
    _command(_kind)


@demo_app.command("generate")
def demo_generate(
    seed: int = typer.Option(7, help="Random seed (same seed, same store)."),
    products: int = typer.Option(3000, min=50, help="Number of products."),
    users: int = typer.Option(500, min=10, help="Number of shoppers."),
    days: int = typer.Option(30, min=1, help="Days of behaviour."),
    out: Path = typer.Option(None, help="Output directory (default: DATA_DIR/demo)."),
    load: bool = typer.Option(
        True, "--load/--no-load", help="Also import the files into the database."
    ),
    refresh_index: bool = typer.Option(True, help="Rebuild the search index after loading."),
) -> None:
    """Generate the deterministic demo store (catalog, events, orders) and import it."""
    settings = get_settings()
    try:
        config = DemoConfig(seed=seed, products=products, users=users, days=days)
    except ValueError as exc:
        fail(str(exc))
    target = out or settings.path("demo")
    if not load:
        files = write_demo_files(config, target)
        typer.echo(json.dumps({k: str(v) for k, v in files.items()}, indent=2))
        return
    for report in generate_and_load(settings, config, target, progress=True):
        typer.echo(report.summary())
    if refresh_index:
        typer.echo(refresh_search_index(settings))
