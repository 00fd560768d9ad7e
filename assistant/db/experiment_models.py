"""Experiments on the assistant: a name, its arms with their traffic shares, what each arm
changes (settings overrides), and whether it is running."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.db.models import Base, utcnow

EXPERIMENT_STATUSES = ("running", "stopped")


class Experiment(Base):
    """An A/B experiment; arms is [{"name", "weight", "settings"}], weights summing to 1."""

    __tablename__ = "experiments"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    description: Mapped[str] = mapped_column(Text, default="")
    arms: Mapped[list[Any]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="running")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
