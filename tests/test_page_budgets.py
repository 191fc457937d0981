"""Statement budgets on the busiest pages besides the room page: home, directory,
library search, and the lead's members and requests lists run a small fixed number
of SQL statements, however many members, resources and rooms there are. Counts
statements, never time (bench/ measures time)."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest

from network.extensions import db
from network.models import (
    Account,
    Block,
    Membership,
    Profile,
    Resource,
    Role,
    Room,
    Separation,
    Status,
    SupervisionSession,
    SupportRecipient,
    SupportRequest,
    utcnow,
)
from tests import factories
from tests.rooms.test_statement_budget import counted

# Measured after the column loads; each includes the sign-in lookup and the
# bell's unread count (one statement on every member's page).
BUDGETS = {
    "/": 6,  # a lead's home: + how many members are on a break (one statement)
    "/directory": 4,
    "/library": 5,
    "/org/members": 4,
    "/org/requests": 4,
}
# Something every row of the page shows, so the test knows the rows were drawn.
ROW_MARK = {
    "/": "Circle",
    "/directory": "Budget",
    "/library": "Guide",
    "/org/members": "Budget",
    "/org/requests": "Budget",
}
SMALL, LARGE = 5, 60
_serial = itertools.count(1)


def _person(org, status=Status.APPROVED, hidden=False) -> Account:
    n = next(_serial)
    account = Account(
        login_name=f"budget{n}",
        login_key=f"budget{n}",
        password_hash="x",
        profile=Profile(
            pseudonym=f"Budget {n}",
            pseudonym_key=f"budget {n}",
            tag=f"B{n:03d}",
            languages="en,fr",
            region="ON",
            experience="youth",
            pronouns="they/them",
            hidden_from_other_orgs=hidden,
        ),
    )
    account.membership = Membership(
        organization_id=org.id, status=status, joined_via="request", role=Role.MEMBER
    )
    db.session.add(account)
    return account


def _grow(world, how_many: int) -> None:
    """Add members, join requests, resources, rooms, sessions and help requests."""
    soon = utcnow() + timedelta(days=1)
    for n in range(how_many):
        mine = _person(world.home)
        _person(world.home, status=Status.PENDING)
        theirs = _person(world.partner, hidden=n % 7 == 0)
        db.session.flush()
        for owner, author in ((world.home, mine), (world.partner, theirs)):
            db.session.add(
                Resource(
                    owner_org_id=owner.id,
                    author_id=author.id,
                    title=f"Guide {n}",
                    tags=",guide,",
                    kind="link",
                    url="https://example.org",
                    visibility="partners",
                )
            )
        room = Room(host_org_id=world.home.id, name=f"Circle {n}", kind="supervision")
        db.session.add(room)
        db.session.flush()
        db.session.add(
            SupervisionSession(room_id=room.id, starts_at=soon, ends_at=soon)
        )
        help_request = SupportRequest(
            room_id=room.id, host_org_id=world.home.id, requester_id=mine.id
        )
        db.session.add(help_request)
        db.session.flush()
        db.session.add(
            SupportRecipient(request_id=help_request.id, account_id=world.lead.id)
        )
    # Someone kept apart each way, so the kept-apart sets are never empty.
    blocked, apart = _person(world.home), _person(world.partner)
    db.session.flush()
    db.session.add(Block(blocker_id=world.lead.id, blocked_id=blocked.id))
    db.session.add(
        Separation(protected_id=world.lead.id, other_id=apart.id, other_name="x")
    )
    db.session.commit()
    world.kept_apart = [blocked.profile.public_id, apart.profile.public_id]


@pytest.fixture
def world(app):
    """Two organizations at `message` trust, a lead, and a small crowd."""
    from types import SimpleNamespace

    home = factories.make_org("Harbour")
    partner = factories.make_org("Prairie")
    factories.set_trust(home, partner, 3)
    lead = factories.make_member(home, role=Role.LEAD, pseudonym="Lead")
    world = SimpleNamespace(home=home, partner=partner, lead=lead)
    _grow(world, SMALL)
    return world


def _count(client, path: str) -> tuple[int, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    with counted() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(statements), response.get_data(as_text=True)


@pytest.mark.parametrize("path", list(BUDGETS))
def test_page_statements_stay_flat_as_the_network_grows(world, login_as, path):
    client = login_as(world.lead)
    few, _ = _count(client, path)
    _grow(world, LARGE - SMALL)
    many, html = _count(client, path)
    assert many == few, (path, few, many)
    assert many <= BUDGETS[path], (path, many)
    assert html.count(ROW_MARK[path]) >= 5, path  # the rows were really drawn


def test_column_loads_still_hide_kept_apart_and_hidden_people(world, login_as):
    """The directory read as columns lists nobody the policy hides."""
    hidden = db.session.scalars(
        db.select(Profile.public_id).where(Profile.hidden_from_other_orgs.is_(True))
    ).all()
    assert hidden
    client = login_as(world.lead)
    html = client.get("/directory").get_data(as_text=True)
    for public_id in [*world.kept_apart, *hidden]:
        assert public_id not in html
