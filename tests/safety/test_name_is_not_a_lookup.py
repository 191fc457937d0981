"""Issue 9.2: a separation asked for by a name nobody holds is never a lookup.

Nothing attaches itself to whoever later takes a name; renaming never adds or
removes a separation. These tests drive the same pages a member and a lead use.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from network import policy
from network.accounts import services as accounts
from network.extensions import db
from network.models import Role, Separation, TrustLevel
from tests import factories
from tests.conftest import post_form


@pytest.fixture
def repro(app):
    """Pebble (Northern Lights) and Northern Wren (Harbour), who can see her."""
    northern = factories.make_org("Northern Lights")
    harbour = factories.make_org("Harbour")
    factories.set_trust(northern, harbour, TrustLevel.SEE)
    pebble = factories.make_member(northern, pseudonym="Pebble")
    colleague = factories.make_member(northern, pseudonym="Granite")
    lead = factories.make_member(northern, role=Role.LEAD, pseudonym="Aurora")
    wren = factories.make_member(harbour, pseudonym="Northern Wren")
    return pebble, colleague, lead, wren


def _directory(client) -> str:
    return client.get("/directory").get_data(as_text=True)


def _rename(account, name: str) -> None:
    accounts.update_profile(pseudonym=name, actor=account)
    db.session.commit()


def test_taking_a_pending_name_does_not_hide_the_protected(app, repro, login_as):
    pebble, _, _, wren = repro
    pebble_client, wren_client = login_as(pebble), login_as(wren)
    post_form(
        pebble_client,
        "/account/safety",
        {"pseudonym": "Shadow Fox", "note": ""},
        token_from="/account/safety",
        follow_redirects=True,
    )
    before_wren, before_pebble = _directory(wren_client), _directory(pebble_client)
    assert "Pebble" in before_wren and "Northern Wren" in before_pebble

    _rename(wren, "Shadow Fox")
    assert "Pebble" in _directory(wren_client)
    assert "Shadow Fox" in _directory(pebble_client)
    assert not policy.separated(pebble, wren)

    _rename(wren, "Northern Wren")
    assert _directory(wren_client) == before_wren
    assert _directory(pebble_client) == before_pebble
    assert db.session.scalar(select(func.count(Separation.id))) == 0


def test_pending_name_never_catches_a_colleague(app, repro, login_as):
    pebble, colleague, _, _ = repro
    post_form(
        login_as(pebble),
        "/account/safety",
        {"pseudonym": "Shadow Fox", "note": ""},
        token_from="/account/safety",
        follow_redirects=True,
    )
    _rename(colleague, "Shadow Fox")
    assert not policy.separated(pebble, colleague)
    assert "Pebble" in _directory(login_as(colleague))


def test_lead_filed_name_never_binds_on_sign_up_or_rename(app, repro, login_as):
    pebble, colleague, lead, wren = repro
    post_form(
        login_as(lead),
        "/org/safety",
        {
            "member": pebble.profile.public_id,
            "pseudonym": "Shadow Fox",
            "details": "",
        },
        token_from="/org/safety",
    )
    newcomer = factories.make_member(wren.membership.organization, pseudonym="Temp")
    for person, name in ((wren, "Shadow Fox"), (colleague, "Shad0w F0x")):
        old = person.profile.pseudonym
        _rename(person, name)
        assert not policy.separated(pebble, person)
        assert policy.can_see_profile(person, pebble.profile)
        _rename(person, old)
    _rename(newcomer, "Shadow  Fox")
    assert not policy.separated(pebble, newcomer)
    assert policy.can_see_profile(newcomer, pebble.profile)


def test_renaming_never_removes_a_separation(app, repro, login_as):
    pebble, _, _, wren = repro
    client = login_as(pebble)
    post_form(
        client, f"/profiles/{wren.profile.public_id}/separate", {}, token_from="/logout"
    )
    assert policy.separated(pebble, wren)
    _rename(wren, "Someone New")
    _rename(pebble, "Pebble Two")
    assert policy.separated(pebble, wren)
    assert not policy.can_see_profile(wren, pebble.profile)
