"""The consent matrix of message requests: who may ask whom, at every trust
level x block (either way) x separation (either way) x the recipient's setting,
across organizations and within one; and, for a sender, a decline (and a re-ask
after it) reads exactly like a request that is waiting."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from network import policy
from network.extensions import db
from network.models import MessageRequest, Notification, TrustLevel, utcnow
from network.safety import services as safety
from tests import factories
from tests.conftest import csrf_token, mask_csrf

LEVELS = [TrustLevel.NONE, TrustLevel.SEE, TrustLevel.COLLABORATE, TrustLevel.MESSAGE]
RELATIONS = [
    "none",
    "sender_blocked",  # the sender blocked the recipient
    "recipient_blocked",  # the recipient blocked the sender
    "sender_protected",  # a separation protecting the sender
    "recipient_protected",  # a separation protecting the recipient
]
SETTINGS = ["anyone", "org", "nobody"]


def _relate(sender, recipient, relation: str) -> None:
    if relation == "sender_blocked":
        safety.block(recipient.id, actor=sender)
    elif relation == "recipient_blocked":
        safety.block(sender.id, actor=recipient)
    elif relation == "sender_protected":
        factories.separate(sender, recipient)
    elif relation == "recipient_protected":
        factories.separate(recipient, sender)


def _pair(same_org: bool, level: TrustLevel, relation: str, setting: str):
    org_s = factories.make_org()
    org_r = org_s if same_org else factories.make_org()
    if not same_org:
        factories.set_trust(org_s, org_r, level)
    sender = factories.make_member(org_s, pseudonym="Sol Sender")
    recipient = factories.make_member(org_r, pseudonym="Rue Recipient")
    recipient.profile.accept_requests = setting
    db.session.commit()
    _relate(sender, recipient, relation)
    return sender, recipient


def _may_ask(same_org: bool, level: TrustLevel, relation: str, setting: str) -> bool:
    trusted = same_org or level == TrustLevel.MESSAGE
    allowed_setting = setting == "anyone" or (setting == "org" and same_org)
    return trusted and relation == "none" and allowed_setting


CASES = [(False, level, r, s) for level in LEVELS for r in RELATIONS for s in SETTINGS]
CASES += [(True, TrustLevel.MESSAGE, r, s) for r in RELATIONS for s in SETTINGS]


def _case_id(case) -> str:
    same_org, level, relation, setting = case
    where = "same-org" if same_org else level.name.lower()
    return f"{where}-{relation}-{setting}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_who_may_ask_whom(app, login_as, case):
    same_org, level, relation, setting = case
    sender, recipient = _pair(*case)
    allowed = _may_ask(*case)
    assert policy.can_request_message(sender, recipient) is allowed
    client = login_as(sender)
    url = f"/profiles/{recipient.profile.public_id}/ask"
    page = client.get(url)
    missing = client.get("/profiles/missingMissing1/ask")
    profile = client.get(f"/profiles/{recipient.profile.public_id}")
    if allowed:
        assert page.status_code == 200
        assert "Ask to talk" in profile.get_data(as_text=True)
        token = csrf_token(client, url)
        sent = client.post(url, data={"csrf_token": token, "body": "Hello there"})
        assert sent.status_code == 302
        row = db.session.scalar(select(MessageRequest))
        assert row.delivered and row.recipient_id == recipient.id
        return
    # Refused exactly like a missing profile: same status, same bytes.
    assert page.status_code == missing.status_code == 404
    assert mask_csrf(page.get_data()) == mask_csrf(missing.get_data())
    assert "Ask to talk" not in profile.get_data(as_text=True)
    token = csrf_token(client, "/account")
    posted = client.post(url, data={"csrf_token": token, "body": "Hello there"})
    assert posted.status_code == 404
    assert db.session.scalar(select(MessageRequest)) is None


# --- a decline is indistinguishable from a request still waiting ---------------

PRIORS = ["pending", "declined", "expired", "declined_expired", "declined_blocked"]


def _generic(body: str, sender, recipient) -> str:
    """A page with the two people's names and ids made generic."""
    body = mask_csrf(body)
    for profile, mark in ((recipient.profile, "RECIPIENT"), (sender.profile, "ME")):
        body = body.replace(profile.pseudonym, mark).replace(profile.tag, "TAG")
        body = body.replace(profile.public_id, f"{mark}-ID")
    return body


