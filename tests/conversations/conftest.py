"""Two organizations at `message` trust, a member of each, and their leads."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from network.models import Role, TrustLevel
from tests import factories


@dataclass
class Pair:
    org_x: object
    org_y: object
    lead_x: object
    lead_y: object
    moderator_x: object
    alex: object  # org X
    bo: object  # org Y
    room: object  # their open direct conversation


@pytest.fixture
def pair(app) -> Pair:
    org_x, org_y = factories.make_org("Org X"), factories.make_org("Org Y")
    factories.set_trust(org_x, org_y, TrustLevel.MESSAGE)
    alex = factories.make_member(org_x, pseudonym="Alex Ask")
    bo = factories.make_member(org_y, pseudonym="Bo Answer")
    return Pair(
        org_x,
        org_y,
        lead_x=factories.make_member(org_x, role=Role.LEAD, pseudonym="Lead X"),
        lead_y=factories.make_member(org_y, role=Role.LEAD, pseudonym="Lead Y"),
        moderator_x=factories.make_member(org_x, role=Role.MODERATOR),
        alex=alex,
        bo=bo,
        room=factories.make_conversation(alex, bo, body="Hello from Alex"),
    )
