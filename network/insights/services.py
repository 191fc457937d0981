"""The insights of one organization (its lead) or of the whole network (the
platform admin): every table suppressed before anything reads it."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError

from network import policy
from network.errors import NotFound
from network.extensions import db
from network.insights import activity, sharing
from network.insights.tables import Table, month_keys
from network.models import Organization, Resource, ResourceDownload


@dataclass
class Insights:
    """What the page, the chart and the CSV show: the same suppressed tables."""

    scope: Organization | None  # None: the whole network
    months: list[str]
    tables: list[Table]


def insights_for(actor) -> Insights:
    """The tables the actor may see: their organization's as its lead, the
    network's as the platform admin; anyone else gets NotFound."""
    org = policy.lead_org(actor)
    if policy.is_admin(actor):
        org = None
    elif org is None or not policy.can_view_insights(actor, org):
        raise NotFound()
    return build(None if org is None else org.id, scope=org)


def build(org_id: int | None, *, scope: Organization | None = None) -> Insights:
    """Every table for one organization (or None: the network), suppressed."""
    months = month_keys()
    tables = [
        activity.supervision(org_id, months),
        activity.support(org_id, months),
        activity.members_now(org_id),
        activity.members(org_id, months),
        sharing.messages(org_id, months),
        sharing.conversations(org_id, months),
        sharing.connections(org_id),
        *sharing.library(org_id, months),
        *sharing.reports(org_id, months),
    ]
    for table in tables:
        if table.key != "connections":
            table.protect()
    return Insights(scope, months, tables)


def as_csv(insights: Insights) -> str:
    """The same suppressed figures as the page, one line per cell."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["table", "row", "column", "value"])
    for table in insights.tables:
        for row in table.rows:
            for column, cell in zip(table.columns, row.cells, strict=True):
                writer.writerow([table.key, str(row.label), str(column), cell.shown])
            if table.with_total and row.total is not None:
                writer.writerow([table.key, str(row.label), "total", row.total.shown])
    return out.getvalue()


def record_download(resource: Resource, month: str) -> None:
    """Count one download of a file in a UTC month ("YYYY-MM"); who downloaded
    it is never recorded. Commits."""
    bump = (
        update(ResourceDownload)
        .where(
            ResourceDownload.resource_id == resource.id,
            ResourceDownload.month == month,
        )
        .values(count=ResourceDownload.count + 1)
    )
    if db.session.execute(bump).rowcount == 0:
        try:
            with db.session.begin_nested():
                db.session.add(
                    ResourceDownload(resource_id=resource.id, month=month, count=1)
                )
        except IntegrityError:  # another download made the row first
            db.session.execute(bump)
    db.session.commit()
