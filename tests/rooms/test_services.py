"""Room services: access agreement, purge, management over HTTP, the sanitizer."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import func, select

from network import markup, policy
from network.extensions import db
from network.models import AuditEvent, Message, Room, TrustLevel, utcnow
from network.rooms import services
from tests import corpora, factories
from tests.conftest import post_form
from tests.rooms.page_data import page_messages


def test_visible_rooms_agrees_with_can_join_room(app, world):
    from network.models import Status

    world.org_c.suspended_at = None
    narrowed = factories.make_room(
        world.org_a, visibility="partners", partners=[world.org_c]
    )
    archived = factories.make_room(world.org_a)
    archived.archived_at = utcnow()
    b_room = factories.make_room(world.org_b, visibility="partners")
    db.session.commit()
    people = [
        world.lead_a,
        world.alice,
        world.bea,
        world.cole,
        factories.make_member(world.org_a, status=Status.PENDING),
        factories.make_admin(),
    ]
    factories.set_trust(world.org_a, world.org_c, TrustLevel.COLLABORATE)
    rooms = list(db.session.scalars(select(Room)))
    for person in people:
        listed = set(db.session.scalars(policy.visible_rooms(select(Room.id), person)))
        for room in rooms:
            assert (room.id in listed) == policy.can_join_room(person, room), (
                person.pseudonym,
                room.name,
            )
    assert policy.can_join_room(world.cole, narrowed)
    assert not policy.can_join_room(world.bea, narrowed)
    assert policy.can_join_room(world.alice, b_room)
    assert not policy.can_join_room(world.alice, archived)


def test_purge_deletes_messages_past_retention(app, world):
    short = factories.make_room(world.org_a, retention_days=7)
    old = utcnow() - timedelta(days=10)
    rows = [
        Message(
            room_id=short.id,
            author_id=world.alice.id,
            client_msg_id="old-short-1",
            body="old",
            html="",
            created_at=old,
        ),
        Message(
            room_id=short.id,
            author_id=world.alice.id,
            client_msg_id="new-short-1",
            body="new",
            html="",
        ),
        Message(
            room_id=world.room.id,
            author_id=world.alice.id,
            client_msg_id="old-long-01",
            body="kept",
            html="",
            created_at=old,
        ),
    ]
    db.session.add_all(rows)
    db.session.commit()
    assert services.purge_expired() == 1
    bodies = set(db.session.scalars(select(Message.body)))
    assert bodies == {"new", "kept"}
    from network.cli import purge

    result = app.test_cli_runner().invoke(purge)
    assert "Purged 0 messages" in result.output


def test_lead_creates_partner_room_over_http(app, world, login_as):
    client = login_as(world.lead_a)
    bad = post_form(
        client,
        "/rooms/new",
        {"name": "", "visibility": "org", "retention_days": "0"},
        token_from="/rooms/new",
    )
    assert bad.status_code == 400
    body = bad.get_data(as_text=True)
    assert "Enter a name for the room." in body and "from 1 to 365" in body
    response = post_form(
        client,
        "/rooms/new",
        {
            "name": "Cross agency",
            "topic": "Shared learning",
            "visibility": "partners",
            "partners": [str(world.org_b.id), str(world.org_c.id)],
            "retention_days": "30",
        },
        token_from="/rooms/new",
    )
    assert response.status_code == 302
    room = db.session.scalar(select(Room).where(Room.name == "Cross agency"))
    # Only collaborating organizations can be chosen; C (see) was dropped.
    assert room.partner_org_ids == {world.org_b.id}
    assert room.retention_days == 30
    assert db.session.scalar(
        select(AuditEvent.action).where(AuditEvent.action == "room.created")
    )
    assert "Cross agency" in login_as(world.bea).get("/rooms").get_data(as_text=True)
    assert "Cross agency" not in login_as(world.cole).get("/rooms").get_data(
        as_text=True
    )


def test_member_cannot_manage_rooms(app, world, login_as):
    client = login_as(world.alice)
    assert client.get("/rooms/new").status_code == 404
    assert client.get(f"/rooms/{world.room.public_id}/edit").status_code == 404
    partner_lead = factories.make_member(world.org_b, role="lead")
    assert (
        login_as(partner_lead)
        .get(f"/rooms/{world.partner_room.public_id}/edit")
        .status_code
        == 404
    )


def test_archive_removes_room(app, world, login_as, socket_client):
    client = login_as(world.lead_a)
    url = f"/rooms/{world.room.public_id}/edit"
    post_form(client, url, {"action": "archive"}, token_from=url)
    db.session.refresh(world.room)
    assert world.room.archived_at is not None
    assert (
        login_as(world.alice).get(f"/rooms/{world.room.public_id}").status_code == 404
    )


def test_room_page_renders_last_messages_and_hides_kept_apart(app, world, login_as):
    from network.safety import services as safety

    services.ensure_member(world.room, world.amir)
    # Seeding 55 messages by one author: more than a burst of message tokens.
    app.config["SOCKET_RATELIMIT_ENABLED"] = False
    for n in range(55):
        services.send_message(
            world.room, actor=world.amir, body=f"note {n}", client_msg_id=f"cid-{n:08d}"
        )
    services.send_message(
        world.room,
        actor=world.alice,
        body="secret *cw*",
        content_warning="grief",
        client_msg_id="cid-cw-0001",
    )
    page = login_as(world.lead_a).get(f"/rooms/{world.room.public_id}")
    html = page.get_data(as_text=True)
    shown = page_messages(html)
    assert len(shown) == 50
    bodies = [m["html"] for m in shown]
    assert "<p>note 54</p>\n" in bodies and "<p>note 5</p>\n" not in bodies
    assert "Load earlier messages" in html
    assert shown[-1]["content_warning"] == "grief"
    assert shown[-1]["html"] == "<p>secret <em>cw</em></p>\n"
    # One renderer: the page carries the data and the template, never the markup.
    assert '<template id="message-template">' in html
    assert "<p>note 54</p>" not in html and 'class="message ' not in html
    safety.file_separation(world.alice, world.amir, actor=world.alice)
    html = (
        login_as(world.alice)
        .get(f"/rooms/{world.room.public_id}")
        .get_data(as_text=True)
    )
    assert "note 54" not in html
    assert "Someone you asked to be kept apart from is a member here" in html
    assert 'id="separation-notice" role="alert" hidden' not in html
    amir_html = (
        login_as(world.amir)
        .get(f"/rooms/{world.room.public_id}")
        .get_data(as_text=True)
    )
    assert "secret" not in amir_html
    assert 'id="separation-notice" role="alert" hidden' in amir_html


class _Audit(HTMLParser):
    """Collects every tag and attribute the sanitizer let through."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag not in markup.ALLOWED_TAGS:
            self.problems.append(f"tag {tag}")
        for name, value in attrs:
            if name.startswith("on") or name in {"style", "src", "srcdoc"}:
                self.problems.append(f"attr {name}")
            if name == "href":
                # As a browser reads it: control characters and spaces dropped,
                # then a scheme is letters, digits, + . - up to the first colon.
                cleaned = re.sub(r"[\x00-\x20]", "", value or "")
                match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", cleaned)
                if match and match.group(1).lower() not in markup.URL_SCHEMES:
                    self.problems.append(f"href {value}")


