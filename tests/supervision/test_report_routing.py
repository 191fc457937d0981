"""Reports go to the reporter's organization; nobody reviews a report about
themselves; the subject's organization learns only what it is forwarded."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from network import policy
from network.extensions import db
from network.library import services as library
from network.models import REPORT_CATEGORIES, Report, Role, Separation, TrustLevel
from network.moderation import reports
from network.rooms import services as rooms
from network.safety import services as safety
from tests import factories
from tests.conftest import post_form
from tests.test_policy_matrix import _mask_csrf


def _message(room, author, body="a message"):
    rooms.ensure_member(room, author)
    message = rooms.send_message(
        room, actor=author, body=body, client_msg_id=f"rr-{author.id}-{body}"
    )
    return message


def _queue(client) -> str:
    """Every status of the review queue, as one text (404 pages read empty)."""
    pages = []
    for status in ("open", "in_review", "resolved"):
        page = client.get(f"/moderation/reports?status={status}")
        pages.append(page.get_data(as_text=True) if page.status_code == 200 else "")
    return "".join(pages)


def _sees(client, report: Report) -> bool:
    page = client.get(f"/moderation/reports/{report.public_id}")
    return page.status_code == 200 and report.public_id in _queue(client)


def test_sea_glass_reports_wheatfield_a_lead_of_another_org(app, login_as):
    harbour, prairie = factories.make_org("Harbour"), factories.make_org("Prairie")
    factories.set_trust(harbour, prairie, TrustLevel.SEE)
    sea_glass = factories.make_member(harbour, pseudonym="Sea Glass")
    harbour_lead = factories.make_member(harbour, role=Role.LEAD)
    harbour_mod = factories.make_member(harbour, role=Role.MODERATOR)
    wheatfield = factories.make_member(prairie, role=Role.LEAD, pseudonym="Wheatfield")
    admin = factories.make_admin()
    url = f"/reports/new?profile={wheatfield.profile.public_id}"
    response = post_form(
        login_as(sea_glass),
        url,
        {"category": "past", "note": "she was there"},
        token_from=url,
    )
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    subject = login_as(wheatfield)
    assert "Sea Glass" not in _queue(subject)
    assert report.public_id not in _queue(subject)
    own = subject.get(f"/moderation/reports/{report.public_id}")
    missing = subject.get("/moderation/reports/missingMissingA")
    assert own.status_code == 404 and own.get_data() == missing.get_data()
    # "Someone from my past": the reporter's leads and the admins, not moderators.
    assert _sees(login_as(harbour_lead), report)
    assert _sees(login_as(admin), report)
    assert not _sees(login_as(harbour_mod), report)


def test_moderator_reported_for_a_message_cannot_open_the_report(app, world, login_as):
    mod = factories.make_member(world.org_a, role=Role.MODERATOR, pseudonym="Mod Reed")
    message = _message(world.room, mod, "something unkind")
    report = reports.report_message(message, "harassment", "it hurt", actor=world.alice)
    client = login_as(mod)
    assert "Alice A" not in _queue(client)
    page = client.get(f"/moderation/reports/{report.public_id}")
    assert page.status_code == 404
    assert (
        page.get_data() == client.get("/moderation/reports/missingMissingA").get_data()
    )
    assert not policy.can_review_report(mod, report)
    assert _sees(login_as(world.lead_a), report)


def test_a_lead_reported_for_their_profile_never_reviews_it(app, world, login_as):
    report = reports.report_profile(
        world.lead_a.profile, "other", "", actor=world.alice
    )
    assert not policy.can_review_report(world.lead_a, report)
    assert report.public_id not in _queue(login_as(world.lead_a))
    # The subject was the only reviewer of org A: the admins get it instead.
    assert report.admin_review
    assert _sees(login_as(factories.make_admin()), report)


def test_a_reviewer_kept_apart_from_the_reporter_sees_nothing(app, world, login_as):
    lantern = factories.make_member(
        world.org_a, role=Role.MODERATOR, pseudonym="Lantern"
    )
    safety.file_separation(world.alice, lantern, actor=world.alice)
    message = _message(world.room, world.amir, "words")
    report = reports.report_message(message, "harassment", "note", actor=world.alice)
    assert not policy.can_review_report(lantern, report)
    assert not _sees(login_as(lantern), report)
    assert _sees(login_as(world.lead_a), report)


def test_a_reviewer_kept_apart_from_the_subject_sees_nothing(app, world, login_as):
    mod = factories.make_member(world.org_a, role=Role.MODERATOR)
    safety.block(mod.id, actor=world.amir)
    message = _message(world.room, world.amir, "words")
    report = reports.report_message(message, "spam", "", actor=world.alice)
    assert not _sees(login_as(mod), report)
    assert _sees(login_as(world.lead_a), report)


def test_every_reviewer_excluded_sends_the_report_to_the_admins(app, login_as):
    org = factories.make_org("Small")
    reporter = factories.make_member(org, pseudonym="Reporter R")
    lead = factories.make_member(org, role=Role.LEAD)
    room = factories.make_room(org)
    message = _message(room, lead, "hello")
    report = reports.report_message(message, "harassment", "", actor=reporter)
    assert report.admin_review
    assert _sees(login_as(factories.make_admin()), report)
    assert not _sees(login_as(lead), report)


def test_partner_room_message_reaches_the_host_without_the_reporter(
    app, world, login_as
):
    room_b = factories.make_room(
        world.org_b, visibility="partners", name="B circle", partners=[world.org_a]
    )
    mod_b = factories.make_member(world.org_b, role=Role.MODERATOR)
    lead_b = factories.make_member(world.org_b, role=Role.LEAD)
    message = _message(room_b, world.bea, "the reported words")
    rooms.ensure_member(room_b, world.alice)
    report = reports.report_message(message, "harassment", "my note", actor=world.alice)
    assert _sees(login_as(world.lead_a), report)
    full = login_as(world.lead_a).get(f"/moderation/reports/{report.public_id}")
    assert "Alice A" in full.get_data(as_text=True)
    copy = db.session.scalar(select(Report).where(Report.copy_of_id == report.id))
    assert copy.routed_org_id == world.org_b.id and copy.note == ""
    for reviewer in (mod_b, lead_b):
        client = login_as(reviewer)
        assert _sees(client, copy) and not _sees(client, report)
        page = client.get(f"/moderation/reports/{copy.public_id}").get_data(
            as_text=True
        )
        assert "the reported words" in page and "B circle" in page
        assert "Alice A" not in page and "my note" not in page


def test_resource_report_reaches_the_owner_org_without_the_reporter(
    app, world, login_as
):
    lead_b = factories.make_member(world.org_b, role=Role.LEAD)
    resource = library.create_link(
        world.org_b,
        library.Fields(title="B guide", visibility="partners"),
        "https://example.org/b",
        actor=world.bea,
    )
    report = reports.report_resource(resource, "spam", "my note", actor=world.alice)
    assert report.routed_org_id == world.org_a.id
    copy = db.session.scalar(select(Report).where(Report.copy_of_id == report.id))
    page = login_as(lead_b).get(f"/moderation/reports/{copy.public_id}")
    assert page.status_code == 200
    assert "Alice A" not in page.get_data(as_text=True)
    assert "my note" not in page.get_data(as_text=True)


@pytest.mark.parametrize("consents", [False, True])
def test_forwarding_a_profile_report(app, world, login_as, consents):
    lead_b = factories.make_member(world.org_b, role=Role.LEAD, pseudonym="Lead Birch")
    other_lead_b = factories.make_member(world.org_b, role=Role.LEAD)
    url = f"/reports/new?profile={lead_b.profile.public_id}"
    data = {"category": "harassment", "note": "my words"}
    if consents:
        data["share"] = "y"
    post_form(login_as(world.alice), url, data, token_from=url)
    report = db.session.scalar(select(Report))
    assert report.reporter_consents is consents
    assert not _sees(login_as(other_lead_b), report)  # not before forwarding
    lead = login_as(world.lead_a)
    review = f"/moderation/reports/{report.public_id}"
    assert "Forward" in lead.get(review).get_data(as_text=True)
    assert (
        post_form(lead, review, {"action": "forward"}, token_from=review).status_code
        == 302
    )
    db.session.refresh(report)
    assert report.forwarded_at is not None and report.forwarded_by_id == world.lead_a.id
    copy = db.session.scalar(select(Report).where(Report.copy_of_id == report.id))
    assert copy.routed_org_id == world.org_b.id
    client = login_as(other_lead_b)
    assert _sees(client, copy)
    page = client.get(f"/moderation/reports/{copy.public_id}").get_data(as_text=True)
    assert ("Alice A" in page) is consents and ("my words" in page) is consents
    assert not _sees(login_as(lead_b), copy)  # the subject, never
    audit = lead.get(f"/orgs/{world.org_a.public_id}/audit").get_data(as_text=True)
    assert "report.forwarded" in audit
    # Forwarding twice makes no second copy.
    post_form(lead, review, {"action": "forward"}, token_from=review)
    assert len(db.session.scalars(select(Report)).all()) == 2


def test_past_is_never_forwarded_and_offers_a_separation(app, world, login_as):
    factories.make_member(world.org_b, role=Role.LEAD)
    url = f"/reports/new?profile={world.bea.profile.public_id}"
    client = login_as(world.alice)
    response = post_form(client, url, {"category": "past"}, token_from=url)
    report = db.session.scalar(select(Report))
    assert report.admin_review
    offer = response.location
    assert report.public_id in offer
    page = client.get(offer).get_data(as_text=True)
    assert "Keep me apart from this person" in page
    assert "Bea B" not in page  # never the current name: they may be hidden by now
    post_form(client, offer, {}, token_from=offer)
    row = db.session.scalar(select(Separation))
    assert (row.protected_id, row.other_id) == (world.alice.id, world.bea.id)
    lead = login_as(world.lead_a)
    review = f"/moderation/reports/{report.public_id}"
    assert "Forward" not in lead.get(review).get_data(as_text=True)
    post_form(lead, review, {"action": "forward"}, token_from=review)
    assert len(db.session.scalars(select(Report)).all()) == 1
    # Someone else cannot use another person's offer page.
    other = login_as(world.amir)
    assert other.get(offer).status_code == 404


# --- the promise: the person reported never learns who reported them ---------------


def _target(world, kind: str, where: str):
    """(subject, what is reported) for a subject who is a lead of the reporter's
    own organization (A) or of another organization (B, hosting the content)."""
    org = world.org_a if where == "same" else world.org_b
    subject = factories.make_member(org, role=Role.LEAD, pseudonym="Subject Lead")
    factories.make_member(org, role=Role.MODERATOR, pseudonym="Other Mod")
    if kind == "profile":
        return subject, subject.profile
    if kind == "resource":
        fields = library.Fields(title="Reported guide", visibility="partners")
        return subject, library.create_link(
            org, fields, "https://e.org/r", actor=subject
        )
    room = world.room
    if where == "other":
        room = factories.make_room(org, visibility="partners", partners=[world.org_a])
        rooms.ensure_member(room, world.alice)
    return subject, _message(room, subject, "reported words")


FILE = {
    "message": reports.report_message,
    "profile": reports.report_profile,
    "resource": reports.report_resource,
}


@pytest.mark.parametrize("where", ["same", "other"])
@pytest.mark.parametrize("kind", list(FILE))
@pytest.mark.parametrize("category", list(REPORT_CATEGORIES))
def test_the_subject_never_learns_who_reported_them(
    app, world, login_as, socket_client, category, kind, where
):
    subject, what = _target(world, kind, where)
    client = login_as(subject)
    sock = socket_client(client)
    home_before = _mask_csrf(client.get("/").get_data())
    report = FILE[kind](what, category, "the reporter's note", actor=world.alice)
    lead = login_as(world.lead_a)
    review = f"/moderation/reports/{report.public_id}"
    assert lead.get(review).status_code == 200
    post_form(lead, review, {"action": "claim"}, token_from=review)
    post_form(lead, review, {"action": "forward"}, token_from=review)
    for copy in db.session.scalars(
        select(Report).where(Report.copy_of_id.is_not(None))
    ):
        assert not policy.can_review_report(subject, copy)
    post_form(
        lead, review, {"action": "resolve", "outcome": "no_action"}, token_from=review
    )
    queue = _queue(client)
    missing = client.get("/moderation/reports/missingMissingA").get_data()
    for row in db.session.scalars(select(Report)):
        assert row.public_id not in queue
        assert client.get(f"/moderation/reports/{row.public_id}").get_data() == missing
    assert "Alice A" not in queue
    assert _mask_csrf(client.get("/").get_data()) == home_before
    org = subject.membership.organization
    audit = client.get(f"/orgs/{org.public_id}/audit").get_data(as_text=True)
    assert "Alice A" not in audit and "reporter's note" not in audit
    assert report.public_id not in audit
    received = repr(sock.get_received())
    assert "Alice A" not in received and report.public_id not in received
