"""Help requests, support alerts and one-to-one spaces never reach a person kept
apart from the asker, still reach someone else, or say honestly that nobody can."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from network.extensions import db
from network.models import Role, RoomMember, SupportRequest, TrustLevel
from network.rooms import services as rooms
from network.safety import services as safety
from network.supervision import services as supervision
from tests import factories
from tests.conftest import mask_csrf, post_form
from tests.conftest import events

NOBODY = "Nobody can be reached from here right now"


def keep_apart(protected, other) -> None:
    """A separation protecting `protected` from an existing profile."""
    factories.separate(protected, other)


@dataclass
class Harbour:
    harbour: object
    prairie: object
    sea_glass: object
    driftwood: object
    lantern: object
    lead: object
    room: object
    circle: object


@pytest.fixture
def harbour(app) -> Harbour:
    """Harbour: Sea Glass is kept apart from Lantern, her own org's moderator."""
    harbour = factories.make_org("Harbour")
    prairie = factories.make_org("Prairie")
    factories.set_trust(harbour, prairie, TrustLevel.COLLABORATE)
    lead = factories.make_member(harbour, role=Role.LEAD, pseudonym="Beacon")
    lantern = factories.make_member(harbour, role=Role.MODERATOR, pseudonym="Lantern")
    sea_glass = factories.make_member(harbour, pseudonym="Sea Glass")
    driftwood = factories.make_member(harbour, pseudonym="Driftwood")
    keep_apart(sea_glass, lantern)
    room = factories.make_room(harbour, name="Harbour lounge")
    for person in (sea_glass, driftwood, lantern):
        rooms.ensure_member(room, person)
    circle = rooms.create_room(harbour, actor=lead, name="Circle", kind="supervision")
    for person in (sea_glass, driftwood):
        supervision.invite(circle, person, actor=lead)
        supervision.respond_to_invitation(circle, True, actor=person)
    return Harbour(harbour, prairie, sea_glass, driftwood, lantern, lead, room, circle)


def _help(client, room, note="please call me"):
    url = f"/rooms/{room.public_id}"
    return post_form(
        client, url + "/help", {"note": note}, token_from=url, follow_redirects=True
    )


def _notice_help(client, room, note="please call me"):
    """Press the button inside the separation notice, as the page draws it."""
    url = f"/rooms/{room.public_id}"
    page = client.get(url).get_data(as_text=True)
    notice = page.split('id="separation-notice"')[1].split("</div>")[0]
    assert "hidden" not in notice.split(">")[0]
    action = re.search(r'<form method="post" action="([^"]+)"', notice).group(1)
    return post_form(
        client, action, {"note": note}, token_from=url, follow_redirects=True
    )


def _alert(client_sock, room):
    return client_sock.emit("support:alert", {"room_id": room.public_id}, callback=True)


def _requested(sock) -> list[str]:
    return [event["from"] for event in events(sock, "support:requested")]


def _home_list(client) -> str:
    page = client.get("/").get_data(as_text=True)
    if 'id="support-requests"' not in page:
        return ""
    return page.split('id="support-requests"')[1].split("</ul>")[0]


@pytest.mark.parametrize("press", [_help, _notice_help], ids=["route", "notice"])
def test_help_request_skips_the_moderator_she_is_kept_apart_from(
    harbour, login_as, connect, press
):
    h = harbour
    lantern_sock, lead_sock = connect(h.lantern), connect(h.lead)
    response = press(login_as(h.sea_glass), h.room)
    assert response.status_code == 200
    assert "A facilitator has been asked to contact you" in response.get_data(
        as_text=True
    )
    _help(login_as(h.driftwood), h.room, note="marker note")  # the positive marker
    assert _requested(lantern_sock) == ["Driftwood"]
    assert _requested(lead_sock) == ["Sea Glass", "Driftwood"]
    lantern_home = _home_list(login_as(h.lantern))
    assert "marker note" in lantern_home
    assert "Sea Glass" not in lantern_home and "please call me" not in lantern_home
    assert "please call me" in _home_list(login_as(h.lead))


def test_support_alert_skips_kept_apart_moderator(harbour, connect):
    h = harbour
    lantern_sock, lead_sock = connect(h.lantern), connect(h.lead)
    asker, marker = connect(h.sea_glass), connect(h.driftwood)
    for sock in (asker, marker):
        assert sock.emit("room:join", {"room_id": h.circle.public_id}, callback=True)[
            "ok"
        ]
    assert _alert(asker, h.circle) == {"ok": True, "online": True}
    assert _alert(marker, h.circle) == {"ok": True, "online": True}
    assert [e["from"] for e in events(lantern_sock, "support:alert")] == ["Driftwood"]
    assert [e["from"] for e in events(lead_sock, "support:alert")] == [
        "Sea Glass",
        "Driftwood",
    ]


