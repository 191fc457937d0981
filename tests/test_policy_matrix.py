"""The policy matrix: every role x relation x action, over HTTP and sockets.

For each actor and action it asserts what is allowed, that a refused change
changes nothing, and that every refusal of an existing object is byte-for-byte
the answer for an object that does not exist.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from network import policy
from network.errors import NotFound
from network.extensions import db
from network.models import (
    Account,
    AuditEvent,
    AuthSession,
    Block,
    OrgTrust,
    Separation,
    SeparationRequest,
    Invitation,
    Report,
    Resource,
    ReviewOptOut,
    Room,
    RoomMember,
    RoomPresence,
    SupportRequest,
    Membership,
    Notification,
    Organization,
    PasswordReset,
    Role,
    Status,
    TrustLevel,
    VettingItem,
)
from network.models import MessageRequest, utcnow
from network.conversations import services as conversation_services
from network.moderation import services as moderation_services
from network.orgs import services as org_services
from network.library import services as library_services
from network.moderation import reports as report_services
from network.rooms import services as room_services
from network.supervision import services as supervision_services
from network.safety import requests as separation_requests
from network.safety import services as safety_services
from tests import factories
from tests.conftest import csrf_token, mask_csrf
from tests.shared_world import SharedApp

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
    "request": "missingMissingD",
    "ask": "missingMissingE",
    "member_b": "missingMissingF",
    "requester": "missingMissingG",
    "facilitator": "missingMissingH",
    "session": "missingMissingI",
    "notification": "missingMissingJ",
    "direct": "missingMissingK",
    "msgreq": "missingMissingL",
    "device": "missingMissingM",
    "suspended": "missingMissingN",
}
# A session three days ahead, in any time zone: scheduling it is allowed.
SOON = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT10:00")
SOON_END = (utcnow() + timedelta(days=3)).strftime("%Y-%m-%dT11:00")


@dataclass
class World:
    actors: dict
    refs: dict
    secrets: list[str] = field(default_factory=list)  # text only org A may see


# The world fixtures below are built once per module in a SharedApp; each case
# runs inside a SAVEPOINT rolled back after it (tests/shared_world.py), so every
# case sees the pristine world, also after an action that commits. A test that
# builds a world of its own starts from an empty database, as with a fresh app.
SHARED_WORLDS = {"world": "world_db", "report_world": "report_db"}


@pytest.fixture
def app(request):
    """The app of the test's shared world (or of the empty one), its case
    rolled back after the test."""
    shared_name = next(
        (
            shared
            for name, shared in SHARED_WORLDS.items()
            if name in request.fixturenames
        ),
        "empty_db",
    )
    with request.getfixturevalue(shared_name).case() as app:
        yield app


def _shared(build) -> SharedApp:
    """A SharedApp holding the World that `build` makes, actors kept as ids."""
    shared = SharedApp()
    with shared.building():
        built = build()
        ids = {name: getattr(actor, "id", None) for name, actor in built.actors.items()}
        shared.world = World(ids, built.refs, built.secrets)
        shared.snapshot = snapshot()
    return shared


def _in_case(shared: SharedApp) -> World:
    """The shared world with its actors loaded in the case's session."""
    assert snapshot() == shared.snapshot, "a case saw another's changes"
    world = shared.world
    actors = {
        name: None if account_id is None else db.session.get(Account, account_id)
        for name, account_id in world.actors.items()
    }
    return World(actors, world.refs, world.secrets)


@pytest.fixture(scope="module")
def empty_db():
    shared = SharedApp()
    with shared.building():
        pass
    yield shared
    shared.close()


@pytest.fixture(scope="module")
def world_db():
    shared = _shared(_build_world)
    yield shared
    shared.close()


@pytest.fixture
def world(app, world_db) -> World:
    return _in_case(world_db)


