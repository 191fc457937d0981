"""A believable demo network: four agencies, leads, moderators, members, requests."""

from __future__ import annotations

from network.accounts import services as accounts
from network.extensions import db
from network.models import (
    Account,
    Membership,
    Profile,
    Role,
    Status,
    TrustLevel,
    utcnow,
)
from network.orgs import services as orgs
from network.trust import services as trust

ORGS = [
    (
        "Harbour Light Peer Collective",
        "NS",
        "Peer support and outreach for survivors across the Maritimes.",
    ),
    (
        "Prairie Bridges Survivor Network",
        "MB",
        "Survivor-led peer mentoring in Winnipeg and rural Manitoba.",
    ),
    (
        "Fleuve Solidaire",
        "QC",
        "Soutien par les pairs pour les survivantes et survivants, à Montréal.",
    ),
    (
        "Coastal Roots Peer Alliance",
        "BC",
        "Peer supporters working with survivors on the west coast.",
    ),
]

# (login, pseudonym, org index, role, status, pronouns, languages, region)
PEOPLE = [
    ("harbour.lead", "Tidewater", 0, Role.LEAD, Status.APPROVED, "she/her", "en", "NS"),
    (
        "harbour.mod",
        "Lantern",
        0,
        Role.MODERATOR,
        Status.APPROVED,
        "they/them",
        "en",
        "NS",
    ),
    (
        "harbour.sam",
        "Driftwood",
        0,
        Role.MEMBER,
        Status.APPROVED,
        "he/him",
        "en,fr",
        "NB",
    ),
    (
        "harbour.ana",
        "Sea Glass",
        0,
        Role.MEMBER,
        Status.APPROVED,
        "she/her",
        "en,pt",
        "NS",
    ),
    (
        "harbour.new",
        "Northern Wren",
        0,
        Role.MEMBER,
        Status.PENDING,
        "she/her",
        "en",
        "PE",
    ),
    (
        "prairie.lead",
        "Wheatfield",
        1,
        Role.LEAD,
        Status.APPROVED,
        "she/her",
        "en",
        "MB",
    ),
    (
        "prairie.mod",
        "Aspen Grove",
        1,
        Role.MODERATOR,
        Status.APPROVED,
        "he/him",
        "en,oj",
        "MB",
    ),
    ("prairie.jo", "Kestrel", 1, Role.MEMBER, Status.APPROVED, "they/them", "en", "SK"),
    ("prairie.new", "Quiet River", 1, Role.MEMBER, Status.PENDING, "", "en,cr", "MB"),
    ("fleuve.lead", "Héron Bleu", 2, Role.LEAD, Status.APPROVED, "elle", "fr,en", "QC"),
    ("fleuve.marie", "Luciole", 2, Role.MEMBER, Status.APPROVED, "elle", "fr", "QC"),
    ("fleuve.new", "Petit Cerf", 2, Role.MEMBER, Status.PENDING, "il", "fr", "QC"),
    ("coastal.lead", "Cedar", 3, Role.LEAD, Status.APPROVED, "he/him", "en,tl", "BC"),
    (
        "coastal.kai",
        "Salt Marsh",
        3,
        Role.MEMBER,
        Status.APPROVED,
        "they/them",
        "en,zh",
        "BC",
    ),
]


def seed(password: str) -> list[tuple[str, str]]:
    """Create the demo rows; returns (login, description) pairs to print."""
    admin = accounts.create_named_account(
        accounts.NewAccount(
            login_name="admin", password=password, pseudonym="Network Admin"
        )
    )
    admin.is_platform_admin = True
    db.session.commit()
    created = [
        orgs.create_organization(name, region, description, actor=admin)
        for name, region, description in ORGS
    ]
    logins = [("admin", "platform admin")]
    leads: dict[int, Account] = {}
    for login, pseudonym, index, role, status, pronouns, langs, region in PEOPLE:
        account = accounts.create_named_account(
            accounts.NewAccount(
                login_name=login,
                password=password,
                pseudonym=pseudonym,
                pronouns=pronouns,
                region=region,
                languages=tuple(langs.split(",")),
            )
        )
        db.session.flush()
        org = created[index]
        membership = Membership(
            account=account,
            organization_id=org.id,
            role=role,
            status=Status.PENDING,
            joined_via="request" if status == Status.PENDING else "invitation",
            request_note="I finished the peer training in the spring."
            if status == Status.PENDING
            else "",
        )
        db.session.add(membership)
        db.session.commit()
        if status == Status.APPROVED:
            approver = leads.get(index, admin)
            items = [item.id for item in orgs.checklist(org)]
            orgs.approve_membership(membership, items, actor=approver)
            membership.approved_at = utcnow()
            db.session.commit()
        if role == Role.LEAD:
            leads[index] = account
        label = {"lead": "lead", "moderator": "moderator", "member": "peer supporter"}
        state = "pending request" if status == Status.PENDING else label[role]
        logins.append((login, f"{state}, {org.name} ({pseudonym})"))
    _seed_trust(created, leads)
    _seed_profiles()
    _seed_rooms(created, leads)
    _seed_conversations()
    _, code = orgs.issue_invitation(
        created[0], actor=leads[0], max_uses=5, days=30, note="Demo cohort"
    )
    logins.append(("(invitation)", f"code {code} joins Harbour Light Peer Collective"))
    return logins


