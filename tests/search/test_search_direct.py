"""Search and direct conversations: each is found by its two people only, while
it is open, and a result names it as its page does (the other person)."""

from __future__ import annotations

from network.conversations import services as conversations
from network.models import Role, TrustLevel
from network.search import services
from network.trust import services as trust
from tests import factories
from tests.search.world import say

WORD = "marmalade"


def _found(actor) -> dict[str, str]:
    page = services.search(actor, WORD)
    assert not page.error
    return {result.message_id: result.room_title for result in page.results}


def test_a_direct_conversation_is_found_by_its_two_people_only(app):
    org_a, org_b, _ = factories.three_orgs()
    lead = factories.make_member(org_a, role=Role.LEAD, pseudonym="Lead")
    me = factories.make_member(org_a, pseudonym="Me")
    friend = factories.make_member(org_a, pseudonym="Friend")
    one, two = (factories.make_member(org_a) for _ in range(2))
    mine = factories.make_conversation(me, friend)
    theirs = factories.make_conversation(one, two)
    said = say(mine, friend, f"{WORD} for us").public_id
    say(theirs, one, f"{WORD} for them")

    title = f"Conversation with Friend · {friend.tag}"
    assert _found(me) == {said: title}
    assert _found(friend) == {said: f"Conversation with Me · {me.tag}"}
    assert _found(lead) == {}  # leads never read direct conversations
    assert _found(one).keys().isdisjoint({said})


def test_a_closed_conversation_is_no_longer_found(app):
    org_a, org_b, _ = factories.three_orgs()
    factories.set_trust(org_a, org_b, TrustLevel.MESSAGE)
    lead_a = factories.make_member(org_a, role=Role.LEAD)
    me = factories.make_member(org_a, pseudonym="Me")
    partner = factories.make_member(org_b, pseudonym="Partner")
    friend = factories.make_member(org_a, pseudonym="Friend")
    across = factories.make_conversation(me, partner)
    at_home = factories.make_conversation(me, friend)
    across_id = say(across, partner, f"{WORD} across").public_id
    home_id = say(at_home, friend, f"{WORD} at home").public_id
    assert set(_found(me)) == {across_id, home_id}

    trust.set_trust(org_a, org_b, TrustLevel.COLLABORATE, actor=lead_a)
    assert set(_found(me)) == {home_id}  # the positive control still found
    assert _found(partner) == {}

    conversations.leave(at_home, actor=friend)
    assert _found(me) == {} and _found(friend) == {}
