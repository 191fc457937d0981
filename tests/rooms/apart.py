"""Helpers for the kept-apart tests: the issue's network, separations, markers."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from network.models import Role, Separation, TrustLevel
from network.rooms import services as rooms
from tests import factories

_ids = itertools.count(1)


@dataclass
class Circle:
    """Harbour hosts a partner room; Northern Lights and Prairie are partners."""

    harbour: object
    northern: object
    prairie: object
    lead: object  # Harbour's lead
    lantern: object  # Harbour's moderator
    sea_glass: object  # Harbour member
    driftwood: object  # Harbour member (a bystander)
    pebble: object  # Northern Lights
    kestrel: object  # Prairie
    room: object


def make_circle(northern_to_prairie=TrustLevel.NONE, prairie_to_northern=None):
    """The issue's repro: both partners collaborate with Harbour; NL <-> Prairie
    at the given levels (none by default)."""
    harbour, northern, prairie = (
        factories.make_org(n) for n in ("Harbour", "Northern Lights", "Prairie")
    )
    factories.set_trust(harbour, northern, TrustLevel.COLLABORATE)
    factories.set_trust(harbour, prairie, TrustLevel.COLLABORATE)
    factories.set_trust(northern, prairie, northern_to_prairie, prairie_to_northern)
    room = factories.make_room(
        harbour,
        visibility="partners",
        name="Atlantic-Prairie learning circle",
        partners=[northern, prairie],
    )
    return Circle(
        harbour,
        northern,
        prairie,
        lead=factories.make_member(harbour, role=Role.LEAD, pseudonym="Harbour Lead"),
        lantern=factories.make_member(
            harbour, role=Role.MODERATOR, pseudonym="Lantern"
        ),
        sea_glass=factories.make_member(harbour, pseudonym="Sea Glass"),
        driftwood=factories.make_member(harbour, pseudonym="Driftwood"),
        pebble=factories.make_member(northern, pseudonym="Pebble"),
        kestrel=factories.make_member(prairie, pseudonym="Kestrel"),
        room=room,
    )


def separate(protected, other) -> Separation:
    """A separation protecting `protected` from `other` (bound, by profile)."""
    return factories.separate(protected, other)


def send(sock, room, body: str) -> dict:
    """message:send with a fresh client id; the ack."""
    return sock.emit(
        "message:send",
        {
            "room_id": room.public_id,
            "body": body,
            "client_msg_id": f"apart-{next(_ids):06d}",
        },
        callback=True,
    )


def join(sock, room, after_id=None) -> dict:
    """room:join; the ack."""
    return sock.emit(
        "room:join", {"room_id": room.public_id, "after_id": after_id}, callback=True
    )


def post(room, author, body: str):
    """A stored message by `author` (no socket needed)."""
    rooms.ensure_member(room, author)
    message = rooms.send_message(
        room, actor=author, body=body, client_msg_id=f"post-{next(_ids):06d}"
    )
    return message


def names(people) -> list[str]:
    """Pseudonyms in a presence list."""
    return [person["pseudonym"] for person in people]
