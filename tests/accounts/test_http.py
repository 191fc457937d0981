"""HTTP tests for joining, signing in and out, settings and resets."""

from __future__ import annotations

from sqlalchemy import func, select

from network.extensions import db
from network.models import Account, AuditEvent, AuthSession, Membership, Status
from tests import factories
from tests.conftest import (
    csrf_token,
    login,
    mask_csrf,
    post_form,
    wait_for_background,
)


def _signup(client, url, **overrides):
    data = {
        "login_name": "newperson",
        "pseudonym": "Blue Jay",
        "password": "a long enough password",
        "confirm": "a long enough password",
        "email": "",
    }
    data.update(overrides)
    return post_form(client, url, data, token_from=url)


def test_signup_with_invitation_leaves_membership_pending(app, client):
    org = factories.make_org()
    lead = factories.make_member(org, role="lead")
    invitation, code = factories.make_invitation(org, lead, max_uses=2)

    response = _signup(client, "/join/invitation", code=code.lower().replace("-", " "))

    assert response.status_code == 302
    account = db.session.scalar(
        select(Account).where(Account.login_key.like("newperson-____"))
    )
    assert account.membership.status == Status.PENDING
    assert account.membership.organization_id == org.id
    assert invitation.uses == 1
    page = client.get("/", follow_redirects=True).get_data(as_text=True)
    assert "Waiting for approval" in page
    assert client.get("/profiles/" + lead.profile.public_id).status_code == 302


def test_signup_by_request_to_chosen_org(app, client):
    org = factories.make_org("Northern Lights Peer Network")
    response = _signup(client, "/join/request", organization=org.public_id, note="hi")
    assert response.status_code == 302
    membership = db.session.scalar(select(Membership))
    assert (membership.status, membership.joined_via) == (Status.PENDING, "request")


def test_request_to_org_that_closed_requests_is_refused(app, client):
    org = factories.make_org()
    org.accepts_requests = False
    db.session.commit()
    response = _signup(client, "/join/request", organization=org.public_id)
    assert response.status_code == 400
    assert "Choose an organization from the list." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Account.id))) == 0


def _count_accounts() -> int:
    return db.session.scalar(select(func.count(Account.id)))


def test_bad_signup_input_gets_field_messages_and_changes_nothing(app, client):
    org = factories.make_org()
    _, code = factories.make_invitation(org)
    _, used_code = factories.make_invitation(org, uses=1, max_uses=1)
    _, expired_code = factories.make_invitation(org, days=-1)
    before = _count_accounts()
    cases = [
        ({"login_name": ""}, "Enter a login name."),
        ({"login_name": "x" * 40}, "Use between 3 and 32 characters."),
        ({"pseudonym": ""}, "Enter a pseudonym."),
        ({"pseudonym": "p" * 60}, "Use between 2 and 32 characters."),
        ({"password": "short", "confirm": "short"}, "Use between 10 and 128"),
        ({"confirm": "something else entirely"}, "The two passwords do not match."),
        ({"email": "not-an-email"}, "Enter a valid email."),
        ({"code": "NOPE-NOPE-NOPE"}, "That invitation code is not valid."),
        ({"code": used_code}, "That invitation code is not valid."),
        ({"code": expired_code}, "That invitation code is not valid."),
        ({"code": ""}, "Enter the invitation code."),
    ]
    for overrides, message in cases:
        data = {"code": code, **overrides}
        response = _signup(client, "/join/invitation", **data)
        body = response.get_data(as_text=True)
        assert response.status_code == 400, overrides
        assert message in body, (overrides, message)
        assert 'class="error"' in body
    assert _count_accounts() == before


def test_missing_or_forged_csrf_token_is_refused_and_changes_nothing(app, client):
    org = factories.make_org()
    _, code = factories.make_invitation(org)
    data = {
        "code": code,
        "login_name": "newperson",
        "pseudonym": "Blue Jay",
        "password": "a long enough password",
        "confirm": "a long enough password",
    }
    client.get("/join/invitation")
    for token in (None, "forged-token"):
        payload = dict(data) if token is None else {**data, "csrf_token": token}
        response = client.post("/join/invitation", data=payload)
        assert response.status_code == 400
        assert "nothing was changed" in response.get_data(as_text=True)
    assert _count_accounts() == 0


