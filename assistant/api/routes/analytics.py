"""Engagement analytics and experiments: /v1/admin/analytics, /v1/admin/experiments, and a
shopper's arm at /v1/experiments/{name}/assignment."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from analytics.experiments import ExperimentResult
from analytics.metrics import EngagementMetrics
from assistant.api.deps import (
    AdminDep,
    SessionDep,
    SettingsDep,
    StateDep,
    WidgetDep,
    acting_shopper,
)
from assistant.api.errors import AUTH_ERRORS, responses
from assistant.api.requests import NOT_BLANK, RequestModel
from assistant.errors import Invalid, Unfit
from assistant.jsontypes import JsonObject
from assistant.llm.adapters import known_adapters
from assistant.services import analytics as analytics_service
from assistant.services import churn
from assistant.services import experiments as experiment_service
from assistant.services.records import ArmSpec, ChurnList, ExperimentInfo

router = APIRouter(prefix="/v1", tags=["analytics"], responses=AUTH_ERRORS)
PLOTLY_SRC = "/admin/analytics/plotly.min.js"
Segment = Literal["all", "new", "returning", "assistant", "no-assistant", "buyers"]
ExperimentName = Annotated[str, Path(min_length=1, max_length=64, pattern=NOT_BLANK)]


# An HTML route's errors are still JSON: FastAPI would document them in the route's own media
# type, so they are stated with their content type here (these override the router's).
HTML_ERRORS: dict[int | str, JsonObject] = {
    **{
        status: {
            "description": str(spec["description"]),
            "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/ErrorResponse"}}
            },
        }
        for status, spec in responses(401, 403, 404, 422, 429).items()
    },
    200: {"description": "the report", "content": {"text/html": {"schema": {"type": "string"}}}},
}


class AnalyticsOut(BaseModel):
    """The report's figures: engagement metrics, and the experiment's arms when one was asked."""

    metrics: EngagementMetrics
    experiment: ExperimentResult | None = None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise Invalid(f"not a calendar day: {text!r}") from exc


# One set of query parameters for the JSON figures and the HTML report.
# days as ISO text only (a date type would also take a number: `from=0` as 1970-01-01)
DAY = {"pattern": r"^\d{4}-\d\d-\d\d$", "json_schema_extra": {"format": "date"}}
From = Annotated[str | None, Query(alias="from", description="first day, inclusive", **DAY)]
To = Annotated[str | None, Query(alias="to", description="last day, inclusive", **DAY)]
ExperimentQ = Annotated[str | None, Query(max_length=64, description="add its per-arm results")]
Offset = Annotated[float, Query(ge=-14, le=14, description="hours east of UTC for days")]


def analytics_query(
    start: From = None,
    end: To = None,
    segment: Segment = "all",
    experiment: ExperimentQ = None,
    utc_offset: Offset = 0.0,
    cuped: bool = False,
) -> analytics_service.AnalyticsQuery:
    """The period, segment and experiment the JSON figures and the HTML report are over."""
    return analytics_service.AnalyticsQuery(
        start=_day(start),
        end=_day(end),
        segment=segment,
        experiment=experiment,
        utc_offset_h=utc_offset,
        cuped=cuped,
    )


QueryDep = Annotated[analytics_service.AnalyticsQuery, Depends(analytics_query)]


@router.get("/admin/analytics", responses=responses(404))
def get_analytics(
    db: SessionDep,
    who: AdminDep,
    q: QueryDep,
) -> AnalyticsOut:
    """Engagement metrics over the store's events (404 no_events when the period is empty)."""
    result = analytics_service.engagement_report(db, q)
    return AnalyticsOut(metrics=result.metrics, experiment=result.experiment)


@router.get(
    "/admin/analytics/report",
    response_class=HTMLResponse,
    responses=HTML_ERRORS,
)
def get_analytics_report(
    db: SessionDep,
    who: AdminDep,
    q: QueryDep,
) -> HTMLResponse:
    """The engagement report as HTML (its charts load plotly.js from the admin page's copy)."""
    result = analytics_service.engagement_report(db, q)
    return HTMLResponse(analytics_service.report_html(result, plotly_src=PLOTLY_SRC))


