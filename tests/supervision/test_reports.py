"""Reports: routing to the right organization, the queue, blur, opt-outs, privacy."""

from __future__ import annotations

from sqlalchemy import func, select

from network import policy
from network.extensions import db
from network.models import Report, Role
from network.moderation import reports
from network.rooms import services as rooms
from tests import factories
from tests.conftest import post_form


def _message(world, room, author, body="a message"):
    rooms.ensure_member(room, author)
    message = rooms.send_message(
        room, actor=author, body=body, client_msg_id=f"rep-{author.id}-{body}"
    )
    return message


def test_message_report_goes_to_the_reporters_org_only(app, world, login_as):
    message = _message(world, world.partner_room, world.bea, "recruiting you")
    mod_a = factories.make_member(world.org_a, role=Role.MODERATOR, pseudonym="Mod A")
    mod_b = factories.make_member(world.org_b, role=Role.MODERATOR, pseudonym="Mod B")
    lead_b = factories.make_member(world.org_b, role=Role.LEAD)
    admin = factories.make_admin()
    url = f"/reports/new?message={message.public_id}"
    response = post_form(
        login_as(world.alice),
        url,
        {"category": "harassment", "note": "felt unsafe"},
        token_from=url,
    )
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    assert report.routed_org_id == world.org_a.id and report.status == "open"
    for account, sees in [
        (mod_a, True),
        (world.lead_a, True),
        (mod_b, False),
        (lead_b, False),
        (admin, False),
        (world.alice, False),
    ]:
        page = login_as(account).get("/moderation/reports")
        assert (
            page.status_code == 200 and report.public_id in page.get_data(as_text=True)
        ) is sees, account.pseudonym
    # Recruitment or exploitation is also visible to the platform admins.
    second = reports.report_message(message, "recruitment", "", actor=world.amir)
    assert policy.can_review_report(admin, second)
    assert second.public_id in login_as(admin).get("/moderation/reports").get_data(
        as_text=True
    )
    assert not policy.can_review_report(admin, report)


def test_profile_report_stays_with_the_reporters_org(app, world, login_as):
    from network.models import TrustLevel

    factories.set_trust(world.org_a, world.org_b, TrustLevel.SEE)
    lead_b = factories.make_member(world.org_b, role=Role.LEAD)
    mod_a = factories.make_member(world.org_a, role=Role.MODERATOR)
    url = f"/reports/new?profile={world.bea.profile.public_id}"
    post_form(login_as(world.alice), url, {"category": "harassment"}, token_from=url)
    report = db.session.scalar(select(Report))
    assert report.routed_org_id == world.org_a.id
    assert policy.can_review_report(world.lead_a, report)
    assert policy.can_review_report(mod_a, report)
    assert not policy.can_review_report(lead_b, report)
    assert not policy.can_review_report(world.bea, report)


def test_cannot_report_what_one_cannot_see(app, world, login_as):
    message = _message(world, world.room, world.alice, "host only")
    stranger = factories.make_member(factories.make_org("Org D"))  # trust: none
    client = login_as(stranger)
    for url in (
        f"/reports/new?message={message.public_id}",
        "/reports/new?message=999999",
        f"/reports/new?profile={world.alice.profile.public_id}",
        "/reports/new?profile=missingMissing",
    ):
        assert client.get(url).status_code == 404
        response = post_form(client, url, {"category": "spam"}, token_from="/logout")
        assert response.status_code == 404
    missing = post_form(
        client,
        "/reports/new?message=999999",
        {"category": "spam"},
        token_from="/logout",
    )
    hidden = post_form(
        client,
        f"/reports/new?message={message.public_id}",
        {"category": "spam"},
        token_from="/logout",
    )
    assert missing.get_data() == hidden.get_data()
    assert db.session.scalar(select(func.count(Report.id))) == 0
    bad = post_form(
        login_as(world.amir),
        f"/reports/new?message={message.public_id}",
        {"category": "nonsense"},
        token_from="/logout",
    )
    assert bad.status_code == 400
    assert "Choose a reason from the list." in bad.get_data(as_text=True)