def _build_world() -> World:
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
    block = safety_services.block(blocked_person.id, actor=actors["member_a"])
    separation = safety_services.file_separation(
        actors["member_a"], past_person, actor=actors["member_a"]
    )
    member_b = factories.make_member(org_b, pseudonym="Beta Member")
    request = separation_requests.file_request(
        actors["member_a"], "Far Name", "", actor=actors["lead_a"]
    )
    ask = separation_requests.ask_lead("Asked Name", "", actor=actors["member_a"])
    room = factories.make_room(org_a, name="Alpha Room")
    support = room_services.ask_for_help(room, actor=target)
    sroom = room_services.create_room(
        org_a, actor=actors["lead_a"], name="Alpha Circle", kind="supervision"
    )
    supervision_services.invite(sroom, actors["member_a"], actor=actors["lead_a"])
    supervision_services.respond_to_invitation(sroom, True, actor=actors["member_a"])
    alert, _ = supervision_services.support_alert(sroom, actor=actors["member_a"])
    requester = factories.make_member(org_a, pseudonym="Requester Person")
    supervision_services.request_to_join(sroom, actor=requester)
    facilitator = factories.make_member(org_a, pseudonym="Facilitator Person")
    moderation_services.set_facilitator(
        sroom, facilitator, True, actor=actors["lead_a"]
    )
    session = supervision_services.schedule(
        sroom,
        starts_at=utcnow() + timedelta(days=2),
        ends_at=utcnow() + timedelta(days=2, hours=1),
        facilitator=facilitator,
        topic="",
        actor=actors["lead_a"],
    )
    resource = library_services.create_link(
        org_a,
        library_services.Fields(title="Alpha Handbook"),
        "https://example.org/alpha",
        actor=target,
    )
    report = report_services.report_profile(
        target.profile, "harassment", "", actor=actors["member_a"]
    )
    # A direct conversation of member_a with someone of org A, and a request
    # waiting for member_a's answer: member_a's alone (no lead, no moderator,
    # no admin reaches either).
    talker = factories.make_member(org_a, pseudonym="Talker Person")
    direct = factories.make_conversation(actors["member_a"], talker, body="Hi there")
    asker = factories.make_member(org_a, pseudonym="Asker Person")
    msgreq = conversation_services.send_request(
        actors["member_a"], actor=asker, body="May we talk?"
    )
    # Another signed-in device of member_a's: theirs alone to sign out.
    device = AuthSession(
        account_id=actors["member_a"].id,
        token_hash="f" * 64,
        device="Phone · Firefox",
        expires_at=utcnow() + timedelta(days=1),
    )
    db.session.add(device)
    db.session.commit()
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
        "block": block.public_id,
        "separation": separation.public_id,
        "room": room.public_id,
        "support": support.public_id,
        "sroom": sroom.public_id,
        "alert": alert.public_id,
        "report": report.public_id,
        "member_a": actors["member_a"].profile.public_id,
        "resource": resource.public_id,
        "request": request.public_id,
        "ask": ask.public_id,
        "member_b": member_b.profile.public_id,
        "requester": requester.profile.public_id,
        "facilitator": facilitator.profile.public_id,
        "session": session.public_id,
        # Lead A's "Someone asked for support" (the help request above).
        "notification": db.session.scalar(
            select(Notification.public_id)
            .where(Notification.account_id == actors["lead_a"].id)
            .order_by(Notification.id)
        ),
        "direct": direct.public_id,
        "msgreq": msgreq.public_id,
        "device": device.public_id,
        # A member whose membership ended: the one a lead may delete.
        "suspended": actors["suspended_a"].profile.public_id,
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
                select(SeparationRequest.id, SeparationRequest.status)
            ).tuples()
        ),
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
                    RoomMember.notifications_muted,
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
        sorted(
            db.session.execute(
                select(Organization.id, Organization.require_two_factor)
            ).tuples()
        ),
        sorted(db.session.execute(select(Room.id, Room.closed_at)).tuples()),
        sorted(
            db.session.execute(
                select(MessageRequest.id, MessageRequest.status)
            ).tuples()
        ),
        sorted(db.session.scalars(select(AuthSession.public_id))),
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
MEMBER_A = frozenset({"member_a"})
MEMBERS_A = frozenset({"lead_a", "moderator_a", "member_a"})
APPROVED = frozenset({"admin", "lead_a", "moderator_a", "member_a", "lead_b"})
INSIGHTS = frozenset({"admin", "lead_a", "lead_b"})
ACTIONS = [
    Action(
        "view requests", "GET", "/org/requests", allowed=frozenset({"lead_a", "lead_b"})
    ),
    # Search answers everyone approved (the admin and lead B find nothing of A's).
    Action("search messages", "GET", "/search?q=alpha", allowed=APPROVED),
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
    # Two-factor: only a lead of the member's own org issues a reset code (never
    # for themselves: tests/orgs/test_two_factor_lead.py); each lead requires
    # two-factor login for their own org only (the admin does not).
    Action(
        "two-factor reset code",
        "POST",
        "/org/members/{target}",
        {"action": "two_factor_reset"},
        LEAD_A,
    ),
    Action(
        "require two-factor",
        "POST",
        "/org/settings",
        {"action": "two_factor"},
        frozenset({"lead_a", "lead_b"}),
    ),
    # Deleting an account: only a member whose membership ended, by their lead.
    Action(
        "delete departed member",
        "POST",
        "/org/members/{suspended}/delete",
        {"confirm": "1"},
        LEAD_A,
    ),
    Action(
        "delete active member", "POST", "/org/members/{target}/delete", {"confirm": "1"}
    ),
    Action("retention limits", "GET", "/admin/retention", allowed=frozenset({"admin"})),
    Action(
        "set retention limits",
        "POST",
        "/admin/retention",
        {"min_days": "7", "max_days": "120"},
        frozenset({"admin"}),
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
        {"action": "status", "confirm": "1"},
        frozenset({"admin"}),
    ),
    Action("view directory", "GET", "/directory", allowed=APPROVED),
    Action("view trust", "GET", "/org/trust", allowed=frozenset({"lead_a", "lead_b"})),
    # Each lead their own organization's; the admin the network's (no org page).
    Action("view insights", "GET", "/insights", allowed=INSIGHTS),
    Action("insights csv", "GET", "/insights.csv", allowed=INSIGHTS),
    Action(
        "set trust",
        "POST",
        "/org/trust",
        {"org": "{org}", "level": "see"},
        frozenset({"lead_b"}),
        denied_as={"lead_a": "refused"},
        compare_missing=False,
    ),
    Action("block", "POST", "/profiles/{target}/block", {"confirm": "1"}, MEMBERS_A),
    Action(
        "separate from profile", "POST", "/profiles/{target}/separate", {}, MEMBERS_A
    ),
    Action("view blocks", "GET", "/account/blocks", allowed=APPROVED),
    Action(
        "unblock", "POST", "/account/blocks/{block}/remove", {}, frozenset({"member_a"})
    ),
    Action("view safety", "GET", "/account/safety", allowed=APPROVED),
    Action(
        "ask lead for a separation request",
        "POST",
        "/account/safety",
        {"pseudonym": "Someone Else"},
        MEMBERS_A | {"lead_b"},
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
    Action(
        "withdraw separation request",
        "POST",
        "/safety/requests/{request}/withdraw",
        {},
        frozenset({"member_a", "lead_a"}),
    ),
    Action(
        "file a member's ask",
        "POST",
        "/org/safety/requests/{ask}/share",
        {"details": "tall"},
        LEAD_A,
    ),
    Action(
        "decline a member's ask",
        "POST",
        "/org/safety/requests/{ask}/decline",
        {},
        LEAD_A,
    ),
    Action(
        "view open separation requests",
        "GET",
        "/org/safety/requests",
        allowed=frozenset({"lead_a", "lead_b"}),
    ),
    Action(
        "attach separation request",
        "POST",
        "/org/safety/requests/{request}/attach",
        {"member": "{member_b}"},
        frozenset({"lead_b"}),
    ),
    Action("view rooms", "GET", "/rooms", allowed=APPROVED),
    # Direct conversations: its two people only, never a lead, moderator or admin.
    Action("view conversations", "GET", "/conversations", allowed=APPROVED),
    Action("view direct room", "GET", "/rooms/{direct}", allowed=MEMBER_A),
    Action("leave direct room", "POST", "/conversations/{direct}/leave", {}, MEMBER_A),
    Action("direct room settings", "GET", "/rooms/{direct}/edit"),
    Action("manage direct room", "GET", "/rooms/{direct}/manage"),
    Action("lock direct room", "POST", "/rooms/{direct}/manage/lock", {}),
    Action("help in direct room", "POST", "/rooms/{direct}/help", {"note": "hi"}),
    Action(
        "accept request",
        "POST",
        "/conversations/requests/{msgreq}",
        {"action": "accept"},
        MEMBER_A,
    ),
    Action(
        "decline request",
        "POST",
        "/conversations/requests/{msgreq}",
        {"action": "decline"},
        MEMBER_A,
    ),
    Action("ask to talk form", "GET", "/profiles/{target}/ask", allowed=MEMBERS_A),
    Action(
        "ask to talk",
        "POST",
        "/profiles/{target}/ask",
        {"body": "Could we talk?"},
        MEMBERS_A,
    ),
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
        "/rooms/{room}/manage/lock",
        {"confirm": "1"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "mute member",
        "POST",
        "/rooms/{sroom}/manage/mute",
        {"m-member": "{member_a}", "m-minutes": "5", "m-reason": "x"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "unlock room",
        "POST",
        "/rooms/{room}/manage/unlock",
        {},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "set slow mode",
        "POST",
        "/rooms/{room}/manage/slow",
        {"slow-seconds": "5"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "unmute member",
        "POST",
        "/rooms/{sroom}/manage/unmute",
        {"m-member": "{member_a}"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "remove member",
        "POST",
        "/rooms/{sroom}/manage/remove",
        {"m-member": "{member_a}", "m-reason": "x"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "ban member",
        "POST",
        "/rooms/{sroom}/manage/ban",
        {"m-member": "{member_a}", "m-reason": "x"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "unban member",
        "POST",
        "/rooms/{sroom}/manage/unban",
        {"m-member": "{member_a}"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "name facilitator",
        "POST",
        "/rooms/{sroom}/manage/facilitator",
        {"m-member": "{member_a}"},
        frozenset({"lead_a"}),
    ),
    Action(
        "unname facilitator",
        "POST",
        "/rooms/{sroom}/manage/unfacilitator",
        {"m-member": "{member_a}"},
        frozenset({"lead_a"}),
    ),
    Action(
        "set ground rules",
        "POST",
        "/rooms/{sroom}/manage/rules",
        {"rules-ground_rules": "Be kind."},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "invite to supervision",
        "POST",
        "/rooms/{sroom}/manage/invite",
        {"invite-member": "{target}"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "approve join request",
        "POST",
        "/rooms/{sroom}/manage/approve",
        {"m-member": "{requester}"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "decline join request",
        "POST",
        "/rooms/{sroom}/manage/decline",
        {"m-member": "{requester}"},
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "schedule session",
        "POST",
        "/rooms/{sroom}/manage/schedule",
        {
            "session-starts_at": SOON,
            "session-ends_at": SOON_END,
            "session-facilitator": "{facilitator}",
        },
        frozenset({"lead_a", "moderator_a"}),
    ),
    Action(
        "cancel session",
        "POST",
        "/rooms/{sroom}/manage/sessions/{session}/cancel",
        {},
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
    Action("view notifications", "GET", "/notifications", allowed=APPROVED),
    Action("notification count", "GET", "/notifications/count", allowed=APPROVED),
    Action("open notification", "GET", "/notifications/{notification}", allowed=LEAD_A),
    Action(
        "mute a room's notifications",
        "POST",
        "/rooms/{sroom}/notifications",
        {"muted": "1"},
        frozenset({"member_a"}),
    ),
    Action("view devices", "GET", "/account/devices", allowed=APPROVED),
    Action(
        "sign out a device",
        "POST",
        "/account/devices/{device}/sign-out",
        {},
        MEMBER_A,
    ),
    Action(
        "sign out other devices",
        "POST",
        "/account/devices/sign-out-others",
        {},
        APPROVED,
    ),
    Action(
        "export one's data",
        "POST",
        "/account/export",
        {"password": factories.PASSWORD},
        APPROVED,
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


def _text_of(response) -> str:
    """The response's text; a ZIP (the data export) is read file by file, so a
    secret inside it is found like one on a page."""
    if response.mimetype != "application/zip":
        return response.get_data(as_text=True)
    archive = zipfile.ZipFile(io.BytesIO(response.get_data()))
    return "\n".join(archive.read(name).decode() for name in archive.namelist())


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
    body = _text_of(response)

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
    return mask_csrf(body)


# --- help routing x kept apart (issue 9, item 5) ------------------------------------

RELATIONS = ["none", "she_protected", "he_protected", "she_blocked", "he_blocked"]
TIERS = ["present_facilitator", "host_manager", "own_manager"]


def _relate(asker, other, relation: str) -> None:
    if relation in {"she_protected", "he_protected"}:
        protected, kept = (
            (asker, other) if relation == "she_protected" else (other, asker)
        )
        factories.separate(protected, kept)
    elif relation == "she_blocked":
        safety_services.block(other.id, actor=asker)
    elif relation == "he_blocked":
        safety_services.block(asker.id, actor=other)


def _tier_world(tier: str):
    """(room, asker, candidate, fallback): the candidate is reached in this tier;
    the fallback only when the candidate is kept apart (None: nobody)."""
    home, host = factories.make_org("Home Org"), factories.make_org("Host Org")
    factories.set_trust(home, host, 3)
    asker = factories.make_member(home, pseudonym="Asker")
    if tier == "present_facilitator":
        room = room_services.create_room(
            home,
            actor=factories.make_member(home, role=Role.LEAD),
            name="Circle",
            kind="supervision",
        )
        fallback = db.session.scalar(
            select(Membership.account_id).where(Membership.role == Role.LEAD)
        )
        candidate = factories.make_member(home, pseudonym="Candidate")
        db.session.add(RoomMember(room_id=room.id, account_id=candidate.id))
        db.session.flush()
        row = db.session.scalar(
            select(RoomMember).where(RoomMember.account_id == candidate.id)
        )
        row.role = "facilitator"
        db.session.add(
            RoomPresence(sid="sid-c", room_id=room.id, account_id=row.account_id)
        )
        db.session.commit()
        return room, asker, candidate, fallback
    room = factories.make_room(host, visibility="partners", name="Learning")
    if tier == "host_manager":
        candidate = factories.make_member(host, role=Role.MODERATOR)
        fallback = factories.make_member(home, role=Role.LEAD).id
    else:
        candidate = factories.make_member(home, role=Role.MODERATOR)
        fallback = None
    return room, asker, candidate, fallback


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("tier", TIERS)
def test_support_recipients_skip_kept_apart(app, login_as, tier, relation):
    room, asker, candidate, fallback = _tier_world(tier)
    _relate(asker, candidate, relation)
    apart = relation != "none"
    expected_ids = ([fallback] if fallback else []) if apart else [candidate.id]
    assert policy.support_recipient_ids(room, asker) == expected_ids
    row = room_services.ask_for_help(room, actor=asker, note="secret note")
    if not expected_ids:
        assert row is None
        return
    for person_id in {candidate.id, *expected_ids}:
        person = db.session.get(type(asker), person_id)
        allowed = person_id in expected_ids
        assert policy.can_handle_support(person, row) is allowed
        listed = db.session.scalars(
            policy.visible_support_requests(select(SupportRequest.id), person)
        )
        assert (row.id in set(listed)) is allowed
        client = login_as(person)
        home = client.get("/").get_data(as_text=True)
        assert ("secret note" in home) is allowed
        if not allowed:
            token = csrf_token(client, "/logout")
            denied = client.post(
                f"/support/{row.public_id}/handled", data={"csrf_token": token}
            )
            absent = client.post(
                f"/support/{MISSING['support']}/handled", data={"csrf_token": token}
            )
            assert denied.status_code == absent.status_code == 404
            assert _mask_csrf(denied.data) == _mask_csrf(absent.data)


# --- role changes x supervision room, HTTP and socket (issue 9, item 5) ------------

ROLE_CHANGES = [
    ("moderator", "member", False),
    ("lead", "member", False),
    ("lead", "moderator", True),
    ("moderator", "lead", True),
    ("moderator", "suspended", False),
]


@pytest.mark.parametrize("start,end,keeps", ROLE_CHANGES)
def test_role_change_x_supervision_room(
    app, login_as, socket_client, start, end, keeps
):
    org = factories.make_org("Role Org")
    lead = factories.make_member(org, role=Role.LEAD)
    person = factories.make_member(org, role=start)
    sroom = room_services.create_room(
        org, actor=lead, name="Role Circle", kind="supervision"
    )
    client = login_as(person)
    assert client.get(f"/rooms/{sroom.public_id}").status_code == 200
    sock = socket_client(client)
    join = {"room_id": sroom.public_id}
    assert sock.emit("room:join", join, callback=True)["ok"]
    if end == "suspended":
        org_services.suspend_membership(person.membership, "x", actor=lead)
    else:
        org_services.set_role(person.membership, end, actor=lead)
    assert not sock.is_connected()  # every change re-checks live sockets
    page = client.get(f"/rooms/{sroom.public_id}")
    if keeps:
        assert page.status_code == 200
        assert socket_client(client).emit("room:join", join, callback=True)["ok"]
        return
    if end == "suspended":
        assert page.status_code == 302 and page.location.endswith("/waiting")
        return
    absent = client.get(f"/rooms/{MISSING['sroom']}")
    assert page.status_code == absent.status_code == 404
    assert _mask_csrf(page.data) == _mask_csrf(absent.data)
    again = socket_client(client).emit("room:join", join, callback=True)
    assert again == {"ok": False, "error": "not_found"}
    joinable = db.session.scalars(policy.visible_rooms(select(Room.id), person))
    assert sroom.id not in set(joinable)  # it may still be listed as "ask to join"


@pytest.mark.parametrize("level", list(TrustLevel), ids=lambda level: level.label)
def test_separation_request_access_at_every_trust_level(app, world, login_as, level):
    """Requester side: the protected member and their leads. Attach side: leads
    of every other active organization, at any trust. Nobody else; denied
    answers exactly like missing."""
    actors = world.actors
    org_a = actors["lead_a"].membership.organization
    org_b = actors["lead_b"].membership.organization
    factories.set_trust(org_a, org_b, level)
    other_person = db.session.scalar(
        select(Membership)
        .where(Membership.organization_id == org_b.id)
        .where(Membership.role == Role.MEMBER)
    ).account
    request = db.session.scalar(
        select(SeparationRequest).where(
            SeparationRequest.public_id == world.refs["request"]
        )
    )
    people = {**actors, "other person": other_person}
    requester = {"member_a", "lead_a"}
    for name, actor in people.items():
        assert policy.can_see_separation_request(actor, request) == (
            name in requester
        ), name
        assert policy.can_attach_separation_request(actor, request) == (
            name == "lead_b"
        ), name
        for access, public_id in (
            (policy.access_separation_request, world.refs["request"]),
            (policy.access_open_request_for_attach, world.refs["request"]),
        ):
            try:
                access(actor, public_id)
                allowed = True
            except NotFound:
                allowed = False
            if not allowed:
                with pytest.raises(NotFound):
                    access(actor, MISSING["request"])
    pages = {
        name: login_as(actor).get("/org/safety/requests")
        for name, actor in people.items()
        if actor is not None
    }
    assert "Far Name" in pages["lead_b"].get_data(as_text=True)
    for name, page in pages.items():
        if name != "lead_b":
            assert "Far Name" not in page.get_data(as_text=True), name


# --- every list of people x kept apart (both directions) ----------------------------

PEOPLE_RELATIONS = {
    "viewer_protected": lambda viewer, person: _separate(viewer, person),
    "person_protected": lambda viewer, person: _separate(person, viewer),
    "viewer_blocked": lambda viewer, person: safety_services.block(
        person.id, actor=viewer
    ),
    "person_blocked": lambda viewer, person: safety_services.block(
        viewer.id, actor=person
    ),
}
PEOPLE_LISTS = [
    "manage members",
    "invite list",
    "facilitator choices",
    "shared check-ins",
    "room presence",
]


def _separate(protected, other) -> None:
    factories.separate(protected, other)


def _people_list_room(kind: str, lead, person, bystander):
    """A room where `person` and `bystander` both appear in the named list."""
    from datetime import timedelta

    from network.models import RoomPresence, SupervisionSession, utcnow

    org = db.session.get(Organization, lead.membership.organization_id)
    room = room_services.create_room(
        org, actor=lead, name="Listing room", kind="supervision"
    )
    for sid, account in (("p-sid", person), ("b-sid", bystander)):
        if kind == "manage members":
            room_services.ensure_member(room, account)
        elif kind == "facilitator choices":
            row = room_services.ensure_member(room, account)
            row.role, row.status = "facilitator", "active"
        elif kind == "room presence":
            row = room_services.ensure_member(room, account)
            row.status = "active"
            db.session.add(
                RoomPresence(sid=sid, room_id=room.id, account_id=account.id)
            )
    if kind == "shared check-ins":
        now = utcnow()
        session = SupervisionSession(
            room_id=room.id,
            starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=1),
            facilitator_id=lead.id,
        )
        db.session.add(session)
        db.session.commit()
        for account in (person, bystander):
            room_services.ensure_member(room, account)
            supervision_services.check_in(session, 3, "", True, actor=account)
    db.session.commit()
    return room


@pytest.mark.parametrize("relation", PEOPLE_RELATIONS)
@pytest.mark.parametrize("kind", PEOPLE_LISTS)
def test_people_lists_leave_out_kept_apart(app, login_as, kind, relation):
    """Lantern (a moderator) never sees Sea Glass in a list when they are kept
    apart, either way; Driftwood, in the same list, shows the list is drawn."""
    org = factories.make_org("Harbour")
    lead = factories.make_member(org, role=Role.LEAD)
    lantern = factories.make_member(org, role=Role.MODERATOR, pseudonym="Lantern")
    sea_glass = factories.make_member(org, pseudonym="Sea Glass")
    driftwood = factories.make_member(org, pseudonym="Driftwood")
    PEOPLE_RELATIONS[relation](lantern, sea_glass)
    room = _people_list_room(kind, lead, sea_glass, driftwood)
    url = f"/rooms/{room.public_id}"
    if kind != "room presence":
        url += "/manage"
    client = login_as(lantern)
    body = client.get(url).get_data(as_text=True)
    assert "Driftwood" in body
    assert "Sea Glass" not in body
    assert sea_glass.profile.public_id not in body
    if kind == "shared check-ins":
        assert body.count("3/5") == 1  # Driftwood's check-in only
    # Acting on her through the page answers like a member who does not exist.
    if kind != "room presence":
        token = csrf_token(client, f"/rooms/{room.public_id}/manage")
        answers = [
            client.post(
                f"/rooms/{room.public_id}/manage/remove",
                data={
                    "m-csrf_token": token,
                    "m-member": who,
                    "m-reason": "matrix",
                    "m-minutes": "5",
                },
            )
            for who in (sea_glass.profile.public_id, MISSING["target"])
        ]
        assert answers[0].status_code == answers[1].status_code == 404


# --- name availability per viewer relation --------------------------------------------
# Whether a pseudonym is free must reveal nobody the viewer cannot see: for a holder
# hidden from the viewer the answer equals the answer for a name nobody has.
NAME_RELATIONS = {
    "own org": True,
    "own org, kept apart": False,
    "own org, viewer blocked holder": False,
    "own org, holder blocked viewer": False,
    "own org, holder pending": False,
    "other org, trust none": False,
    "other org, trust see": True,
    "other org, trust collaborate": True,
    "other org, trust message": True,
    "other org, trust message, holder hidden": False,
    "other org, one-way message (effective none)": False,
}


def _name_world(relation: str):
    from network.models import TrustLevel

    org_a, org_b = factories.make_org(), factories.make_org()
    viewer = factories.make_member(org_a, pseudonym="Kestrel")
    own = relation.startswith("own org")
    status = Status.PENDING if "pending" in relation else Status.APPROVED
    holder = factories.make_member(
        org_a if own else org_b, status=status, pseudonym="Willow"
    )
    levels = {
        "none": TrustLevel.NONE,
        "see": TrustLevel.SEE,
        "collaborate": TrustLevel.COLLABORATE,
        "message": TrustLevel.MESSAGE,
    }
    for word, level in levels.items():
        if f"trust {word}" in relation:
            factories.set_trust(org_a, org_b, level)
    if "one-way" in relation:
        factories.set_trust(org_a, org_b, TrustLevel.MESSAGE, TrustLevel.NONE)
    if "holder hidden" in relation:
        holder.profile.hidden_from_other_orgs = True
    if "kept apart" in relation:
        factories.separate(holder, viewer)
    if "viewer blocked" in relation:
        safety_services.block(holder.id, actor=viewer)
    if "holder blocked" in relation:
        safety_services.block(viewer.id, actor=holder)
    db.session.commit()
    return viewer, holder


@pytest.mark.parametrize("relation", list(NAME_RELATIONS))
def test_name_availability_reveals_nobody_hidden(app, login_as, relation):
    from network import policy

    viewer, holder = _name_world(relation)
    visible = NAME_RELATIONS[relation]
    assert policy.can_see_profile(viewer, holder.profile) is visible
    client = login_as(viewer)

    def rename(name: str):
        token = csrf_token(client, "/account")
        response = client.post(
            "/account", data={"csrf_token": token, "pseudonym": name, "region": ""}
        )
        body = _mask_csrf(response.get_data()).replace(name.encode(), b"NAME")
        return response.status_code, response.headers.get("Location"), body

    unused = rename("Nightjar")
    for name in ("Willow", "willow", "W1llow"):
        answer = rename(name)
        if visible:
            assert answer[0] == 400, name
            assert b"looks like it, is taken" in answer[2], name
        else:
            assert answer == unused, name


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


@pytest.fixture(scope="module")
def report_db():
    shared = _shared(_build_report_world)
    yield shared
    shared.close()


@pytest.fixture
def report_world(app, report_db) -> World:
    return _in_case(report_db)


def _build_report_world() -> World:
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
    safety_services.block(actors["r_apart"].id, actor=reporter)
    safety_services.block(actors["subject"].id, actor=actors["h_apart"])
    room = factories.make_room(org_h, visibility="partners", partners=[org_r])
    for person in (actors["subject"], reporter):
        room_services.ensure_member(room, person)
    message = room_services.send_message(
        room,
        actor=actors["subject"],
        body="reported words",
        client_msg_id="matrix-report-1",
    )
    by_message = report_services.report_message(
        message, "harassment", "note-one", actor=reporter
    )
    profile = actors["subject"].profile
    by_profile = report_services.report_profile(
        profile, "spam", "note-two", actor=reporter
    )
    forwarded = report_services.forward(by_profile, actor=actors["r_lead"])
    past = report_services.report_profile(profile, "past", "note-three", actor=reporter)
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


@pytest.mark.parametrize("actor", [a for a in ACTORS if a != "anonymous"])
def test_searchable_messages_agrees_with_can_search_message(app, world, actor):
    from network.models import Message
    from tests.search.world import member, say

    room = db.session.scalar(select(Room).where(Room.public_id == world.refs["room"]))
    circle = db.session.scalar(
        select(Room).where(Room.public_id == world.refs["sroom"])
    )
    target = db.session.scalar(
        select(Account)
        .join(Account.profile)
        .where(Account.profile.has(public_id=world.refs["target"]))
    )
    for name in ("lead_a", "member_a", "suspended_a"):
        member(room, world.actors[name])
    say(room, target, "alpha words")
    say(room, world.actors["member_a"], "alpha mine")
    say(room, target, "alpha hidden", hidden_at=utcnow())
    say(room, target, "alpha old", days_ago=400)
    say(circle, world.actors["member_a"], "alpha circle")
    account = world.actors[actor]
    found = set(
        db.session.scalars(policy.searchable_messages(select(Message.id), account))
    )
    allowed = {
        row.id
        for row in db.session.scalars(select(Message))
        if policy.can_search_message(account, row)
    }
    assert found == allowed
    if actor in ("lead_a", "member_a"):
        assert found  # the positive control: members find their rooms' messages


# --- mentions (issue 16): whom a writer may mention in a room -----------------------

MENTION_RELATIONS = {
    **PEOPLE_RELATIONS,
    "none": lambda viewer, person: None,
    "not_a_member": lambda viewer, person: None,
    "removed": lambda viewer, person: None,
    "trust_below_collaborate": lambda viewer, person: None,
}


@pytest.mark.parametrize("relation", sorted(MENTION_RELATIONS))
def test_mentionable_agrees_with_can_mention(app, login_as, relation):
    """The suggestion list (visible_mentionable) and can_mention agree, and only
    an unrelated member of the room who can read it is mentionable."""
    from network.rooms import mentions

    host, partner = factories.make_org("Host Org"), factories.make_org("Partner Org")
    factories.set_trust(host, partner, TrustLevel.COLLABORATE)
    room = factories.make_room(host, visibility="partners", name="Shared")
    writer = factories.make_member(host, pseudonym="Writer")
    person = factories.make_member(partner, pseudonym="Person")
    room_services.ensure_member(room, writer)
    if relation != "not_a_member":
        row = room_services.ensure_member(room, person)
        row.status = "removed" if relation == "removed" else "active"
    if relation == "trust_below_collaborate":
        factories.set_trust(host, partner, TrustLevel.SEE)
    MENTION_RELATIONS[relation](writer, person)
    db.session.commit()
    allowed = policy.can_mention(writer, room, person.id)
    suggested = [p["name"] for p in mentions.suggestions(room, writer, "")]
    assert allowed == (relation == "none")
    assert suggested == (["Person"] if allowed else [])
    assert policy.can_mention(writer, room, writer.id) is False


@pytest.mark.parametrize("actor", ACTORS)
def test_two_factor_lead_rules(app, world, actor):
    """Who may require two-factor login for org A, and reset it for A's member:
    A's lead alone (not the admin, not B's lead, never for oneself)."""
    from network.models import Profile

    account = world.actors[actor]
    org_a = db.session.scalar(
        select(Organization).where(Organization.public_id == world.refs["org"])
    )
    target = db.session.scalar(
        select(Membership)
        .join(Profile, Profile.account_id == Membership.account_id)
        .where(Profile.public_id == world.refs["target"])
    )
    assert policy.can_require_two_factor(account, org_a) == (actor == "lead_a")
    assert policy.can_issue_two_factor_reset(account, target) == (actor == "lead_a")
    if account is not None and account.membership is not None:
        assert not policy.can_issue_two_factor_reset(account, account.membership)


@pytest.mark.parametrize("actor", ACTORS)
def test_access_own_session_is_the_owners_alone(app, world, actor):
    public_id = world.refs["device"]
    if actor == "member_a":
        assert policy.access_own_session(world.actors[actor], public_id).public_id == (
            public_id
        )
        return
    with pytest.raises(NotFound):
        policy.access_own_session(world.actors[actor], public_id)
    with pytest.raises(NotFound):
        policy.access_own_session(world.actors[actor], MISSING["device"])


# --- availability (issue 17): who may see that a person is on a break ----------------

# viewer -> (sees it when she does not share, sees it when she shares with leads)
BREAK_VIEWERS = {
    "herself": (True, True),
    "peer_same_org": (False, False),
    "lead_same_org": (False, True),
    "moderator_same_org": (False, False),
    "facilitator_of_her_circle": (True, True),
    "facilitator_of_another_circle": (False, False),
    "facilitator_kept_apart": (False, False),
    "suspended_lead": (False, False),
    "lead_other_org": (False, False),
    "member_other_org": (False, False),
    "admin": (False, False),
    "anonymous": (False, False),
}


def _break_world():
    from flask_login import AnonymousUserMixin

    home, other = factories.make_org("Home Org"), factories.make_org("Other Org")
    factories.set_trust(home, other, TrustLevel.MESSAGE)
    lead = factories.make_member(home, role=Role.LEAD, pseudonym="Home Lead")
    subject = factories.make_member(home, pseudonym="Subject")
    circle = room_services.create_room(
        home, actor=lead, name="Her circle", kind="supervision"
    )
    other_circle = room_services.create_room(
        home, actor=lead, name="Another circle", kind="supervision"
    )
    supervision_services.invite(circle, subject, actor=lead)
    supervision_services.respond_to_invitation(circle, True, actor=subject)
    viewers = {
        "herself": subject,
        "peer_same_org": factories.make_member(home),
        "lead_same_org": lead,
        "moderator_same_org": factories.make_member(home, role=Role.MODERATOR),
        "facilitator_of_her_circle": factories.make_member(home),
        "facilitator_of_another_circle": factories.make_member(home),
        "facilitator_kept_apart": factories.make_member(home),
        "suspended_lead": factories.make_member(
            home, role=Role.LEAD, status=Status.SUSPENDED
        ),
        "lead_other_org": factories.make_member(other, role=Role.LEAD),
        "member_other_org": factories.make_member(other),
        "admin": factories.make_admin(),
        "anonymous": AnonymousUserMixin(),
    }
    for name, room in (
        ("facilitator_of_her_circle", circle),
        ("facilitator_kept_apart", circle),
        ("facilitator_of_another_circle", other_circle),
    ):
        moderation_services.set_facilitator(room, viewers[name], True, actor=lead)
    factories.separate(subject, viewers["facilitator_kept_apart"])
    return subject, viewers


@pytest.mark.parametrize("shared", [False, True], ids=["private", "shared"])
@pytest.mark.parametrize("viewer", sorted(BREAK_VIEWERS))
def test_break_state_matrix(app, viewer, shared):
    """policy.can_see_break, and the presence list's SQL twin agrees with it
    (the SQL leaves the kept-apart and inactive to the presence filter)."""
    from sqlalchemy import literal

    from network.availability import services as availability
    from network.models import Profile

    subject, viewers = _break_world()
    availability.set_share(shared, actor=subject)
    availability.start_break(None, actor=subject)
    person = viewers[viewer]
    expected = BREAK_VIEWERS[viewer][1 if shared else 0]
    assert policy.can_see_break(person, subject) is expected
    if viewer not in ("anonymous", "facilitator_kept_apart"):
        in_sql = db.session.scalar(
            select(policy.break_visible_criterion(literal(subject.id), person.id))
            .select_from(Profile)
            .where(Profile.account_id == subject.id)
        )
        assert bool(in_sql) is expected
    # Each organization's lead sees their own organization's count, never who.
    assert policy.can_see_break_count(person) is (
        viewer in ("lead_same_org", "lead_other_org")
    )