def _corpus() -> list[str]:
    payloads = corpora.xss_payloads()
    payloads += corpora.naughty_strings()
    # The same payloads inside Markdown links and code, where renderers slip.
    payloads += [f"[click]({p})" for p in payloads[:500]]
    return payloads


def test_xss_corpus_leaves_no_script_handlers_or_bad_urls():
    corpus = _corpus()
    assert len(corpus) > 5000
    for payload in corpus:
        html = markup.render(payload)
        audit = _Audit()
        audit.feed(html)
        assert audit.problems == [], (payload, html)


@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x](data:text/html,hi)",
        "<img src=x onerror=alert(1)>",
        "![i](https://x/y.png)",
        "<iframe src=x>",
        "[x](vbscript:msgbox)",
        "<a href='javascript:1'>a</a>",
    ],
)
def test_known_attacks_render_inert(text):
    html = markup.render(text)
    audit = _Audit()
    audit.feed(html)
    assert audit.problems == []
    assert "<img" not in html and "<iframe" not in html
    assert 'href="javascript' not in html.lower() and 'href="data' not in html.lower()


def test_links_get_safe_rel():
    html = markup.render("[site](https://example.org) and [mail](mailto:a@b.org)")
    assert html.count('rel="nofollow noopener noreferrer"') == 2


def test_message_count_unchanged_by_refused_send(app, world):
    assert db.session.scalar(select(func.count(Message.id))) == 0