def test_queue_flow_blur_and_privacy(app, world, login_as):
    message = _message(world, world.room, world.amir, "the reported words")
    report = reports.report_message(message, "unsafe_disclosure", "", actor=world.alice)
    lead = login_as(world.lead_a)
    page = lead.get(f"/moderation/reports/{report.public_id}").get_data(as_text=True)
    assert '<details class="reported" id="reported-content">' in page  # closed: blurred
    assert "the reported words" in page.split('class="reported-body"')[1]
    url = f"/moderation/reports/{report.public_id}"
    post_form(lead, url, {"action": "claim"}, token_from=url)
    db.session.refresh(report)
    assert report.status == "in_review"
    bad = post_form(
        lead, url, {"action": "resolve", "outcome": "banish"}, token_from=url
    )
    assert bad.status_code == 400
    post_form(
        lead, url, {"action": "resolve", "outcome": "action_taken"}, token_from=url
    )
    db.session.refresh(report)
    assert (report.status, report.outcome) == ("resolved", "action_taken")
    assert reports.time_to_resolution(report).endswith("min")
    mine = login_as(world.alice).get("/reports").get_data(as_text=True)
    assert "Resolved" in mine and "action taken" in mine
    assert world.lead_a.pseudonym not in mine
    # The reported person never sees the reporter.
    reported = login_as(world.amir)
    assert "You have not sent any reports." in reported.get("/reports").get_data(
        as_text=True
    )
    assert reported.get(url).status_code == 404
    audit_page = lead.get(f"/orgs/{world.org_a.public_id}/audit").get_data(as_text=True)
    assert "report.filed" in audit_page and world.alice.pseudonym not in audit_page


def test_opt_out_hides_a_category_from_one_moderator_only(app, world, login_as):
    message = _message(world, world.room, world.amir, "hard content")
    report = reports.report_message(message, "past", "", actor=world.alice)
    mod = factories.make_member(world.org_a, role=Role.MODERATOR)
    client = login_as(mod)
    post_form(
        client,
        "/moderation/preferences",
        {"categories": ["past"]},
        token_from="/moderation/preferences",
    )
    assert report.public_id not in client.get("/moderation/reports").get_data(
        as_text=True
    )
    assert client.get(f"/moderation/reports/{report.public_id}").status_code == 404
    assert report.public_id in login_as(world.lead_a).get(
        "/moderation/reports"
    ).get_data(as_text=True)
    ids = set(db.session.scalars(policy.visible_reports(select(Report.id), mod)))
    assert ids == set()


def test_report_form_shows_the_message_as_the_reporter_sees_it(app, world, login_as):
    rooms.ensure_member(world.partner_room, world.bea)
    message = rooms.send_message(
        world.partner_room,
        actor=world.bea,
        body="I can get you work **downtown** tonight",
        content_warning="recruitment",
        client_msg_id="rep-cw",
    )
    url = f"/reports/new?message={message.public_id}"
    page = login_as(world.alice).get(url).get_data(as_text=True)
    subject = page.split('id="report-subject"')[1].split("</section>")[0]
    assert world.bea.profile.pseudonym in subject
    assert "<time" in subject
    # Behind its content warning, closed, as in the room.
    warned = subject.split('<details class="cw">')[1].split("</details>")[0]
    assert 'Content warning: <span class="cw-text">recruitment' in warned
    assert "I can get you work" in warned and "<strong>downtown</strong>" in warned


def test_report_form_never_shows_a_hidden_message(app, world, login_as):
    rooms.ensure_member(world.partner_room, world.bea)
    message = rooms.send_message(
        world.partner_room, actor=world.bea, body="secret words", client_msg_id="h1"
    )
    _hide(message)
    url = f"/reports/new?message={message.public_id}"
    page = login_as(world.alice).get(url).get_data(as_text=True)
    subject = page.split('id="report-subject"')[1].split("</section>")[0]
    assert "secret words" not in page and "hidden by a moderator" in subject


def _hide(message):
    from network.models import utcnow

    message.hidden_at = utcnow()
    db.session.commit()


def test_report_form_shows_the_profile_being_reported(app, world, login_as):
    from network.models import TrustLevel

    factories.set_trust(world.org_a, world.org_b, TrustLevel.SEE)
    url = f"/reports/new?profile={world.bea.profile.public_id}"
    page = login_as(world.alice).get(url).get_data(as_text=True)
    subject = page.split('id="report-subject"')[1].split("</section>")[0]
    assert world.bea.profile.pseudonym in subject
