"""Emails speak the recipient's language; dates follow the page's language."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import refresh

from network.extensions import db
from network.notifications.email import activity_email
from network.timezones import format_local
from tests import factories
from tests.conftest import post_form, wait_for_background


def test_reset_email_uses_the_account_language(app, client, outbox):
    member = factories.make_member(factories.make_org(), email="p@example.org")
    member.locale = "fr_CA"
    db.session.commit()
    post_form(
        client, "/reset", {"login_or_email": member.login_name}, token_from="/reset"
    )
    wait_for_background(app)
    assert len(outbox) == 1
    _to, subject, body = outbox[0]
    assert subject == "Réinitialisation du mot de passe"
    assert "ouvrez ce lien d'ici une heure" in body and "/reset/t/" in body


def test_reset_email_without_a_choice_follows_the_page(app, client, outbox):
    member = factories.make_member(factories.make_org(), email="q@example.org")
    client.set_cookie("lang", "fr_CA")
    post_form(
        client, "/reset", {"login_or_email": member.login_name}, token_from="/reset"
    )
    wait_for_background(app)
    assert outbox[0][1] == "Réinitialisation du mot de passe"


def test_activity_email_in_each_language(app):
    with app.test_request_context():
        assert activity_email("L", "fr_CA")[1].startswith("Vous avez du nouveau")
        assert activity_email("L", None)[1].startswith("You have new activity")


def test_dates_follow_the_page_language(app):
    moment = datetime(2026, 11, 6, 19, 0, tzinfo=UTC)
    with app.test_request_context():
        assert format_local(moment, "America/Toronto") == "Fri 06 Nov, 14:00 EST"
    headers = {"Accept-Language": "fr-CA"}
    with app.test_request_context(headers=headers):
        refresh()  # the test's app context outlives one request's locale
        assert format_local(moment, "America/Toronto") == "ven. 6 nov., 14 h 00 HNE"
