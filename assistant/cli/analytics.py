"""Engagement commands: `analytics report` and `experiment create|status|report|simulate`."""

from __future__ import annotations

import json
import time
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import typer

from analytics.experiments import analyse, exposed_users, simulate_events
from analytics.metrics import SEGMENTS, normalise
from assistant.cli.app import analytics_app, experiment_app, fail
from assistant.config import get_settings
from assistant.db.session import session_scope
from assistant.errors import ShopAssistError
from assistant.llm.adapters import known_adapters
from assistant.services import churn
from assistant.services import experiments as experiment_service
from assistant.services.analytics import AnalyticsQuery, analyse_frame, load_events, report_html
from assistant.services.records import ArmSpec
from assistant.services.state import AppState
from recsys.behavior_eval import read_taobao
from recsys.io import FormatError


def _day(value: str | None, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{name} must be a date YYYY-MM-DD, not {value!r}")
        raise  # unreachable: fail exits


def _replay(events: pd.DataFrame, times: int) -> pd.DataFrame:
    """times copies of the log, each with its own shoppers (a synthetic load of the same shape)."""
    if times <= 1:
        return events
    copies = [events.assign(user_id=events["user_id"] + f"#{k}") for k in range(times)]
    return pd.concat(copies, ignore_index=True)


@analytics_app.command("report")
def report(
    out: Path = typer.Option(Path("var/analytics/report.html"), help="HTML report to write."),
    json_out: Path | None = typer.Option(None, "--json", help="JSON to write (default: OUT.json)."),
    start: str | None = typer.Option(None, "--from", help="First day (YYYY-MM-DD), inclusive."),
    end: str | None = typer.Option(None, "--to", help="Last day (YYYY-MM-DD), inclusive."),
    segment: str = typer.Option("all", help=f"Shoppers: {', '.join(SEGMENTS)}."),
    experiment: str | None = typer.Option(None, help="Add this experiment's per-arm results."),
    cuped: bool = typer.Option(False, help="CUPED-adjust the experiment's conversion."),
    events: Path | None = typer.Option(
        None, help="Read this Taobao UserBehavior log instead of the database."
    ),
    utc_offset: float = typer.Option(0.0, help="Hours east of UTC for calendar days (Taobao: 8)."),
    replay: int = typer.Option(1, help="Measure on N copies of the log (synthetic load).", min=1),
) -> None:
    """Write the engagement report (HTML with charts) and its figures (JSON)."""
    t0 = time.time()
    query = AnalyticsQuery(
        start=_day(start, "--from"),
        end=_day(end, "--to"),
        segment=segment,
        experiment=experiment,
        utc_offset_h=utc_offset,
        cuped=cuped,
    )
    settings = get_settings()
    with session_scope(settings.effective_database_url) as db:
        typer.echo("reading events ...", err=True)
        try:
            frame = normalise(read_taobao(events)) if events else load_events(db)
        except (FormatError, ValueError, OSError) as exc:
            fail(str(exc))
        frame = _replay(frame, replay)
        t_read = time.time()
        typer.echo(f"computing metrics over {len(frame):,} events ...", err=True)
        try:
            result = analyse_frame(frame, query, db)
        except ShopAssistError as exc:
            fail(exc.message)
        t_metrics = time.time()
        typer.echo("rendering ...", err=True)
        page = report_html(result)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page, encoding="utf-8")
    figures = {"metrics": result.metrics, "experiment": result.experiment}
    target = json_out or out.with_suffix(".json")
    target.write_text(json.dumps(figures, indent=2), encoding="utf-8")
    m = result.metrics
    typer.echo(
        f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) and {target}: {m['events']:,} events,"
        f" {m['users']:,} users, {m['sessions']:,} sessions; read {t_read - t0:.1f} s,"
        f" metrics {t_metrics - t_read:.1f} s, total {time.time() - t0:.1f} s"
    )


@analytics_app.command("churn")
def churn_report(
    limit: int = typer.Option(50, help="Shoppers to list, the riskiest first.", min=1, max=1000),
) -> None:
    """Shoppers at risk of churning (the behaviour predictor's score, with why), as JSON: what
    GET /v1/admin/churn answers."""
    settings = get_settings()
    try:
        with AppState(settings) as state, session_scope(settings.effective_database_url) as db:
            typer.echo(json.dumps(churn.at_risk(state, db, limit), indent=2, default=str))
    except ShopAssistError as exc:
        fail(exc.message)


