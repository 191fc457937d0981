"""The directory page."""

from __future__ import annotations

import unicodedata

from flask import Blueprint, render_template, request
from flask_login import current_user

from network.inputs import int_arg
from network.directory import services
from network.guards import member_required
from network.models import EXPERIENCE_TAGS, LANGUAGES, PROVINCES

bp = Blueprint("directory", __name__)


def sort_key(name) -> str:
    """A name's place in a list in any language: accents do not send it last."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@bp.get("/directory")
@member_required
def directory():
    """Members of one's own organization and of organizations at `see` or above."""
    filters = {
        "region": request.args.get("region", ""),
        "language": request.args.get("language", ""),
        "tag": request.args.get("tag", ""),
        "query": request.args.get("q", "")[:40],
    }
    result = services.search(actor=current_user, page=int_arg("page", 1), **filters)
    return render_template(
        "directory/directory.html",
        result=result,
        filters=filters,
        provinces=sorted(PROVINCES.items(), key=lambda item: sort_key(item[1])),
        languages=LANGUAGES,
        tags=EXPERIENCE_TAGS,
    )
