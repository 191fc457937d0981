"""Each insights figure, counted by its aggregate query."""

from __future__ import annotations

from datetime import timedelta

import pytest

from network.errors import NotFound
from network.extensions import db
from network.insights import services
from network.models import Profile, Resource, Role, TrustLevel, utcnow
from tests import factories
from tests.insights import helpers


def _table(insights, key):
    return next(table for table in insights.tables if table.key == key)


def _now(table):
    return table.rows[-1]


def test_supervision_counts_sessions_participants_and_check_ins(app):
    org = factories.make_org()
    room = factories.make_room(org)
    crowd = helpers.people(org, 6)
    helpers.session_with(room, crowd)
    helpers.session_with(room, crowd[:5])
    row = _now(_table(services.build(org.id), "supervision"))
    assert [cell.shown for cell in row.cells] == ["2", "6", "11"]


def test_support_alerts_and_median_hours(app):
    org = factories.make_org()
    room = factories.make_room(org)
    crowd = helpers.people(org, 5)
    helpers.alert(room, crowd[:3], answered_after=timedelta(hours=1))
    helpers.alert(room, crowd[3:], answered_after=timedelta(hours=3))
    row = _now(_table(services.build(org.id), "support"))
    assert row.cells[0].shown == "5"
    assert row.cells[1].shown == "1.0"


def test_members_approved_suspended_and_on_break(app):
    org = factories.make_org()
    crowd = helpers.people(org, 6)
    for person in crowd[:5]:
        db.session.get(Profile, person.profile.id).on_break = True
    db.session.commit()
    insights = services.build(org.id)
    assert [r.cells[0].shown for r in _table(insights, "members_now").rows] == [
        "6",
        "5",
    ]
    assert _now(_table(insights, "members")).cells[0].shown == "6"
    assert _now(_table(insights, "members")).cells[1].shown == "0"


def test_messages_per_room_with_total(app):
    org = factories.make_org()
    rooms = [factories.make_room(org, name=f"Room {n}") for n in range(2)]
    helpers.post(rooms[0], helpers.people(org, 5), each=2)
    helpers.post(rooms[1], helpers.people(org, 6))
    table = _table(services.build(org.id), "messages")
    assert table.columns == ["Room 0", "Room 1"]
    row = _now(table)
    assert [c.shown for c in row.cells] == ["10", "6"] and row.total.shown == "16"


def test_other_organizations_activity_is_not_counted(app):
    org, other = factories.make_org(), factories.make_org()
    helpers.post(factories.make_room(other), helpers.people(other, 6))
    helpers.report(other, helpers.people(other, 6), "spam")
    insights = services.build(org.id)
    assert _table(insights, "messages").columns == []
    assert _now(_table(insights, "reports")).total.shown == "0"


def test_cross_organization_conversations_and_trust_levels(app):
    org_a, org_b = factories.make_org(), factories.make_org()
    factories.set_trust(org_a, org_b, TrustLevel.MESSAGE)
    askers, answerers = helpers.people(org_a, 5), helpers.people(org_b, 5)
    for sender, recipient in zip(askers, answerers, strict=True):
        factories.make_conversation(sender, recipient)
    insights = services.build(org_a.id)
    assert _now(_table(insights, "conversations")).cells[0].shown == "5"
    with app.test_request_context():
        rows = _table(insights, "connections").rows
        levels = {str(r.label): r.cells[0].shown for r in rows}
    assert levels == {"See": "0", "Collaborate": "0", "Message": "1"}


def test_library_shared_and_downloaded_by_tag(app):
    org = factories.make_org()
    for author in helpers.people(org, 5):
        db.session.add(
            Resource(
                owner_org_id=org.id,
                author_id=author.id,
                title="t",
                tags=",court,",
                kind="link",
                url="https://example.org",
            )
        )
    db.session.commit()
    resource = db.session.query(Resource).first()
    for _ in range(7):
        services.record_download(resource, utcnow().strftime("%Y-%m"))
    insights = services.build(org.id)
    shared = _table(insights, "library_shared")
    assert shared.columns == ["court"] and _now(shared).cells[0].shown == "5"
    assert _now(_table(insights, "library_downloads")).cells[0].shown == "7"


def test_reports_by_category_and_median_days(app):
    org = factories.make_org()
    helpers.report(
        org, helpers.people(org, 6), "spam", resolved_after=timedelta(days=2)
    )
    helpers.report(org, helpers.people(org, 2), "harassment")
    insights = services.build(org.id)
    table = _table(insights, "reports")
    assert table.columns == ["Harassment", "Spam"]
    row = _now(table)
    # 2 harassment reports: hidden, and spam with them (complementary).
    assert [c.shown for c in row.cells] == ["<5", "<5"] and row.total.shown == "8"
    assert _now(_table(insights, "report_speed")).cells[0].shown == "2.0"


def test_only_leads_and_the_admin_get_insights(app):
    org = factories.make_org()
    lead = helpers.lead_of(org)
    assert services.insights_for(lead).scope.id == org.id
    assert services.insights_for(factories.make_admin()).scope is None
    for role in (Role.MODERATOR, Role.MEMBER):
        with pytest.raises(NotFound):
            services.insights_for(factories.make_member(org, role=role))


def test_can_view_insights_is_the_orgs_own_lead_only(app):
    from network import policy

    org_a, org_b = factories.make_org(), factories.make_org()
    lead_a = helpers.lead_of(org_a)
    assert policy.can_view_insights(lead_a, org_a)
    assert not policy.can_view_insights(lead_a, org_b)
    # The admin sees the network's figures, never one organization's page.
    assert not policy.can_view_insights(factories.make_admin(), org_a)
    moderator = factories.make_member(org_a, role=Role.MODERATOR)
    assert not policy.can_view_insights(moderator, org_a)


def test_a_download_is_counted_per_file_per_month(app):
    org = factories.make_org()
    resource = Resource(
        owner_org_id=org.id, title="t", kind="link", url="https://example.org"
    )
    db.session.add(resource)
    db.session.commit()
    services.record_download(resource, "2026-10")
    services.record_download(resource, "2026-10")
    services.record_download(resource, "2026-11")
    from network.models import ResourceDownload

    counts = {row.month: row.count for row in db.session.query(ResourceDownload).all()}
    assert counts == {"2026-10": 2, "2026-11": 1}