def test_present_facilitator_kept_apart_is_skipped_for_the_host_lead(
    harbour, connect, login_as
):
    h = harbour
    lantern_sock, lead_sock = connect(h.lantern), connect(h.lead)
    assert lantern_sock.emit(
        "room:join", {"room_id": h.circle.public_id}, callback=True
    )["ok"]
    asker = connect(h.sea_glass)
    asker.emit("room:join", {"room_id": h.circle.public_id}, callback=True)
    lantern_sock.get_received()
    assert _alert(asker, h.circle) == {"ok": True, "online": True}
    assert [e["from"] for e in events(lead_sock, "support:alert")] == ["Sea Glass"]
    alert = db.session.scalar(select(SupportRequest))
    # Lantern, present but kept apart, gets nothing, cannot open a one-to-one
    # space for her, and cannot mark it handled: both answer like a missing one.
    marker = connect(h.driftwood)
    marker.emit("room:join", {"room_id": h.circle.public_id}, callback=True)
    _alert(marker, h.circle)
    assert [e["from"] for e in events(lantern_sock, "support:alert")] == ["Driftwood"]
    lantern = login_as(h.lantern)
    for url in ("/support/{}/one-to-one", "/support/{}/handled"):
        denied = post_form(
            lantern, url.format(alert.public_id), {}, token_from="/logout"
        )
        missing = post_form(
            lantern, url.format("missingMissing0"), {}, token_from="/logout"
        )
        assert denied.status_code == missing.status_code == 404
        assert mask_csrf(denied.data) == mask_csrf(missing.data)
    assert db.session.get(SupportRequest, alert.id).private_room_id is None
    opened = post_form(
        login_as(h.lead),
        f"/support/{alert.public_id}/one-to-one",
        {},
        token_from="/logout",
    )
    assert opened.status_code == 302


def test_partner_room_falls_back_to_the_askers_own_organization(harbour, connect):
    h = harbour
    prairie_mod = factories.make_member(h.prairie, role=Role.MODERATOR)
    safety.block(prairie_mod.id, actor=h.sea_glass)
    room = factories.make_room(h.prairie, visibility="partners", name="Learning")
    socks = {p.pseudonym: connect(p) for p in (prairie_mod, h.lantern, h.lead)}
    asker = connect(h.sea_glass)
    asker.emit("room:join", {"room_id": room.public_id}, callback=True)
    assert _alert(asker, room) == {"ok": True, "online": True}
    got = {name for name, sock in socks.items() if events(sock, "support:alert")}
    assert got == {"Beacon"}


def test_nobody_reachable_is_told_honestly_the_same_way(harbour, connect, login_as):
    h = harbour
    safety.block(h.sea_glass.id, actor=h.lead)  # the lead blocked her: kept apart too
    alone = factories.make_org("Lonely")
    hermit = factories.make_member(alone, pseudonym="Hermit")
    empty = factories.make_room(alone, name="Quiet")
    answers = []
    for person, room in ((h.sea_glass, h.room), (hermit, empty)):
        body = _help(login_as(person), room).get_data(as_text=True)
        assert NOBODY in body and "A facilitator has been asked" not in body
        answers.append(re.search(r"Nobody can be reached[^<]*", body).group(0))
        sock = connect(person)
        sock.emit("room:join", {"room_id": room.public_id}, callback=True)
        answers.append(_alert(sock, room))
    assert answers[0] == answers[2]
    assert answers[1] == answers[3] == {"ok": False, "error": "unreachable"}
    assert db.session.scalar(select(func.count(SupportRequest.id))) == 0


def test_one_to_one_space_is_not_moderated_by_kept_apart_host_manager(
    harbour, connect, login_as
):
    h = harbour
    alert, recipients = supervision.support_alert(h.circle, actor=h.sea_glass)
    assert recipients == [h.lead.id]
    private = supervision.open_private_room(alert, actor=h.lead)
    members = set(
        db.session.scalars(
            select(RoomMember.account_id).where(RoomMember.room_id == private.id)
        )
    )
    assert members == {h.sea_glass.id, h.lead.id}
    missing = login_as(h.lantern).get("/rooms/missingMissing0/manage")
    denied = login_as(h.lantern).get(f"/rooms/{private.public_id}/manage")
    assert denied.status_code == missing.status_code == 404
