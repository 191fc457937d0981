"""What rings the bell today: an approval, a report's outcome (to the reporter),
a call for support (to whoever it reaches)."""

from __future__ import annotations

from sqlalchemy import select

from network.extensions import db
from network.models import Message, Notification, Role, Status
from network.moderation import reports
from network.orgs import services as orgs
from network.rooms import services as rooms
from tests import factories
from tests.conftest import post_form


def _kinds(account) -> list[str]:
    return list(
        db.session.scalars(
            select(Notification.kind).where(Notification.account_id == account.id)
        )
    )


def test_an_approval_notifies_the_new_member(world):
    person = factories.make_member(world.org_a, status=Status.PENDING)
    items = [item.id for item in orgs.checklist(world.org_a)]
    orgs.approve_membership(person.membership, items, actor=world.lead_a)
    assert _kinds(person) == ["approved"]


def test_a_report_outcome_notifies_the_reporter_once(world):
    lead_b = factories.make_member(world.org_b, role=Role.LEAD)
    for person in (world.alice, world.bea):
        rooms.ensure_member(world.partner_room, person)
    message = rooms.send_message(
        world.partner_room, actor=world.alice, body="hello", client_msg_id="r-000001"
    )
    report = reports.report_message(
        db.session.get(Message, message.id), "harassment", "", actor=world.bea
    )
    copies = list(
        db.session.scalars(
            select(type(report)).where(type(report).copy_of_id == report.id)
        )
    )
    for copy in copies:  # the host's de-identified copy: not the reporter's own
        reports.resolve(copy, "no_action", actor=world.lead_a)
    assert _kinds(world.bea) == []
    reports.resolve(report, "no_action", actor=lead_b)
    assert _kinds(world.bea) == ["report_outcome"]
    link = db.session.scalar(select(Notification.link))
    assert link == "/reports"


def test_a_call_for_help_notifies_the_people_it_reaches(world, login_as):
    moderator = factories.make_member(world.org_a, role=Role.MODERATOR)
    url = f"/rooms/{world.room.public_id}"
    post_form(login_as(world.alice), url + "/help", {"note": ""}, token_from=url)
    assert _kinds(moderator) == ["support_alert"]
    assert _kinds(world.lead_a) == ["support_alert"]
    assert _kinds(world.amir) == [] and _kinds(world.alice) == []