def _sender_view(client, sender, recipient) -> str:
    """The sender's conversations page with the two people made generic."""
    return _generic(
        client.get("/conversations").get_data(as_text=True), sender, recipient
    )


def _age(row_id: int, days: int) -> None:
    """Move a request `days` into the past (its expiry and answer with it)."""
    row = db.session.get(MessageRequest, row_id)
    shift = timedelta(days=days)
    row.created_at -= shift
    row.expires_at -= shift
    if row.answered_at is not None:
        row.answered_at -= shift
    db.session.commit()


def _world(prior: str, login_as):
    """A sender who asked a recipient, and what the recipient did since."""
    from network.conversations import services

    org = factories.make_org()
    sender = factories.make_member(org)
    recipient = factories.make_member(org)
    row = services.send_request(recipient, actor=sender, body="Hello")
    if prior.startswith("declined"):
        services.decline(row, actor=recipient, block=prior == "declined_blocked")
    if prior.endswith("expired"):
        _age(row.id, 15)
    return sender, recipient, login_as(sender)


def _ask(client, recipient):
    url = f"/profiles/{recipient.profile.public_id}/ask"
    token = csrf_token(client, "/account")
    response = client.post(url, data={"csrf_token": token, "body": "Again?"})
    return response.status_code, mask_csrf(response.get_data(as_text=True))


def test_sender_sees_the_same_page_whether_declined_or_waiting(app, login_as):
    views, counts = {}, {}
    for prior in ("pending", "declined"):
        sender, recipient, client = _world(prior, login_as)
        views[prior] = _sender_view(client, sender, recipient)
        counts[prior] = len(
            db.session.scalars(
                select(MessageRequest).where(MessageRequest.sender_id == sender.id)
            ).all()
        )
        assert "Waiting for an answer" in views[prior]
        assert "declin" not in views[prior].replace("Decline", "")  # no trace
    assert views["pending"] == views["declined"]


def test_a_re_ask_while_declined_answers_as_while_pending(app, login_as):
    answers = {}
    for prior in ("pending", "declined"):
        sender, recipient, client = _world(prior, login_as)
        status, body = _ask(client, recipient)
        answers[prior] = (status, _generic(body, sender, recipient))
    assert answers["pending"] == answers["declined"]
    assert answers["pending"][0] == 400
    assert "You already asked this person" in answers["pending"][1]


def test_a_re_ask_after_a_declined_request_expired_is_never_delivered(app, login_as):
    """Within 30 days of a decline, a re-ask behaves for the sender exactly like
    one delivered but never answered; the recipient never sees it."""
    results = {}
    for prior in ("expired", "declined_expired"):
        sender, recipient, client = _world(prior, login_as)
        response = _ask(client, recipient)
        text = _sender_view(client, sender, recipient)
        results[prior] = (response[0], text, recipient)
        assert response[0] == 302
    assert results["expired"][:2] == results["declined_expired"][:2]
    for prior, delivered in (("expired", True), ("declined_expired", False)):
        recipient = results[prior][2]
        page = login_as(recipient).get("/conversations").get_data(as_text=True)
        assert ("Again?" in page) is delivered
        rings = db.session.scalars(
            select(Notification).where(
                Notification.account_id == recipient.id,
                Notification.kind == "message_request",
            )
        ).all()
        assert len(rings) == (2 if delivered else 1)  # the first ask rang once


def test_a_decline_and_block_hides_the_profile_but_not_the_request_state(app, login_as):
    sender, recipient, client = _world("declined_blocked", login_as)
    view = _sender_view(client, sender, recipient)
    assert "Waiting for an answer" in view
    # The block hides the recipient's profile, as any block does (both ways).
    assert client.get(f"/profiles/{recipient.profile.public_id}").status_code == 404


