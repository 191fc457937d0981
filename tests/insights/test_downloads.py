"""The library's download route counts downloads per file per month, never who."""

from __future__ import annotations

import secrets

from sqlalchemy import inspect, select

from network.extensions import db
from network.library import services as library
from network.models import Resource, ResourceDownload, utcnow
from tests import factories


def _file(org) -> Resource:
    stored = secrets.token_hex(16) + ".txt"
    folder = library.upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / stored).write_bytes(b"hello")
    resource = Resource(
        owner_org_id=org.id,
        title="Guide",
        kind="file",
        stored_name=stored,
        mime_type="text/plain",
        size=5,
    )
    db.session.add(resource)
    db.session.commit()
    return resource


def test_downloads_are_counted_and_refusals_are_not(app, login_as):
    org = factories.make_org()
    resource = _file(org)
    url = f"/library/{resource.public_id}/download"
    member = login_as(factories.make_member(org))
    try:
        assert member.get(url).status_code == 200
        assert member.get(url).status_code == 200
        stranger = login_as(factories.make_member(factories.make_org()))
        assert stranger.get(url).status_code == 404
        row = db.session.scalar(select(ResourceDownload))
        assert (row.month, row.count) == (utcnow().strftime("%Y-%m"), 2)
    finally:
        (library.upload_dir() / resource.stored_name).unlink()
    columns = {c["name"] for c in inspect(db.engine).get_columns("resource_downloads")}
    assert columns == {"id", "resource_id", "month", "count"}