def test_login_rotates_session_and_logout_revokes_it_on_the_server(app, client):
    org = factories.make_org()
    member = factories.make_member(org)
    client.get("/login")
    anonymous_cookie = client.get_cookie("pn_session").value
    login(client, member)
    cookie = client.get_cookie("pn_session").value
    assert cookie != anonymous_cookie
    assert "Hello," in client.get("/").get_data(as_text=True)

    response = post_form(client, "/logout", {}, token_from="/logout")
    assert response.status_code == 302
    assert db.session.scalar(select(func.count(AuthSession.id))) == 0

    replay = app.test_client()
    replay.set_cookie("pn_session", cookie)
    page = replay.get("/")
    assert page.status_code == 200
    assert "Sign in" in page.get_data(as_text=True)
    assert "Hello," not in page.get_data(as_text=True)


def test_session_cookie_flags_and_remember_me_off_by_default(app, client):
    org = factories.make_org()
    member = factories.make_member(org)
    response = login(client, member)
    cookies = response.headers.getlist("Set-Cookie")
    session_cookie = next(c for c in cookies if c.startswith("pn_session="))
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie
    assert "Expires" not in session_cookie  # a browser-session cookie
    assert "Secure" not in session_cookie
    assert 'name="remember"' in client.get("/login").get_data(as_text=True)
    assert "checked" not in client.get("/login").get_data(as_text=True)
    secure = app.test_client()
    resp = post_form(
        secure,
        "/login",
        {
            "login_name": member.login_name,
            "password": factories.PASSWORD,
            "remember": "y",
        },
    )
    assert resp.status_code == 302
    remembered = next(
        c for c in resp.headers.getlist("Set-Cookie") if c.startswith("pn_session=")
    )
    assert "Expires" in remembered
    https = app.test_client()
    token = csrf_token(https)
    resp = https.post(
        "/login",
        data={
            "login_name": member.login_name,
            "password": factories.PASSWORD,
            "csrf_token": token,
        },
        base_url="https://localhost",
    )
    assert any("Secure" in c for c in resp.headers.getlist("Set-Cookie"))


def test_unknown_login_name_gets_the_same_answer_as_wrong_password(app, client):
    org = factories.make_org()
    member = factories.make_member(org)
    wrong = post_form(
        client,
        "/login",
        {"login_name": member.login_name, "password": "wrong password!"},
    )
    unknown = post_form(
        client, "/login", {"login_name": "nobody-here", "password": "wrong password!"}
    )
    assert wrong.status_code == unknown.status_code == 400

    def strip(html):
        return html.replace(member.login_name, "X").replace("nobody-here", "X")  # noqa: E731

    assert mask_csrf(strip(wrong.get_data(as_text=True))) == mask_csrf(
        strip(unknown.get_data(as_text=True))
    )


def test_password_change_signs_out_other_browsers(app, login_as):
    org = factories.make_org()
    member = factories.make_member(org)
    phone = login_as(member)
    laptop = login_as(member)
    response = post_form(
        laptop,
        "/account/password",
        {
            "current": factories.PASSWORD,
            "password": "brand new password",
            "confirm": "brand new password",
        },
        token_from="/account/password",
    )
    assert response.status_code == 302
    assert "Hello," in laptop.get("/").get_data(as_text=True)
    assert "Hello," not in phone.get("/").get_data(as_text=True)
    assert (
        db.session.scalar(
            select(func.count(AuditEvent.id)).where(
                AuditEvent.action == "password.changed"
            )
        )
        == 1
    )


def test_password_change_with_wrong_current_password_changes_nothing(app, login_as):
    org = factories.make_org()
    member = factories.make_member(org)
    client = login_as(member)
    old_hash = member.password_hash
    response = post_form(
        client,
        "/account/password",
        {
            "current": "not my password",
            "password": "brand new password",
            "confirm": "brand new password",
        },
        token_from="/account/password",
    )
    assert response.status_code == 400
    assert "That is not your current password." in response.get_data(as_text=True)
    db.session.refresh(member)
    assert member.password_hash == old_hash


def test_reset_with_lead_code(app, login_as, client):
    org = factories.make_org()
    lead = factories.make_member(org, role="lead")
    member = factories.make_member(org)
    lead_client = login_as(lead)
    page = post_form(
        lead_client,
        f"/org/members/{member.profile.public_id}",
        {"action": "reset_code"},
        token_from="/logout",
    )
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    code = html.split('id="reset-code">')[1].split("<")[0]

    bad = post_form(
        client,
        "/reset/code",
        {
            "login_name": member.login_name,
            "code": "AAAA-BBBB-CCCC-DDDD",
            "password": "fresh password 1",
            "confirm": "fresh password 1",
        },
    )
    assert bad.status_code == 400
    assert "That code does not match" in bad.get_data(as_text=True)
    ok = post_form(
        client,
        "/reset/code",
        {
            "login_name": member.login_name,
            "code": code.lower(),
            "password": "fresh password 1",
            "confirm": "fresh password 1",
        },
    )
    assert ok.status_code == 302
    again = post_form(
        client,
        "/reset/code",
        {
            "login_name": member.login_name,
            "code": code,
            "password": "fresh password 2",
            "confirm": "fresh password 2",
        },
    )
    assert again.status_code == 400
    login(app.test_client(), member, "fresh password 1")