def _arms(specs: list[str]) -> list[ArmSpec]:
    """NAME=WEIGHT[:setting=value,...] items as arms."""
    arms: list[ArmSpec] = []
    for spec in specs:
        head, _, rest = spec.partition(":")
        name, _, weight = head.partition("=")
        try:
            arm = ArmSpec(name=name.strip(), weight=float(weight or 1))
        except ValueError:
            fail(f"bad arm {spec!r}: NAME=WEIGHT[:setting=value,...]")
            raise
        if rest:
            arm["settings"] = dict(kv.split("=", 1) for kv in rest.split(",") if "=" in kv)
        arms.append(arm)
    return arms


@experiment_app.command("create")
def create(
    name: str = typer.Argument(..., help="Experiment name."),
    arm: list[str] = typer.Option(
        ...,
        help="NAME=WEIGHT[:setting=value,...], once per arm; the first is the control, e.g. "
        "--arm control=0.5:assistant_enabled=false --arm assistant=0.5; settings: planner, "
        "writer, adapter, search_mode, search_learned, assistant_enabled",
    ),
    description: str = typer.Option("", help="What it tests."),
) -> None:
    """Create a running experiment (deterministic assignment by a hash of it and the shopper)."""
    settings = get_settings()
    try:
        with session_scope(settings.effective_database_url) as db:
            info = experiment_service.create_experiment(
                db, name, _arms(arm), description, known_adapters(settings)
            )
    except ShopAssistError as exc:
        fail(exc.message)
    typer.echo(json.dumps(info, indent=2))


@experiment_app.command("status")
def status(
    name: str | None = typer.Argument(None, help="One experiment (default: all)."),
    stop: bool = typer.Option(False, help="Stop it (it assigns nobody after)."),
) -> None:
    """List experiments, or show (and optionally stop) one."""
    settings = get_settings()
    try:
        with session_scope(settings.effective_database_url) as db:
            if name is None:
                typer.echo(json.dumps(experiment_service.list_experiments(db), indent=2))
                return
            if stop:
                info = experiment_service.set_status(db, name, "stopped")
            else:
                info = experiment_service.get_experiment(db, name)
    except ShopAssistError as exc:
        fail(exc.message)
    typer.echo(json.dumps(info, indent=2))


@experiment_app.command("report")
def experiment_report(
    name: str = typer.Argument(..., help="Experiment name."),
    cuped: bool = typer.Option(False, help="CUPED-adjust conversion by pre-exposure purchases."),
) -> None:
    """Per-arm conversion, revenue and purchases per session with 95 % intervals, and SRM."""
    settings = get_settings()
    try:
        with session_scope(settings.effective_database_url) as db:
            result = analyse_frame(
                load_events(db), AnalyticsQuery(experiment=name, cuped=cuped), db
            )
    except ShopAssistError as exc:
        fail(exc.message)
    typer.echo(json.dumps(result.experiment, indent=2))


@experiment_app.command("simulate")
def simulate(
    seeds: int = typer.Option(100, help="Simulated experiments per scenario.", min=1),
    users: int = typer.Option(4000, help="Shoppers per simulated experiment.", min=100),
    base_rate: float = typer.Option(0.10, help="Control conversion."),
    lift: float = typer.Option(0.03, help="True absolute lift of the assistant arm."),
) -> None:
    """Coverage of the conversion interval (true lift), the A/A false-positive rate, SRM power."""
    t0 = time.time()
    weights = {"control": 0.5, "assistant": 0.5}
    covered = aa_significant = srm_fired = srm_false = 0
    with typer.progressbar(range(seeds), label="simulating") as bar:
        for seed in bar:
            for true_lift, real in ((lift, weights), (0.0, {"control": 0.46, "assistant": 0.54})):
                ev = normalise(simulate_events(seed, users, base_rate, true_lift, real))
                res = analyse(exposed_users(ev, "sim"), weights, "control", "sim")
                conv = res["comparisons"][0]
                if true_lift:
                    covered += conv["ci_low"] <= true_lift <= conv["ci_high"]
                    srm_false += res["srm"]["mismatch"]
                else:
                    srm_fired += res["srm"]["mismatch"]
            ev = normalise(simulate_events(10_000 + seed, users, base_rate, 0.0, weights))
            res = analyse(exposed_users(ev, "sim"), weights, "control", "sim")
            aa_significant += res["comparisons"][0]["significant"]
    typer.echo(
        json.dumps(
            {
                "seeds": seeds,
                "users": users,
                "true_lift": lift,
                "ci_coverage": covered / seeds,
                "aa_false_positive_rate": aa_significant / seeds,
                "srm_fired_on_46_54_split": srm_fired / seeds,
                "srm_false_alarms_on_50_50": srm_false / seeds,
                "seconds": round(time.time() - t0, 1),
                "at": datetime.now().isoformat(timespec="seconds"),
            },
            indent=2,
        )
    )
