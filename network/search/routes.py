"""The search page: a query box and one page of results, newest first."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user

from network.guards import member_required
from network.search import services
from network.text import SEARCH_QUERY_MAX

bp = Blueprint("search", __name__)


@bp.get("/search")
@member_required
def search():
    """Search the messages of the rooms the member is in; no query, no search."""
    query = request.args.get("q")
    page = None
    if query is not None:
        page = services.search(current_user, query, before=request.args.get("before"))
    status = 429 if page is not None and page.error == services.TOO_FAST else 200
    return render_template(
        "search/search.html",
        query=(query or "")[:SEARCH_QUERY_MAX],
        page=page,
        max_length=SEARCH_QUERY_MAX,
    ), status
