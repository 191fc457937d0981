"""Hostile HTTP input: NUL bytes, huge integers, direction controls. Never a 500."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from flask_migrate import upgrade
from sqlalchemy import select

from network import create_app
from network.extensions import db
from network.models import Report, Resource, Role, Room
from tests import factories
from tests.conftest import IsolatedClient, csrf_token, login, post_form

HUGE = str(2**70)
HOSTILE = [HUGE, "-" + HUGE, "a\x00b", "\x00", "x" * 300, "0"]
QUERY_KEYS = ["before", "page", "message", "profile", "resource", "room", "actor"]


def _people():
    org = factories.make_org("Input A")
    lead = factories.make_member(org, role=Role.LEAD, pseudonym="Lead Inputs")
    member = factories.make_member(org, pseudonym="Member Inputs")
    factories.make_room(org, name="Inputs room")
    return org, lead, member


def _bio_and_note(app) -> None:
    """POST /account with a NUL in the bio, and a report note with one: stored
    without the NUL, everything else kept."""
    _, lead, member = _people()
    client = app.test_client()
    login(client, member)
    response = post_form(
        client,
        "/account",
        {"pseudonym": "Member Inputs", "region": "", "bio": "kind\x00 words"},
        token_from="/account",
    )
    assert response.status_code == 302
    db.session.refresh(member.profile)
    assert member.profile.bio == "kind words"
    url = f"/reports/new?profile={lead.profile.public_id}"
    response = post_form(
        client, url, {"category": "spam", "note": "see\x00 this"}, token_from=url
    )
    assert response.status_code == 302
    assert db.session.scalar(select(Report.note)) == "see this"


def test_nul_bytes_in_forms_are_dropped_on_sqlite(app):
    _bio_and_note(app)


@pytest.mark.services
def test_nul_bytes_in_forms_are_dropped_on_postgres(pg_url):
    app = create_app(
        "test",
        SQLALCHEMY_DATABASE_URI=pg_url.replace(
            "postgresql://", "postgresql+psycopg://"
        ),
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        upgrade()
        try:
            _bio_and_note(app)
        finally:
            db.session.remove()
            db.engine.dispose()


def _urls(app, methods: str) -> list[str]:
    """Every URL of the app with each path argument replaced by a hostile value."""
    urls = []
    for rule in app.url_map.iter_rules():
        if methods not in rule.methods or rule.endpoint == "static":
            continue
        if not rule.arguments:
            urls.append(rule.rule)
            continue
        for value in HOSTILE:
            urls.append(re.sub(r"<[^>]+>", quote(value, safe=""), rule.rule))
    return urls


def _query(value: str) -> str:
    return "?" + "&".join(f"{key}={quote(value, safe='')}" for key in QUERY_KEYS)


@pytest.mark.parametrize("who", ["member", "lead", "admin"])
def test_hostile_paths_and_queries_never_500(app, login_as, who):
    _, lead, member = _people()
    account = {"member": member, "lead": lead, "admin": factories.make_admin()}[who]
    client = login_as(account)
    for url in _urls(app, "GET"):
        for value in HOSTILE:
            response = client.get(url + _query(value))
            assert response.status_code < 500, (url, value)
    token = csrf_token(client, "/account")
    for url in _urls(app, "POST"):
        if "<" in url or "logout" in url or url == "/exit":  # both sign out
            continue
        response = client.post(url, data={"csrf_token": token})
        assert response.status_code < 500, url


@pytest.mark.parametrize(
    "url",
    [
        f"/rooms/ROOM?before={HUGE}",
        f"/rooms/ROOM?at={HUGE}",
        f"/search?q=x&before={HUGE}",
        "/search?q=%00%22*&before=%00",
        f"/reports/new?message={HUGE}",
        f"/orgs/ORG/audit?before={HUGE}",
        f"/org/members?page={HUGE}",
        f"/library?page={HUGE}",
        f"/directory?page={HUGE}",
    ],
)
def test_issue_urls_with_huge_integers(app, login_as, url):
    org, lead, _ = _people()
    room = db.session.scalar(select(Room))
    url = url.replace("ROOM", room.public_id).replace("ORG", org.public_id)
    assert login_as(lead).get(url).status_code in {200, 404}


@pytest.mark.parametrize(
    "path", [f"/account/blocks/{HUGE}/remove", f"/org/settings/items/{HUGE}/remove"]
)
def test_issue_posts_with_huge_ids_are_404(app, login_as, path):
    _, lead, _ = _people()
    client = login_as(lead)
    token = csrf_token(client, "/account")
    assert client.post(path, data={"csrf_token": token}).status_code == 404


def test_bidi_controls_are_stripped_from_titles(app, login_as):
    org, lead, _ = _people()
    client = login_as(lead)
    response = post_form(
        client,
        "/library/new",
        {
            "kind": "link",
            "title": "invoice\u202efdp.exe",
            "url": "https://example.org/a",
            "visibility": "org",
            "language": "en",
        },
        token_from="/library/new",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-2000:]
    resource = db.session.scalar(select(Resource))
    assert resource.title == "invoicefdp.exe"
    page = client.get(f"/library/{resource.public_id}").get_data(as_text=True)
    assert "\u202e" not in page


@pytest.mark.parametrize(
    "control", ["\u202a", "\u202e", "\u2066", "\u2069", "\u200e", "\u200f", "\u061c"]
)
def test_bidi_controls_are_stripped_from_room_names_and_pseudonyms(
    app, login_as, control
):
    _, lead, member = _people()
    client = login_as(member)
    response = post_form(
        client,
        "/account",
        {"pseudonym": f"Member{control} Inputs", "region": ""},
        token_from="/account",
    )
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.pseudonym == "Member Inputs"
    lead_client = login_as(lead)
    response = post_form(
        lead_client,
        "/rooms/new",
        {"name": f"Safe{control} room", "visibility": "org", "retention_days": "90"},
        token_from="/rooms/new",
    )
    assert response.status_code == 302, response.get_data(as_text=True)[-1500:]
    names = set(db.session.scalars(select(Room.name)))
    assert "Safe room" in names


def test_every_form_cleans_one_line_fields(app):
    import importlib
    import pkgutil

    from flask_wtf import FlaskForm

    import network
    from network.forms import BaseForm

    for info in pkgutil.walk_packages(network.__path__, "network."):
        if info.name.endswith(".forms"):
            importlib.import_module(info.name)
    pending, seen = [FlaskForm], set()
    while pending:
        for sub in pending.pop().__subclasses__():
            if sub not in seen and sub.__module__.startswith("network."):
                seen.add(sub)
                assert issubclass(sub, BaseForm) or sub is BaseForm, sub
            pending.append(sub)
    assert seen


def test_sql_parameters_are_never_in_error_messages(app):
    from sqlalchemy import text

    assert db.engine.hide_parameters
    with pytest.raises(Exception) as caught:
        db.session.execute(
            text("SELECT * FROM nowhere WHERE x = :secret"), {"secret": "bio-7Q"}
        )
    assert "bio-7Q" not in str(caught.value)
    db.session.rollback()