class ArmIn(RequestModel):
    """One arm: its share of shoppers and what it changes (setting name -> value: planner,
    writer, adapter, search_mode, search_learned, assistant_enabled; services/variant.py)."""

    name: str = Field(min_length=1, max_length=32, pattern=NOT_BLANK)
    weight: float = Field(ge=0, le=1000)
    settings: dict[str, str] = Field(default_factory=dict, max_length=20)


class ExperimentIn(RequestModel):
    """A new experiment; the first arm is the control."""

    name: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
    description: str = Field("", max_length=2000)
    arms: list[ArmIn] = Field(min_length=2, max_length=10)


class ExperimentsOut(BaseModel):
    """Every experiment, newest first."""

    experiments: list[ExperimentInfo]


class AssignmentOut(BaseModel):
    """The arm a shopper is in, and the settings it changes."""

    experiment: str
    user_id: str
    arm: str
    settings: dict[str, str]


@router.get("/admin/experiments")
def list_experiments(db: SessionDep, who: AdminDep) -> ExperimentsOut:
    """Every experiment."""
    return ExperimentsOut(experiments=experiment_service.list_experiments(db))


@router.post("/admin/experiments", responses=responses(409, 422))
def create_experiment(
    body: ExperimentIn, db: SessionDep, settings: SettingsDep, who: AdminDep
) -> ExperimentInfo:
    """Create a running experiment (409 when the name is taken, or naming the valid choices
    when an arm's setting is unknown here or its value is not one of them, e.g. an adapter)."""
    if len({a.name for a in body.arms}) != len(body.arms):
        raise Unfit("arm names must be distinct")
    if not any(a.weight > 0 for a in body.arms):
        raise Unfit("at least one arm needs a weight above 0")
    arms = [ArmSpec(name=a.name, weight=a.weight, settings=a.settings) for a in body.arms]
    adapters = known_adapters(settings)
    return experiment_service.create_experiment(db, body.name, arms, body.description, adapters)


@router.get("/admin/experiments/{name}", responses=responses(404))
def get_experiment(name: ExperimentName, db: SessionDep, who: AdminDep) -> ExperimentInfo:
    """One experiment."""
    return experiment_service.get_experiment(db, name)


@router.post("/admin/experiments/{name}/stop", responses=responses(404))
def stop_experiment(name: ExperimentName, db: SessionDep, who: AdminDep) -> ExperimentInfo:
    """Stop assigning shoppers (the results stay)."""
    return experiment_service.set_status(db, name, "stopped")


@router.get("/admin/experiments/{name}/report", responses=responses(404))
def experiment_report(
    name: ExperimentName, db: SessionDep, who: AdminDep, cuped: bool = False
) -> ExperimentResult:
    """Per-arm conversion, revenue and purchases per visit with 95 % intervals, and SRM."""
    experiment_service.get_experiment(db, name)  # 404 before anything is computed
    q = analytics_service.AnalyticsQuery(experiment=name, cuped=cuped)
    result = analytics_service.engagement_report(db, q)
    assert result.experiment is not None  # asked for above
    return result.experiment


@router.get("/admin/churn", responses=responses(503))
def get_churn(
    state: StateDep,
    db: SessionDep,
    who: AdminDep,
    limit: Annotated[int, Query(ge=1, le=1000)] = 50,
) -> ChurnList:
    """Shoppers by churn risk (the behaviour predictor's), the riskiest first, with reasons."""
    return churn.at_risk(state, db, limit)


@router.get("/experiments/{name}/assignment", responses=responses(409))
def get_assignment(
    name: ExperimentName,
    db: SessionDep,
    who: WidgetDep,
    user_id: Annotated[str | None, Query(max_length=64)] = None,
) -> AssignmentOut:
    """The shopper's arm (widget keys: their own; 409 unfit when it is not running)."""
    shopper = acting_shopper(who, user_id)
    arm = experiment_service.arm_of(db, name, shopper)
    info = experiment_service.get_experiment(db, name)
    settings = next(a.get("settings", {}) for a in info["arms"] if a["name"] == arm)
    return AssignmentOut(experiment=name, user_id=shopper, arm=arm, settings=settings)