def test_reset_by_email_token_and_same_answer_for_unknown(app, client, outbox):
    org = factories.make_org()
    member = factories.make_member(org, email="peer@example.org")
    no_email = factories.make_member(org)
    answers = []
    for who in ("peer@example.org", no_email.login_name, "nobody-at-all"):
        response = post_form(
            client, "/reset", {"login_or_email": who}, follow_redirects=True
        )
        answers.append(mask_csrf(response.get_data(as_text=True)))
    assert answers[0] == answers[1] == answers[2]
    wait_for_background(app)
    assert len(outbox) == 1
    to, subject, body = outbox[0]
    assert to == "peer@example.org"
    token = body.split("/reset/t/")[1].split()[0]
    response = post_form(
        client,
        f"/reset/t/{token}",
        {"password": "emailed new pass", "confirm": "emailed new pass"},
    )
    assert response.status_code == 302
    assert client.get(f"/reset/t/{token}").status_code == 404
    login(app.test_client(), member, "emailed new pass")


def test_profile_edit_rejects_lookalike_and_keeps_data(app, login_as):
    org = factories.make_org()
    factories.make_member(org, pseudonym="Morning Star")
    member = factories.make_member(org, pseudonym="Evening Tide")
    client = login_as(member)
    response = post_form(
        client,
        "/account",
        {"pseudonym": "M0rning-Star", "region": "ON"},
        token_from="/account",
    )
    assert response.status_code == 400
    assert "looks like it, is taken" in response.get_data(as_text=True)
    db.session.refresh(member.profile)
    assert member.profile.pseudonym == "Evening Tide"
    response = post_form(
        client,
        "/account",
        {
            "pseudonym": "  Evening   Tide ",
            "pronouns": "she/her",
            "region": "QC",
            "languages": ["fr", "en"],
            "bio": "Ten years in the sector.",
        },
        token_from="/account",
    )
    assert response.status_code == 302
    db.session.refresh(member.profile)
    assert member.profile.region == "QC"
    assert member.profile.language_codes == ["fr", "en"]


def test_login_name_and_email_are_never_shown_to_others(app, login_as):
    org = factories.make_org()
    member = factories.make_member(org, login_name="secretlogin", email="me@x.org")
    other = factories.make_member(org)
    html = (
        login_as(other)
        .get(f"/profiles/{member.profile.public_id}")
        .get_data(as_text=True)
    )
    assert member.pseudonym in html
    assert "secretlogin" not in html and "me@x.org" not in html


def test_security_headers_on_every_page(app, client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "'unsafe-inline'" not in csp
    assert "frame-ancestors 'none'" in csp and "style-src 'self'" in csp
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and "style=" not in html and "onclick" not in html
    assert "<title>Notes</title>" in html
    assert 'id="quick-exit"' in html


def test_suspended_member_loses_access_at_next_request(app, login_as):
    org = factories.make_org()
    member = factories.make_member(org)
    client = login_as(member)
    assert "Hello," in client.get("/").get_data(as_text=True)
    member.membership.status = Status.SUSPENDED
    db.session.commit()
    response = client.get("/", follow_redirects=True)
    assert "Access paused" in response.get_data(as_text=True)


def test_rejected_person_can_ask_another_org(app, login_as):
    org = factories.make_org()
    other = factories.make_org()
    person = factories.make_member(org, status=Status.REJECTED)
    client = login_as(person)
    page = client.get("/waiting").get_data(as_text=True)
    assert "was not approved" in page
    response = post_form(
        client, "/waiting", {"organization": other.public_id}, token_from="/waiting"
    )
    assert response.status_code == 302
    db.session.refresh(person.membership)
    assert person.membership.organization_id == other.id
    assert person.membership.status == Status.PENDING


def test_cross_site_origin_is_refused(app, client):
    org = factories.make_org()
    member = factories.make_member(org)
    token = csrf_token(client)
    response = client.post(
        "/login",
        data={
            "login_name": member.login_name,
            "password": factories.PASSWORD,
            "csrf_token": token,
        },
        headers={"Origin": "https://evil.example"},
    )
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(AuthSession.id))) == 0


def test_hsts_only_over_https(app, client):
    """Browsers must keep to HTTPS once they reached us over it; over plain HTTP
    (the demo, a local proxy) the header would be ignored or harmful."""
    plain = client.get("/login")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/login", base_url="https://localhost")
    assert secure.headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains"
    )
