"""The insights page and its CSV: a lead's organization, or the network for the
platform admin; everyone else gets the page a missing URL gets."""

from __future__ import annotations

from flask import Blueprint, Response, render_template
from flask_login import current_user

from network.guards import member_required
from network.insights import charts, services

bp = Blueprint("insights", __name__)


@bp.get("/insights")
@member_required
def index():
    """The figures by month, each chart beside its table."""
    insights = services.insights_for(current_user)
    drawn = {table.key: charts.chart_for(table) for table in insights.tables}
    response = Response(
        render_template("insights/index.html", insights=insights, charts=drawn)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/insights.csv")
@member_required
def download():
    """The same suppressed figures as the page, as a CSV attachment."""
    insights = services.insights_for(current_user)
    response = Response(services.as_csv(insights), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="insights.csv"'
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
