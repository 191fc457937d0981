"""Issue 9 items 3, 5a, 5c: people kept apart stay apart in every room surface.

Kept apart in a room: blocked either way, separated either way, or members of two
different organizations whose effective trust is below `collaborate`.
"""

from __future__ import annotations

from network.safety import services as safety
from tests.rooms.apart import join, make_circle, names, post, send, separate
from tests.rooms.conftest import events


def test_trust_none_partners_do_not_meet_in_third_org_room(app, connect):
    """The issue's repro: Kestrel (Prairie) and Pebble (Northern Lights), at trust
    none, in Harbour's "Atlantic-Prairie learning circle"."""
    c = make_circle()
    old = post(c.room, c.pebble, "pebble wrote this before")
    kestrel, pebble, lead = connect(c.kestrel), connect(c.pebble), connect(c.lead)
    assert join(lead, c.room)["ok"]
    assert join(pebble, c.room)["ok"]
    ack = join(kestrel, c.room)
    assert ack["ok"]
    assert "Pebble" not in names(ack["presence"])
    assert "pebble wrote" not in str(ack["messages"])
    assert "Kestrel" not in names(join(pebble, c.room)["presence"])
    for sock in (kestrel, pebble, lead):
        sock.get_received()
    send(pebble, c.room, "pebble live")
    pebble.emit("typing", {"room_id": c.room.public_id}, callback=True)
    send(kestrel, c.room, "kestrel live")
    send(lead, c.room, "marker from the host")
    seen_by_kestrel = str(kestrel.get_received())
    seen_by_pebble = str(pebble.get_received())
    assert "marker from the host" in seen_by_kestrel
    assert "marker from the host" in seen_by_pebble
    assert "pebble" not in seen_by_kestrel.lower()
    assert "kestrel" not in seen_by_pebble.lower()
    # The host sees both.
    seen_by_lead = str(lead.get_received())
    assert "pebble live" in seen_by_lead and "kestrel live" in seen_by_lead
    catch_up = kestrel.emit(
        "message:history", {"room_id": c.room.public_id, "after_id": 0}, callback=True
    )
    assert "pebble" not in str(catch_up).lower()
    assert old.id not in [m["id"] for m in catch_up["messages"]]


def test_room_pinned_skips_separated_and_blocked(app, connect):
    """room:pinned carried Sea Glass's whole message to Lantern (kept apart from
    her) and to Driftwood (whom she blocked)."""
    c = make_circle()
    separate(c.sea_glass, c.lantern)
    safety.block(c.sea_glass, c.driftwood.id)
    message = post(c.room, c.sea_glass, "sea glass words")
    lead, lantern, driftwood = connect(c.lead), connect(c.lantern), connect(c.driftwood)
    for sock in (lead, lantern, driftwood):
        join(sock, c.room)
        sock.get_received()
    ack = lead.emit(
        "message:pin", {"room_id": c.room.public_id, "id": message.id}, callback=True
    )
    assert ack["ok"]
    send(lead, c.room, "marker after the pin")
    for sock in (lantern, driftwood):
        received = sock.get_received()
        assert "marker after the pin" in str(received)
        assert "sea glass" not in str(received).lower()
        assert all(
            e["args"][0]["message"] is None
            for e in received
            if e["name"] == "room:pinned"
        )
    assert "sea glass words" in str(events(lead, "room:pinned"))


def test_manage_page_hides_member_kept_apart_from_moderator(app, connect, login_as):
    """Lantern (moderator) is kept apart from Sea Glass: the manage page listed
    <strong>Sea Glass</strong>."""
    c = make_circle()
    separate(c.sea_glass, c.lantern)
    join(connect(c.sea_glass), c.room)
    join(connect(c.driftwood), c.room)
    body = login_as(c.lantern).get(f"/rooms/{c.room.public_id}/manage").text
    assert "Driftwood" in body  # the page lists members
    assert "Sea Glass" not in body
