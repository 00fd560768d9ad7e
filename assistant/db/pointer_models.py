"""Pointers every replica of the service must agree on, e.g. the published search index version.

The files a pointer names sit on storage all replicas share (the data directory's volume); the
pointer itself lives here, so a swap published by one replica or a batch job is seen by all of
them at their next request, whatever the filesystem.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.db.models import Base, utcnow


class PublishedVersion(Base):
    """The current version of one published artifact (name: e.g. "search_index")."""

    __tablename__ = "published_versions"

    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    version: Mapped[str] = mapped_column(String(128))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
