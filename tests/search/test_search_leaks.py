"""Search never finds what history would not show the searcher with its text, in
a room they are in now: every way a message is out of reach, against a positive
control with the same word that is found."""

from __future__ import annotations

from sqlalchemy import select

from network import policy
from network.extensions import db
from network.models import Message, Role, TrustLevel, utcnow
from network.safety import services as safety
from network.search import services
from tests import factories
from tests.search.world import member, say, supervision_room

WORD = "zanzibar"


def _found(actor) -> set[str]:
    page = services.search(actor, WORD)
    assert not page.error
    return {result.message_id for result in page.results}


def test_search_finds_only_what_the_member_may_read_now(app):
    check_search_leaks()


def check_search_leaks() -> None:
    """The leak test's world and checks, on whichever database the app uses
    (tests/test_postgres.py runs it on PostgreSQL)."""
    org_a, org_b, _ = factories.three_orgs()
    me = factories.make_member(org_a, role=Role.LEAD, pseudonym="Searcher")
    friend = factories.make_member(org_a, pseudonym="Friend")
    blocked = factories.make_member(org_a, pseudonym="Blocked")
    separated = factories.make_member(org_a, pseudonym="Separated")
    partner = factories.make_member(org_b, pseudonym="Partner")
    others = [factories.make_member(org_a) for _ in range(2)]

    room = factories.make_room(org_a, name="Ours")
    left = factories.make_room(org_a, name="Left")
    short = factories.make_room(org_a, name="Short", retention_days=7)
    partner_room = factories.make_room(org_b, visibility="partners", name="B's")
    circle = supervision_room(org_a, "Circle")
    opened = supervision_room(org_a, "Opened by role")
    one_to_one = supervision_room(org_a, "Their space", private=True)
    answered = supervision_room(org_a, "One-to-one I answered", private=True)
    for shown in (room, short, partner_room):
        member(shown, me)
    member(left, me, status="removed")
    member(opened, me, via_role=True)  # a lead opening it is not joining it
    member(answered, me, via_role=True, role="facilitator")  # answering is
    member(answered, others[1])
    for person in others:
        member(one_to_one, person)
        member(circle, person)

    control = {
        say(room, friend, f"{WORD} control").public_id,
        say(room, me, f"my own {WORD}").public_id,
        say(short, friend, f"{WORD} recent", days_ago=6).public_id,
        say(partner_room, partner, f"{WORD} partner, before").public_id,
        say(answered, others[1], f"{WORD} to the lead who answered").public_id,
    }
    assert _found(me) == control  # the positive control, before anything changes

    hidden = say(room, friend, f"{WORD} hidden", hidden_at=utcnow())
    deleted = say(room, friend, "", deleted_at=utcnow())
    unseen = {
        say(left, friend, f"{WORD} in a room I was removed from"),
        say(short, friend, f"{WORD} past retention", days_ago=8),
        say(room, blocked, f"{WORD} from someone I blocked"),
        say(room, separated, f"{WORD} from someone kept apart"),
        say(circle, others[0], f"{WORD} in a circle I am not in"),
        say(opened, others[0], f"{WORD} in a circle I only opened"),
        say(one_to_one, others[0], f"{WORD} in their one-to-one"),
        say(partner_room, partner, f"{WORD} partner, after"),
        hidden,
        deleted,
    }
    safety.block(blocked.id, actor=me)
    factories.separate(separated, me)  # they asked: I am never told
    factories.set_trust(org_a, org_b, TrustLevel.SEE)  # below collaborate
    partner_messages = set(
        db.session.scalars(
            select(Message.public_id).where(Message.room_id == partner_room.id)
        )
    )

    found = _found(me)
    assert found == control - partner_messages
    assert not found & {message.public_id for message in unseen}
    _twin_agrees(me, found)

    # The one-to-one a lead answered ends with the role, as opening it does.
    me.membership.role = Role.MEMBER
    db.session.commit()
    answered_ids = set(
        db.session.scalars(
            select(Message.public_id).where(Message.room_id == answered.id)
        )
    )
    assert _found(me) == found - answered_ids
    _twin_agrees(me, found - answered_ids)


def _twin_agrees(actor, found: set[str]) -> None:
    """can_search_message says yes exactly for the messages search found."""
    for message in db.session.scalars(select(Message)):
        assert policy.can_search_message(actor, message) == (
            message.public_id in found
        ), message.body


def test_the_blocked_and_the_separated_do_not_find_the_other_either(app):
    org = factories.make_org("Both ways")
    me = factories.make_member(org)
    blocker = factories.make_member(org)
    protected = factories.make_member(org)
    room = factories.make_room(org)
    for person in (me, blocker, protected):
        member(room, person)
    mine = say(room, me, f"{WORD} from me")
    theirs = say(room, blocker, f"{WORD} from the blocker")
    kept = say(room, protected, f"{WORD} from the protected")
    safety.block(me.id, actor=blocker)
    factories.separate(protected, me)
    assert _found(me) == {mine.public_id}
    assert _found(blocker) == {theirs.public_id, kept.public_id}
    assert _found(protected) == {kept.public_id, theirs.public_id}