@pytest.mark.parametrize("prior", PRIORS)
def test_prior_request_states_as_the_sender_sees_them(app, login_as, prior):
    sender, recipient, client = _world(prior, login_as)
    view = _sender_view(client, sender, recipient)
    if prior.endswith("expired"):
        assert "Expired" in view and "Waiting for an answer" not in view
        assert "0 of 5 waiting" in view
    else:
        assert "Waiting for an answer" in view and "Expired" not in view
        assert "1 of 5 waiting" in view


def test_at_most_five_waiting_requests_declined_ones_included(
    app, login_as, frozen_clock
):
    from network.conversations import services

    org = factories.make_org()
    sender = factories.make_member(org)
    others = [factories.make_member(org) for _ in range(6)]
    for index, other in enumerate(others[:5]):
        row = services.send_request(other, actor=sender, body="Hi")
        if index % 2:
            services.decline(row, actor=other)
    client = login_as(sender)
    status, body = _ask(client, others[5])
    assert status == 400 and "You have 5 requests waiting" in body
    first = db.session.scalar(
        select(MessageRequest).where(MessageRequest.recipient_id == others[1].id)
    )
    _age(first.id, 15)  # a declined one expires: a place frees, as for any
    frozen_clock.now += 61  # past the per-minute request limit
    assert _ask(client, others[5])[0] == 302


def test_recently_declined_re_ask_counts_as_waiting(app, login_as):
    sender, recipient, client = _world("declined_expired", login_as)
    _ask(client, recipient)
    assert "1 of 5 waiting" in _sender_view(client, sender, recipient)
    rows = db.session.scalars(
        select(MessageRequest).where(MessageRequest.sender_id == sender.id)
    ).all()
    assert [row.sender_status(utcnow()) for row in rows].count("waiting") == 1


# --- a prior request x what changed since x the recipient's setting -------------

PRIOR_CASES = [
    (prior, relation, setting)
    for prior in ("pending", "declined", "expired")
    for relation in RELATIONS
    for setting in SETTINGS
]


@pytest.mark.parametrize(
    "case", PRIOR_CASES, ids=lambda c: "-".join(c)
)  # across organizations at `message`
def test_prior_request_then_consent_changes(app, login_as, case):
    from network.conversations import services

    prior, relation, setting = case
    sender, recipient = _pair(False, TrustLevel.MESSAGE, "none", "anyone")
    row = services.send_request(recipient, actor=sender, body="Hello")
    if prior == "declined":
        services.decline(row, actor=recipient)
    if prior == "expired":
        _age(row.id, 15)
    recipient.profile.accept_requests = setting
    db.session.commit()
    _relate(sender, recipient, relation)
    allowed = _may_ask(False, TrustLevel.MESSAGE, relation, setting)
    client = login_as(sender)
    # What the sender sees of the earlier request never depends on what the
    # recipient did or chose since (a decline, a block, a setting).
    view = _sender_view(client, sender, recipient)
    state = "Expired" if prior == "expired" else "Waiting for an answer"
    assert state in view
    status, body = _ask(client, recipient)
    if not allowed:
        assert status == 404
    elif prior == "expired":
        assert status == 302
    else:
        assert status == 400 and "You already asked this person" in body


def test_pending_and_declined_priors_read_alike_in_every_case(app, login_as):
    """The same case with a pending and a declined prior: byte for byte."""
    from network.conversations import services

    for relation in RELATIONS:
        for setting in SETTINGS:
            seen = {}
            for prior in ("pending", "declined"):
                sender, recipient = _pair(False, TrustLevel.MESSAGE, "none", "anyone")
                row = services.send_request(recipient, actor=sender, body="Hello")
                if prior == "declined":
                    services.decline(row, actor=recipient)
                recipient.profile.accept_requests = setting
                db.session.commit()
                _relate(sender, recipient, relation)
                client = login_as(sender)
                status, body = _ask(client, recipient)
                seen[prior] = (
                    _sender_view(client, sender, recipient),
                    status,
                    _generic(body, sender, recipient),
                )
            assert seen["pending"] == seen["declined"], (relation, setting)
