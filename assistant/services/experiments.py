"""A/B experiments on the assistant: create, list, assign a shopper's arm (deterministic).

    create_experiment(db, "assistant-on", [ArmSpec(name="control", weight=0.5), ...])
    arm_of(db, "assistant-on", "u1")        # "control" | "assistant", the same every time

Assignment is a stable hash of experiment and shopper (analytics.assignment); an exposure event
records the arm the server assigned, so the report never trusts a client's arm.
"""

from __future__ import annotations

import re
from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from analytics.assignment import assign
from assistant.db.experiment_models import EXPERIMENT_STATUSES, Experiment
from assistant.errors import Conflict, Invalid, NotFound, Unfit
from assistant.services.records import ArmSpec, ExperimentInfo
from assistant.services.variant import variant_of

NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")


class ExperimentNotFound(NotFound):
    """No experiment of that name."""

    code = "experiment_not_found"


def _arm(stored: dict[str, object]) -> ArmSpec:
    arm = ArmSpec(name=str(stored["name"]), weight=float(str(stored["weight"])))
    settings = stored.get("settings")
    if isinstance(settings, dict):
        arm["settings"] = {str(k): str(v) for k, v in settings.items()}
    return arm


def _info(row: Experiment) -> ExperimentInfo:
    return ExperimentInfo(
        name=row.name,
        description=row.description,
        status=row.status,
        arms=[_arm(a) for a in row.arms],
        created_at=row.created_at.isoformat(),
    )


def create_experiment(
    db: Session,
    name: str,
    arms: list[ArmSpec],
    description: str = "",
    adapters: Collection[str] = (),
) -> ExperimentInfo:
    """A new running experiment; weights are normalised to sum to 1. Each arm's settings are
    checked (services.variant); adapters: the names an arm may plan with (known_adapters)."""
    if not NAME.match(name):
        raise Invalid("experiment names are 1-64 letters, digits, '.', '_' or '-'")
    names = [a["name"] for a in arms]
    if len(arms) < 2 or len(set(names)) != len(names):
        raise Invalid("an experiment needs at least two arms with distinct names")
    total = sum(a["weight"] for a in arms)
    if total <= 0 or any(a["weight"] < 0 for a in arms):
        raise Invalid("arm weights must be non-negative and not all 0")
    for arm in arms:
        try:
            variant_of(arm.get("settings", {}), adapters)
        except Invalid as exc:  # well-formed, but not a setting this service has: 409
            raise Unfit(f"arm {arm['name']!r}: {exc.message}") from exc
    if db.get(Experiment, name) is not None:
        raise Conflict(f"experiment {name!r} exists")
    norm = [ArmSpec(**{**a, "weight": a["weight"] / total}) for a in arms]
    row = Experiment(name=name, description=description, arms=norm, status="running")
    db.add(row)
    db.commit()
    return _info(row)


def get_experiment(db: Session, name: str) -> ExperimentInfo:
    """The experiment called name, or ExperimentNotFound."""
    row = db.get(Experiment, name)
    if row is None:
        raise ExperimentNotFound(f"experiment {name!r} not found")
    return _info(row)


def list_experiments(db: Session) -> list[ExperimentInfo]:
    """Every experiment, newest first."""
    rows = db.scalars(select(Experiment).order_by(Experiment.created_at.desc()))
    return [_info(r) for r in rows]


def set_status(db: Session, name: str, status: str) -> ExperimentInfo:
    """Stop (or restart) an experiment; a stopped one assigns nobody."""
    if status not in EXPERIMENT_STATUSES:
        raise Invalid(f"status must be one of {', '.join(EXPERIMENT_STATUSES)}")
    row = db.get(Experiment, name)
    if row is None:
        raise ExperimentNotFound(f"experiment {name!r} not found")
    row.status = status
    db.commit()
    return _info(row)


def arm_of(db: Session, name: str, user_id: str) -> str:
    """The arm user_id is in; an unknown or stopped experiment is Unfit (409)."""
    row = db.get(Experiment, name)
    if row is None or row.status != "running":
        raise Unfit(f"experiment {name!r} is not running")
    return assign(name, user_id, [(a["name"], float(a["weight"])) for a in row.arms])


def arm_settings(db: Session, name: str, user_id: str) -> tuple[str, dict[str, str]]:
    """The arm user_id is in and the settings it overrides; Unfit (409) when the experiment
    is unknown or stopped."""
    arm = arm_of(db, name, user_id)
    row = db.get(Experiment, name)
    spec = next((_arm(a) for a in (row.arms if row else []) if a["name"] == arm), None)
    return arm, dict(spec.get("settings", {})) if spec else {}
