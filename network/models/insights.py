"""Counters the insights page reads that no other table records."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from network.extensions import db


class ResourceDownload(db.Model):
    """How many times a library file was downloaded in one UTC month ("2026-11").

    A counter per resource per month, never who downloaded it (docs/insights.md).
    """

    __tablename__ = "resource_downloads"
    __table_args__ = (
        UniqueConstraint("resource_id", "month", name="uq_resource_download_month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resources.id", ondelete="CASCADE")
    )
    month: Mapped[str] = mapped_column(String(7))
    count: Mapped[int] = mapped_column(Integer, default=0)