# (org a, org b, what a gives b, what b gives a)
TRUST = [
    (0, 1, TrustLevel.COLLABORATE, TrustLevel.COLLABORATE),
    (0, 2, TrustLevel.SEE, TrustLevel.MESSAGE),
    (1, 3, TrustLevel.MESSAGE, TrustLevel.MESSAGE),
    (2, 3, TrustLevel.SEE, TrustLevel.NONE),
]

EXPERIENCE = {
    "Tidewater": "mentoring,housing",
    "Lantern": "mental-health,court",
    "Driftwood": "employment",
    "Sea Glass": "health,family",
    "Wheatfield": "mentoring,indigenous",
    "Aspen Grove": "indigenous,substance-use",
    "Kestrel": "2slgbtqia,youth",
    "Héron Bleu": "legal,court",
    "Luciole": "housing",
    "Cedar": "legal,employment",
    "Salt Marsh": "youth,health",
}


def _seed_trust(created, leads) -> None:
    for a, b, a_gives, b_gives in TRUST:
        trust.set_trust(created[a], created[b], a_gives, actor=leads[a])
        trust.set_trust(created[b], created[a], b_gives, actor=leads[b])


def _seed_profiles() -> None:
    for profile in db.session.scalars(db.select(Profile)):
        profile.experience = EXPERIENCE.get(profile.pseudonym, "")
    db.session.commit()


def _seed_rooms(created, leads) -> None:
    from network.rooms import services as rooms

    harbour, prairie = created[0], created[1]
    welcome = rooms.create_room(
        harbour,
        actor=leads[0],
        name="Harbour commons",
        topic="Everyday peer support chat for Harbour Light members.",
    )
    shared = rooms.create_room(
        harbour,
        actor=leads[0],
        name="Atlantic-Prairie learning circle",
        topic="Shared resources and practice between partner agencies.",
        visibility="partners",
    )
    rooms.create_room(
        prairie,
        actor=leads[1],
        name="Prairie check-ins",
        topic="Weekly check-ins for Prairie Bridges peers.",
    )
    _seed_supervision(harbour, leads[0])
    for room, account, body in [
        (
            welcome,
            leads[0],
            "Welcome! Remember: take breaks, and you never have to "
            "share more than you want to.",
        ),
        (
            shared,
            leads[0],
            "This circle is shared with **Prairie Bridges**. Please "
            "keep client details out of the chat.",
        ),
        (shared, leads[1], "Thanks for having us. Our housing guide is coming soon."),
    ]:
        rooms.send_message(
            room, actor=account, body=body, client_msg_id=f"demo-{room.id}-{account.id}"
        )


def _seed_conversations() -> None:
    """Wheatfield and Cedar (Prairie and Coastal, at `message`) talk directly;
    Aspen Grove's request waits for Cedar's answer. Demo notifications start read."""
    from sqlalchemy import update

    from network.conversations import services as conversations
    from network.models import Notification

    by_name = {p.pseudonym: p.account for p in db.session.scalars(db.select(Profile))}
    asked = conversations.send_request(
        by_name["Cedar"],
        actor=by_name["Wheatfield"],
        body="Hi Cedar, could we compare notes on court accompaniment?",
    )
    conversations.accept(asked, actor=by_name["Cedar"])
    conversations.send_request(
        by_name["Cedar"],
        actor=by_name["Aspen Grove"],
        body="Hello! I'd like to learn how your youth circle works.",
    )
    db.session.execute(update(Notification).values(read_at=utcnow()))
    db.session.commit()


def _seed_supervision(harbour, lead) -> None:
    from datetime import timedelta

    from sqlalchemy import select

    from network.moderation import services as moderation
    from network.models import Profile
    from network.rooms import services as rooms
    from network.supervision import services as supervision
    from network.timezones import next_weekday_at, region_zone

    circle = rooms.create_room(
        harbour,
        actor=lead,
        name="Thursday supervision circle",
        kind="supervision",
        topic="Debrief and peer supervision, facilitated by Lantern.",
    )
    by_name = {p.pseudonym: p.account for p in db.session.scalars(select(Profile))}
    moderation.set_facilitator(circle, by_name["Lantern"], True, actor=lead)
    for name in ("Driftwood", "Sea Glass"):
        supervision.invite(circle, by_name[name], actor=lead)
        supervision.respond_to_invitation(circle, True, actor=by_name[name])
    thursday = 3
    zone = region_zone(harbour.region)
    start = utcnow()
    for _week in range(3):  # each week in local time: 18:00 holds across DST
        start = next_weekday_at(thursday, 18, zone, start)
        supervision.schedule(
            circle,
            starts_at=start,
            ends_at=start + timedelta(hours=1),
            facilitator=by_name["Lantern"],
            topic="Boundaries and burnout",
            actor=lead,
        )
