"""A small network with rooms: host org A, partner B (collaborate), stranger C."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from network.models import Role
from tests import factories


@dataclass
class RoomWorld:
    org_a: object
    org_b: object
    org_c: object
    lead_a: object
    alice: object
    amir: object
    bea: object
    cole: object
    room: object
    partner_room: object


@pytest.fixture
def world(app) -> RoomWorld:
    org_a, org_b, org_c = factories.three_orgs(("Host A", "Partner B", "Stranger C"))
    return RoomWorld(
        org_a,
        org_b,
        org_c,
        lead_a=factories.make_member(org_a, role=Role.LEAD, pseudonym="Lead Ash"),
        alice=factories.make_member(org_a, pseudonym="Alice A"),
        amir=factories.make_member(org_a, pseudonym="Amir A"),
        bea=factories.make_member(org_b, pseudonym="Bea B"),
        cole=factories.make_member(org_c, pseudonym="Cole C"),
        room=factories.make_room(org_a, name="Host only"),
        partner_room=factories.make_room(org_a, visibility="partners", name="Partners"),
    )
