"""The policy matrix: every role x relation x action, over HTTP and sockets.

For each actor and action it asserts what is allowed, that a refused change
changes nothing, and that every refusal of an existing object is byte-for-byte
the answer for an object that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest
from sqlalchemy import func, select

from network.extensions import db
from network.models import (
    AuditEvent,
    Block,
    OrgTrust,
    Separation,
    Invitation,
    Report,
    Resource,
    ReviewOptOut,
    Room,
    RoomMember,
    SupportRequest,
    Membership,
    Organization,
    PasswordReset,
    Role,
    Status,
    VettingItem,
)
from network.orgs import services as org_services
from network.library import services as library_services
from network.moderation import reports as report_services
from network.rooms import services as room_services
from network.supervision import services as supervision_services
from network.safety import services as safety_services
from tests import factories
from tests.conftest import csrf_token

ACTORS = [
    "admin",
    "lead_a",
    "moderator_a",
    "member_a",
    "pending_a",
    "suspended_a",
    "lead_b",
    "anonymous",
]
MISSING = {
    "target": "missingMissing1",
    "applicant": "missingMissing2",
    "invitation": "missingMissing3",
    "item": "999999",
    "org": "missingMissing4",
    "block": "999998",
    "separation": "missingMissing5",
    "room": "missingMissing6",
    "support": "missingMissing7",
    "sroom": "missingMissing8",
    "alert": "missingMissing9",
    "report": "missingMissingA",
    "member_a": "missingMissingB",
    "resource": "missingMissingC",
}


@dataclass
class World:
    actors: dict
    refs: dict
    secrets: list[str] = field(default_factory=list)  # text only org A may see


@pytest.fixture
def world(app) -> World:
    org_a = factories.make_org("Agency Alpha")
    org_b = factories.make_org("Agency Beta")
    actors = {
        "admin": factories.make_admin(),
        "lead_a": factories.make_member(org_a, role=Role.LEAD),
        "moderator_a": factories.make_member(org_a, role=Role.MODERATOR),
        "member_a": factories.make_member(org_a),
        "pending_a": factories.make_member(org_a, status=Status.PENDING),
        "suspended_a": factories.make_member(org_a, status=Status.SUSPENDED),
        "lead_b": factories.make_member(org_b, role=Role.LEAD),
        "anonymous": None,
    }
    target = factories.make_member(org_a, pseudonym="Target Person")
    applicant = factories.make_member(
        org_a, status=Status.PENDING, pseudonym="Applicant Person"
    )
    invitation, _ = org_services.issue_invitation(org_a, actor=actors["lead_a"])
    org_services.set_role(target.membership, Role.MODERATOR, actor=actors["lead_a"])
    org_services.set_role(target.membership, Role.MEMBER, actor=actors["lead_a"])
    blocked_person = factories.make_member(org_a, pseudonym="Blocked Person")
    past_person = factories.make_member(org_a, pseudonym="Past Person")
    assert past_person.id
    block = safety_services.block(actors["member_a"], blocked_person.id)
    separation = safety_services.file_separation(
        actors["member_a"], "Past Person", actor=actors["member_a"]
    )
    room = factories.make_room(org_a, name="Alpha Room")
    support = room_services.ask_for_help(room, target)
    sroom = room_services.create_room(
        org_a, actor=actors["lead_a"], name="Alpha Circle", kind="supervision"
    )
    supervision_services.invite(sroom, actors["member_a"], actor=actors["lead_a"])
    supervision_services.respond_to_invitation(sroom, actors["member_a"], True)
    alert, _ = supervision_services.support_alert(sroom, actors["member_a"])
    resource = library_services.create_link(
        org_a,
        target,
        library_services.Fields(title="Alpha Handbook"),
        "https://example.org/alpha",
    )
    report = report_services.report_profile(
        actors["member_a"], target.profile, "harassment", ""
    )
    item = db.session.scalar(
        select(VettingItem).where(VettingItem.organization_id == org_a.id)
    )
    refs = {
        "target": target.profile.public_id,
        "applicant": applicant.profile.public_id,
        "invitation": invitation.public_id,
        "item": str(item.id),
        "org": org_a.public_id,
        "org_b": org_b.public_id,
        "block": str(block.id),
        "separation": separation.public_id,
        "room": room.public_id,
        "support": support.public_id,
        "sroom": sroom.public_id,
        "alert": alert.public_id,
        "report": report.public_id,
        "member_a": actors["member_a"].profile.public_id,
        "resource": resource.public_id,
        "items": [
            str(i)
            for i in db.session.scalars(
                select(VettingItem.id).where(VettingItem.organization_id == org_a.id)
            )
        ],
    }
    return World(
        actors,
        refs,
        secrets=["Target Person", "Applicant Person", "Alpha Room", "Alpha Handbook"],
    )


def snapshot() -> tuple:
    """Everything a refused action must leave untouched."""
    return (
        sorted(
            db.session.execute(
                select(Membership.id, Membership.status, Membership.role)
            ).tuples()
        ),
        sorted(
            db.session.execute(
                select(Invitation.id, Invitation.revoked_at, Invitation.uses)
            ).tuples()
        ),
        sorted(db.session.execute(select(VettingItem.id, VettingItem.active)).tuples()),
        db.session.scalar(select(func.count(Organization.id))),
        db.session.scalar(select(func.count(AuditEvent.id))),
        db.session.scalar(select(func.count(PasswordReset.id))),
        sorted(
            db.session.execute(
                select(OrgTrust.from_org_id, OrgTrust.to_org_id, OrgTrust.level)
            ).tuples()
        ),
        db.session.scalar(select(func.count(Block.id))),
        db.session.scalar(select(func.count(Separation.id))),
        sorted(
            db.session.execute(
                select(Room.id, Room.name, Room.retention_days, Room.archived_at)
            ).tuples()
        ),
        db.session.scalar(select(func.count(SupportRequest.id))),
        sorted(
            db.session.execute(
                select(
                    RoomMember.id,
                    RoomMember.status,
                    RoomMember.muted_until,
                    RoomMember.rules_accepted_at,
                )
            ).all()
        ),
        sorted(db.session.execute(select(Room.id, Room.locked)).all()),
        sorted(
            db.session.execute(select(Report.id, Report.status, Report.outcome)).all()
        ),
        db.session.scalar(select(func.count(ReviewOptOut.id))),
        db.session.scalar(select(func.count(Room.id))),
        sorted(db.session.execute(select(Resource.id, Resource.title)).all()),
        sorted(
            db.session.execute(
                select(SupportRequest.id, SupportRequest.handled_at)
            ).tuples()
        ),
        sorted(
            db.session.execute(
                select(Organization.id, Organization.suspended_at)
            ).tuples()
        ),
    )


@dataclass
class Action:
    name: str
    method: str
    url: str
    data: dict = field(default_factory=dict)
    allowed: frozenset = frozenset()
    # What a logged-in, approved actor without rights gets: "hidden" (404), or
    # per actor "refused" (400, a form error that reads the same for a missing id).
    denied_as: dict = field(default_factory=dict)
    compare_missing: bool = True  # False where the "object" is the actor's own org


LEAD_A = frozenset({"lead_a"})
MEMBERS_A = frozenset({"lead_a", "moderator_a", "member_a"})
APPROVED = frozenset({"admin", "lead_a", "moderator_a", "member_a", "lead_b"})
ACTIONS = [
    Action(
        "view requests", "GET", "/org/requests", allowed=frozenset({"lead_a", "lead_b"})
    ),
    Action("view request", "GET", "/org/requests/{applicant}", allowed=LEAD_A),
    Action(
        "approve",
        "POST",
        "/org/requests/{applicant}",
        {"action": "approve", "approve-items": "{items}"},
        LEAD_A,
    ),
    Action(
        "reject",
        "POST",
        "/org/requests/{applicant}",
        {"action": "reject", "reject-reason": "not now"},
        LEAD_A,
    ),
    Action(
        "view members", "GET", "/org/members", allowed=frozenset({"lead_a", "lead_b"})
    ),
    Action("view member", "GET", "/org/members/{target}", allowed=LEAD_A),
    Action(
        "suspend",
        "POST",
        "/org/members/{target}",
        {"action": "suspend", "suspend-reason": "safety"},
        LEAD_A,
    ),
    Action(
        "set role",
        "POST",
        "/org/members/{target}",
        {"action": "role", "role-role": "moderator"},
        LEAD_A,
    ),
    Action(
        "reset code", "POST", "/org/members/{target}", {"action": "reset_code"}, LEAD_A
    ),
    Action(
        "view invitations",
        "GET",
        "/org/invitations",
        allowed=frozenset({"lead_a", "lead_b"}),
    ),
    Action(
        "issue invitation",
        "POST",
        "/org/invitations",
        {"max_uses": "2", "days": "3"},
        frozenset({"lead_a", "lead_b"}),
    ),
    Action(
        "revoke invitation", "POST", "/org/invitations/{invitation}/revoke", {}, LEAD_A
    ),
    Action(
        "view settings", "GET", "/org/settings", allowed=frozenset({"lead_a", "lead_b"})
    ),
    Action(
        "add checklist item",
        "POST",
        "/org/settings",
        {"action": "add", "label": "Safety plan made"},
        frozenset({"lead_a", "lead_b"}),
    ),
    Action(
        "remove checklist item", "POST", "/org/settings/items/{item}/remove", {}, LEAD_A
    ),
    Action(
        "view audit", "GET", "/orgs/{org}/audit", allowed=frozenset({"lead_a", "admin"})
    ),
    Action(
        "admin list orgs", "GET", "/admin/organizations", allowed=frozenset({"admin"})
    ),
    Action(
        "admin create org",
        "POST",
        "/admin/organizations",
        {"name": "Agency Gamma", "region": "ON"},
        frozenset({"admin"}),
    ),
    Action(
        "admin view org",
        "GET",
        "/admin/organizations/{org}",
        allowed=frozenset({"admin"}),
    ),
    Action(
        "admin lead code",
        "POST",
        "/admin/organizations/{org}",
        {"days": "3"},
        frozenset({"admin"}),
    ),
    Action("view profile", "GET", "/profiles/{target}", allowed=MEMBERS_A),
    Action(
        "admin suspend org",
        "POST",
        "/admin/organizations/{org}",
        {"action": "status"},
        frozenset({"admin"}),
    ),
    Action("view directory", "GET", "/directory", allowed=APPROVED),
    Action("view trust", "GET", "/org/trust", allowed=frozenset({"lead_a", "lead_b"})),
    Action(
        "set trust",
        "POST",
        "/org/trust",
        {"org": "{org}", "level": "see"},
        frozenset({"lead_b"}),
        denied_as={"lead_a": "refused"},
        compare_missing=False,
    ),
    Action("block", "POST", "/profiles/{target}/block", {}, MEMBERS_A),
    Action(
        "separate from profile", "POST", "/profiles/{target}/separate", {}, MEMBERS_A
    ),
    Action("view blocks", "GET", "/account/blocks", allowed=APPROVED),
    Action(
        "unblock", "POST", "/account/blocks/{block}/remove", {}, frozenset({"member_a"})
    ),
    Action("view safety", "GET", "/account/safety", allowed=APPROVED),
    Action(
        "file separation",
        "POST",
        "/account/safety",
        {"pseudonym": "Someone Else"},
        APPROVED,
    ),
    Action(
        "withdraw separation",
        "POST",
        "/safety/{separation}/withdraw",
        {},
        frozenset({"member_a"}),
    ),
    Action(
        "view lead safety",
        "GET",
        "/org/safety",
        allowed=frozenset({"lead_a", "lead_b"}),
    ),
    Action(
        "lead files separation",
        "POST",
        "/org/safety",
        {"member": "{target}", "pseudonym": "Someone Else"},
        LEAD_A,
        denied_as={"lead_b": "refused"},
    ),
    Action("view rooms", "GET", "/rooms", allowed=APPROVED),
    Action("view room", "GET", "/rooms/{room}", allowed=MEMBERS_A),
    Action(
        "new room form",
        "GET",
        "/rooms/new",
        allowed=frozenset({"lead_a", "moderator_a", "lead_b"}),
    ),
    Action(
        "create room",
        "POST",
        "/rooms/new",
        {"name": "Made here", "visibility": "org", "retention_days": "30"},
        frozenset({"lead_a", "moderator_a", "lead_b"}),
    ),
    Action(
        "edit room form",
        "GET",
        "/rooms/{room}/edit",
        allowed=frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "edit room",
        "POST",
        "/rooms/{room}/edit",
        {"name": "Renamed", "visibility": "org", "retention_days": "10"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "archive room",
        "POST",
        "/rooms/{room}/edit",
        {"action": "archive"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action("ask for help", "POST", "/rooms/{room}/help", {"note": "hi"}, MEMBERS_A),
    Action(
        "manage page",
        "GET",
        "/rooms/{room}/manage",
        allowed=frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "lock room",
        "POST",
        "/rooms/{room}/manage",
        {"action": "lock"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "mute member",
        "POST",
        "/rooms/{sroom}/manage",
        {"action": "mute", "m-member": "{member_a}", "m-minutes": "5", "m-reason": "x"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "ask to join supervision",
        "POST",
        "/rooms/{sroom}/join-request",
        {},
        frozenset(),
    ),
    Action(
        "accept ground rules",
        "POST",
        "/rooms/{sroom}/rules",
        {},
        frozenset({"lead_a", "moderator_a", "member_a"}),
    ),
    Action(
        "open one-to-one",
        "POST",
        "/support/{alert}/one-to-one",
        {},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action("report form", "GET", "/reports/new?profile={target}", allowed=MEMBERS_A),
    Action(
        "file report",
        "POST",
        "/reports/new?profile={target}",
        {"category": "spam"},
        MEMBERS_A,
    ),
    Action("my reports", "GET", "/reports", allowed=APPROVED),
    Action(
        "review queue",
        "GET",
        "/moderation/reports",
        allowed=frozenset({"lead_a", "moderator_a", "lead_b", "admin"}),
    ),
    Action(
        "review report",
        "GET",
        "/moderation/reports/{report}",
        allowed=frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "resolve report",
        "POST",
        "/moderation/reports/{report}",
        {"action": "resolve", "outcome": "no_action"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "review preferences",
        "POST",
        "/moderation/preferences",
        {"categories": ["spam"]},
        frozenset({"lead_a", "moderator_a", "lead_b"}),
    ),
    Action("browse library", "GET", "/library", allowed=APPROVED),
    Action("search library", "GET", "/library?q=handbook", allowed=APPROVED),
    Action("view resource", "GET", "/library/{resource}", allowed=MEMBERS_A),
    Action("resource card", "GET", "/library/{resource}/card.json", allowed=MEMBERS_A),
    Action(
        "download link resource",
        "GET",
        "/library/{resource}/download",
        allowed=frozenset(),
    ),
    Action(
        "edit resource",
        "POST",
        "/library/{resource}/edit",
        {"title": "Changed", "language": "en", "visibility": "org"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "delete resource",
        "POST",
        "/library/{resource}/delete",
        {},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "report resource",
        "POST",
        "/reports/new?resource={resource}",
        {"category": "spam"},
        MEMBERS_A,
    ),
    Action(
        "share a link",
        "POST",
        "/library/new",
        {
            "kind": "link",
            "title": "New",
            "url": "https://e.org",
            "language": "en",
            "visibility": "org",
        },
        frozenset({"lead_a", "moderator_a", "member_a", "lead_b"}),
    ),
    Action(
        "handle help request",
        "POST",
        "/support/{support}/handled",
        {},
        frozenset({"lead_a", "moderator_a"}),
    ),
]


def _fill(template, refs: dict):
    if isinstance(template, str):
        if template == "{items}":
            return refs["items"]
        return template.format(**refs)
    return template


def _request(client, action: Action, refs: dict, token: str | None):
    url = _fill(action.url, refs)
    if action.method == "GET":
        return client.get(url)
    data = {key: _fill(value, refs) for key, value in action.data.items()}
    data["csrf_token"] = token
    return client.post(url, data=data)


def expected(actor: str, action: Action) -> str:
    """ok | hidden | waiting | login."""
    if actor == "anonymous":
        return "login"
    if actor in {"pending_a", "suspended_a"}:
        return "waiting"
    if actor in action.allowed:
        return "ok"
    return action.denied_as.get(actor, "hidden")


@pytest.mark.parametrize("actor", ACTORS)
@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a.name)
def test_http_matrix(app, world, login_as, actor, action):
    client = login_as(world.actors[actor])
    token = csrf_token(client, "/login")
    before = snapshot()
    response = _request(client, action, world.refs, token)
    outcome = expected(actor, action)
    body = response.get_data(as_text=True)

    if outcome == "ok":
        assert response.status_code in (200, 302), body
        if response.status_code == 302:
            assert "/waiting" not in response.location
            assert "/login" not in response.location
        if action.method == "POST":
            assert snapshot() != before, "an allowed action changed nothing"
        if actor == "lead_b":
            for secret in world.secrets:
                assert secret not in body, f"{secret} leaked to lead B"
        return

    assert snapshot() == before, "a refused action changed something"
    if outcome == "login":
        assert response.status_code == 302 and response.location.endswith("/login")
    elif outcome == "waiting":
        assert response.status_code == 302 and response.location.endswith("/waiting")
    elif outcome == "refused":
        assert response.status_code == 400
    else:
        assert response.status_code == 404
    for secret in world.secrets:
        assert secret not in body

    # Denial must look exactly like absence: same status, same bytes.
    templated = "{" in action.url or any(
        isinstance(value, str) and value.startswith("{") and value != "{items}"
        for value in action.data.values()
    )
    if templated and action.compare_missing:
        assert set(MISSING) == set(world.refs) - {"items", "org_b"}
        missing = {**world.refs, **MISSING}
        absent = _request(client, action, missing, token)
        assert absent.status_code == response.status_code
        # A form page carries a fresh CSRF token (it holds a timestamp); the token
        # says nothing about the object, so it alone is masked.
        assert _mask_csrf(absent.get_data()) == _mask_csrf(response.get_data())
        assert absent.headers.get("Location") == response.headers.get("Location")
    elif outcome == "hidden":
        absent = client.get("/no-such-page")
        assert absent.get_data() == response.get_data()


SOCKET_ALLOWED = {"admin", "lead_a", "moderator_a", "member_a", "lead_b"}


@pytest.mark.parametrize("actor", ACTORS)
def test_socket_matrix(app, world, login_as, socket_client, actor):
    client = login_as(world.actors[actor])
    sock = socket_client(client)
    if actor in SOCKET_ALLOWED:
        assert sock.is_connected()
        ack = sock.emit("session:check", {}, callback=True)
        assert ack["ok"] is True
    else:
        assert not sock.is_connected()


def _mask_csrf(body: bytes) -> bytes:
    return re.sub(rb'(name="(?:\w+-)?csrf_token"[^>]*?value=")[^"]+', rb"\1", body)


# --- reports: who reviews which row, and what it shows ------------------------------

REPORT_ROLES = [
    "r_lead",
    "r_mod",
    "r_apart",  # a moderator of R kept apart from the reporter
    "h_apart",  # a lead of H kept apart from the subject
    "subject",
    "h_lead",
    "h_mod",
    "admin",
]
# report row -> (who may review it, whether it names the reporter)
REPORT_ROWS = {
    "message": ({"r_lead", "r_mod"}, True),
    "message_host_copy": ({"h_lead", "h_mod"}, False),
    "profile": ({"r_lead", "r_mod"}, True),
    "profile_forwarded": ({"h_lead"}, False),
    "past": ({"r_lead", "admin"}, True),
}


@pytest.fixture
def report_world(app) -> World:
    """Reporter Rae (org R) reports Subject Sol, a moderator of org H, for a message
    in H's partner room, for the profile (forwarded by R's lead), and as "past"."""
    from network.models import TrustLevel

    org_r, org_h = factories.make_org("Agency Rho"), factories.make_org("Agency Eta")
    factories.set_trust(org_r, org_h, TrustLevel.COLLABORATE)
    actors = {
        "r_lead": factories.make_member(org_r, role=Role.LEAD),
        "r_mod": factories.make_member(org_r, role=Role.MODERATOR),
        "subject": factories.make_member(
            org_h, role=Role.MODERATOR, pseudonym="Subject Sol"
        ),
        "h_lead": factories.make_member(org_h, role=Role.LEAD),
        "h_mod": factories.make_member(org_h, role=Role.MODERATOR),
        "admin": factories.make_admin(),
        "r_apart": factories.make_member(org_r, role=Role.MODERATOR),
        "h_apart": factories.make_member(org_h, role=Role.LEAD),
    }
    reporter = factories.make_member(org_r, pseudonym="Reporter Rae")
    safety_services.block(reporter, actors["r_apart"].id)
    safety_services.block(actors["h_apart"], actors["subject"].id)
    room = factories.make_room(org_h, visibility="partners", partners=[org_r])
    for person in (actors["subject"], reporter):
        room_services.ensure_member(room, person)
    message, _ = room_services.send_message(
        room, actors["subject"], "reported words", "", "matrix-report-1"
    )
    by_message = report_services.report_message(
        reporter, message, "harassment", "note-one"
    )
    profile = actors["subject"].profile
    by_profile = report_services.report_profile(reporter, profile, "spam", "note-two")
    forwarded = report_services.forward(by_profile, actor=actors["r_lead"])
    past = report_services.report_profile(reporter, profile, "past", "note-three")
    host_copy = db.session.scalar(
        select(Report).where(Report.copy_of_id == by_message.id)
    )
    rows = {
        "message": by_message,
        "message_host_copy": host_copy,
        "profile": by_profile,
        "profile_forwarded": forwarded,
        "past": past,
    }
    return World(actors, {key: row.public_id for key, row in rows.items()})


@pytest.mark.parametrize("actor", REPORT_ROLES)
def test_report_review_matrix(app, report_world, login_as, actor):
    client = login_as(report_world.actors[actor])
    queue = "".join(
        client.get(f"/moderation/reports?status={s}").get_data(as_text=True)
        for s in ("open", "in_review", "resolved")
    )
    missing = client.get("/moderation/reports/missingMissingA")
    assert missing.status_code == 404
    for key, (reviewers, named) in REPORT_ROWS.items():
        public_id = report_world.refs[key]
        page = client.get(f"/moderation/reports/{public_id}")
        allowed = actor in reviewers
        assert (public_id in queue) is allowed, key
        if allowed:
            body = page.get_data(as_text=True)
            assert page.status_code == 200, key
            assert ("Reporter Rae" in body) is named, key
            assert ("note-" in body) is named, key
        else:
            assert page.status_code == 404, key
            assert page.get_data() == missing.get_data(), key
    if actor == "subject":
        assert "Reporter Rae" not in queue


@pytest.mark.parametrize("actor", REPORT_ROLES)
def test_visible_reports_agrees_with_can_review_report(app, report_world, actor):
    from network import policy

    account = report_world.actors[actor]
    listed = set(db.session.scalars(policy.visible_reports(select(Report.id), account)))
    allowed = {
        row.id
        for row in db.session.scalars(select(Report))
        if policy.can_review_report(account, row)
    }
    assert listed == allowed
