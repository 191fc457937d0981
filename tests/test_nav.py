"""The main navigation each role sees: the links and their order are pinned here
(they were what base.html drew when every role's links were hard-coded in it)."""

from __future__ import annotations

import re

import pytest

from network.extensions import db
from network.models import Role, Status, utcnow
from tests import factories

NAV_RE = re.compile(r'<ul class="nav-links">(.*?)</ul>', re.S)
LINK_RE = re.compile(r'<li><a href="([^"]+)">([^<]+)</a></li>')

MEMBER = [
    ("/", "Home"),
    ("/rooms", "Rooms"),
    ("/conversations", "Conversations"),
    ("/search", "Search"),
    ("/directory", "Directory"),
    ("/library", "Library"),
    ("/account/safety", "Safety"),
]
LEAD_ONLY = [("/org/requests", "Requests"), ("/org/members", "Members")]
LEAD_ONLY += [("/org/trust", "Trust"), ("/insights", "Insights")]
ACCOUNT = [("/account", "Account"), ("/logout", "Sign out")]
EXPECTED = {
    "member": MEMBER + ACCOUNT,
    "moderator": MEMBER + [("/moderation/reports", "Reports")] + ACCOUNT,
    "lead": MEMBER[:6]
    + LEAD_ONLY
    + MEMBER[6:]
    + [("/moderation/reports", "Reports")]
    + ACCOUNT,
    "admin": [
        ("/admin/organizations", "Organizations"),
        ("/insights", "Insights"),
        ("/moderation/reports", "Reports"),
    ]
    + ACCOUNT,
    "pending": ACCOUNT,
    "pending_lead": ACCOUNT,
    "suspended": ACCOUNT,
    "member_of_suspended_org": ACCOUNT,
}


def _person(kind: str):
    org = factories.make_org()
    if kind == "admin":
        return factories.make_admin()
    if kind == "pending_lead":
        return factories.make_member(org, role=Role.LEAD, status=Status.PENDING)
    if kind in ("pending", "suspended"):
        return factories.make_member(org, status=kind)
    if kind == "member_of_suspended_org":
        account = factories.make_member(org, role=Role.LEAD)
        org.suspended_at = utcnow()
        db.session.commit()
        return account
    return factories.make_member(org, role=kind)


def nav_links(html: str) -> list[tuple[str, str]] | None:
    """The (href, label) pairs of the main navigation, None when there is none."""
    match = NAV_RE.search(html)
    return None if match is None else LINK_RE.findall(match.group(1))


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_each_role_sees_its_navigation_in_order(app, login_as, kind):
    client = login_as(_person(kind))
    html = client.get("/account").get_data(as_text=True)
    assert nav_links(html) == EXPECTED[kind]


def test_anonymous_visitors_get_no_navigation_links(client):
    for url in ("/", "/login", "/join"):
        html = client.get(url).get_data(as_text=True)
        assert 'class="brand"' in html
        assert nav_links(html) is None


SECTION_MARKS = ('id="lead-tools"', 'class="button"', 'id="look-after"')


@pytest.mark.parametrize("kind", ["member", "moderator", "lead"])
def test_home_gathers_the_sections_features_contribute_in_order(app, login_as, kind):
    html = login_as(_person(kind)).get("/").get_data(as_text=True)
    found = [mark for mark in SECTION_MARKS if mark in html]
    assert found == list(SECTION_MARKS if kind == "lead" else SECTION_MARKS[1:])
    assert [html.index(mark) for mark in found] == sorted(
        html.index(mark) for mark in found
    )


BELL_ROLES = {"member", "moderator", "lead"}  # members who use the network


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_the_bell_is_in_the_header_for_members_only(app, login_as, kind):
    html = login_as(_person(kind)).get("/account").get_data(as_text=True)
    header = html[html.index('<header class="site-header">') : html.index("</header>")]
    assert ('id="bell"' in header) == (kind in BELL_ROLES)
    if kind in BELL_ROLES:  # before Quick exit, with its count in its name
        assert header.index('id="bell"') < header.index('id="quick-exit"')
        assert 'aria-label="Notifications, 0 unread"' in header
