"""Name availability is no oracle: pseudonyms are refused only when they look
like someone the asker can see, and sign-up never says who is on the network."""

from __future__ import annotations

import re

from sqlalchemy import select

from network.extensions import db
from network.models import Account
from tests import factories
from tests.conftest import mask_csrf, post_form

TAKEN = "That pseudonym, or one that looks like it, is taken"
LOOKALIKES = ("Willow", "willow", "W1llow")


def _keep_apart(protected: Account, other: Account) -> None:
    factories.separate(protected, other)


def _rename(client, name: str):
    return post_form(
        client, "/account", {"pseudonym": name, "region": ""}, token_from="/account"
    )


def _answer(response) -> tuple:
    return response.status_code, response.headers.get("Location")


def test_kept_apart_member_may_take_a_hidden_persons_name(app, login_as):
    org = factories.make_org()
    willow = factories.make_member(org, pseudonym="Willow")
    kestrel = factories.make_member(org, pseudonym="Kestrel")
    _keep_apart(willow, kestrel)
    client = login_as(kestrel)
    unused = _answer(_rename(client, "Nightjar"))
    for name in LOOKALIKES:
        response = _rename(client, name)
        assert TAKEN not in response.get_data(as_text=True), name
        assert _answer(response) == unused, name
        db.session.refresh(kestrel.profile)
        assert kestrel.profile.pseudonym == name


def test_member_who_sees_willow_is_refused_every_lookalike(app, login_as):
    org = factories.make_org()
    factories.make_member(org, pseudonym="Willow")
    wren = factories.make_member(org, pseudonym="Northern Wren")
    client = login_as(wren)
    for name in LOOKALIKES:
        response = _rename(client, name)
        assert response.status_code == 400, name
        assert TAKEN in response.get_data(as_text=True), name
    db.session.refresh(wren.profile)
    assert wren.profile.pseudonym == "Northern Wren"


def test_renaming_keeps_ones_own_name_and_its_lookalikes(app, login_as):
    org = factories.make_org()
    willow = factories.make_member(org, pseudonym="Willow")
    client = login_as(willow)
    assert _rename(client, "WILLOW").status_code == 302
    assert _rename(client, "W1llow").status_code == 302


def _signup(app, org, **overrides):
    client = app.test_client()
    data = {
        "organization": org.public_id,
        "login_name": "newperson",
        "pseudonym": "Blue Jay",
        "password": "a long enough password",
        "confirm": "a long enough password",
        "email": "",
        **overrides,
    }
    response = post_form(client, "/join/request", data, token_from="/join/request")
    body = mask_csrf(response.get_data(as_text=True))
    return response.status_code, response.headers.get("Location"), body


def _hidden_person_and_open_org(app):
    org = factories.make_org()
    factories.make_member(org, login_name="willow.login", pseudonym="Willow")
    return factories.make_org()


def test_signup_answers_the_same_for_a_taken_login_name_and_pseudonym(app):
    org = _hidden_person_and_open_org(app)
    unused = _signup(app, org, login_name="fresh.name", pseudonym="Nightjar")
    assert unused[0] == 302
    for overrides in (
        {"login_name": "willow.login"},
        {"login_name": "WILLOW.LOGIN"},
        {"pseudonym": "Willow"},
        {"pseudonym": "W1llow"},
        {"login_name": "willow.login", "pseudonym": "willow"},
    ):
        answer = _signup(app, org, **{"login_name": "fresh.name", **overrides})
        assert answer == unused, overrides


def test_refused_signup_page_does_not_depend_on_taken_names(app):
    org = _hidden_person_and_open_org(app)
    bad = {"confirm": "something else entirely"}
    unused = _signup(app, org, login_name="fresh.name", pseudonym="Nightjar", **bad)
    taken = _signup(app, org, login_name="willow.login", pseudonym="Willow", **bad)
    assert unused[0] == 400
    assert taken[:2] == unused[:2]
    shown = taken[2].replace("willow.login", "NAME").replace("Willow", "PSEUDONYM")
    assert shown == unused[2].replace("fresh.name", "NAME").replace(
        "Nightjar", "PSEUDONYM"
    )


def test_signup_adds_a_random_suffix_and_the_holder_sees_it(app):
    org = factories.make_org()
    factories.make_member(org, login_name="mara-0000")
    client = app.test_client()
    data = {
        "organization": org.public_id,
        "login_name": "Mara",
        "pseudonym": "Mara",
        "password": "a long enough password",
        "confirm": "a long enough password",
    }
    response = post_form(client, "/join/request", data, token_from="/join/request")
    assert response.status_code == 302
    account = db.session.scalar(select(Account).order_by(Account.id.desc()).limit(1))
    assert re.fullmatch(r"Mara-\d{4}", account.login_name), account.login_name
    assert account.login_key == account.login_name.casefold()
    page = client.get("/waiting").get_data(as_text=True)
    assert account.login_name in page
    assert "write it down" in page.lower()
    page = client.get("/account").get_data(as_text=True)
    assert account.login_name in page
