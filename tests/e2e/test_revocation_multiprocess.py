"""Revocation across processes: two real servers (python wsgi.py) share one
PostgreSQL database and one Redis message queue (the `live_servers` fixture in
conftest.py). A change made through one process closes, within a second, a
socket that lives on the other.
"""

from __future__ import annotations

import html
import re
import time

import pytest
import requests
import socketio

from tests.e2e.conftest import (
    CSRF_RE,
    connect_socket,
    cookie_header,
    csrf_from,
    http_login,
)

pytestmark = [pytest.mark.e2e, pytest.mark.services]

DEADLINE = 1.0  # seconds between the HTTP answer on P2 and the socket closing on P1

# Harbour Light and Prairie Bridges: "collaborate" both ways in network/demo.py TRUST.
MEMBER_ORG = "Harbour Light Peer Collective"
MEMBER, MEMBER_PSEUDONYM = "harbour.sam", "Driftwood"
MEMBER_LEAD = "harbour.lead"
OTHER_LEAD = "prairie.lead"
OTHER_ORG = "Prairie Bridges Survivor Network"
LOGOUT_MEMBER, RESET_PSEUDONYM = "harbour.ana", "Sea Glass"

MEMBER_LINK_RE = r'<a href="/org/members/([^"]+)">\s*<span class="person">{name}[ <]'


def _connect(base: str, session: requests.Session, made: list) -> socketio.Client:
    client = connect_socket(base, cookie=cookie_header(session), origin=base)
    made.append(client)
    answer = client.call("session:check", {}, timeout=5)
    assert answer["ok"] is True, answer
    return client


def _closed_within(client: socketio.Client, started: float, limit: float) -> float:
    """Poll until the client is disconnected; returns seconds since `started`."""
    deadline = started + limit
    while client.connected and time.monotonic() < deadline:
        time.sleep(0.01)
    return time.monotonic() - started


def _trust_cards(page_html: str) -> dict[str, dict[str, str]]:
    """Each card on /org/trust, by organization name: its public id and the
    effective level."""
    cards = {}
    for block in page_html.split("<li>")[1:]:
        name = re.search(r"<h2>(.*?)</h2>", block)
        org = re.search(r'name="org" value="([^"]+)"', block)
        effective = re.search(r"<dt>Effective</dt><dd><strong>(\w+)</strong>", block)
        if name and org and effective:
            cards[html.unescape(name.group(1))] = {
                "org": org.group(1),
                "effective": effective.group(1),
            }
    return cards


def _read_trust(session: requests.Session, base: str) -> tuple[str, dict]:
    page = session.get(base + "/org/trust", timeout=10)
    assert page.status_code == 200
    match = CSRF_RE.search(page.text)
    assert match, "no csrf_token on /org/trust"
    return match.group(1), _trust_cards(page.text)


def _post_trust(session: requests.Session, base: str, org_name: str, level: str):
    token, cards = _read_trust(session, base)
    return session.post(
        base + "/org/trust",
        data={"csrf_token": token, "org": cards[org_name]["org"], "level": level},
        allow_redirects=False,
        timeout=10,
    )


def test_revocation_crosses_processes(live_servers, sockets):
    p1, p2 = (server.base_url for server in live_servers)

    # --- (i) lowered trust, set on P2, closes a member's socket on P1 ----------
    other_lead = http_login(p2, OTHER_LEAD)
    _, cards = _read_trust(other_lead, p2)
    if cards[MEMBER_ORG]["effective"] == "none":
        # network/demo.py defines TRUST, but seed() never calls _seed_trust():
        # give the pair "collaborate" both ways here so the lowering is real.
        member_lead = http_login(p2, MEMBER_LEAD)
        for session, org in ((member_lead, OTHER_ORG), (other_lead, MEMBER_ORG)):
            raised = _post_trust(session, p2, org, "collaborate")
            assert raised.status_code == 302, raised.text
        _, cards = _read_trust(other_lead, p2)
    assert cards[MEMBER_ORG]["effective"] != "none", cards

    member = http_login(p1, MEMBER)
    first = _connect(p1, member, sockets)

    lowered = _post_trust(other_lead, p2, MEMBER_ORG, "none")
    returned = time.monotonic()
    assert lowered.status_code == 302, lowered.text
    took = _closed_within(first, returned, DEADLINE)
    assert not first.connected, (
        f"P1 kept the socket open {took:.2f}s after P2 lowered trust"
    )
    _, cards = _read_trust(other_lead, p2)
    assert cards[MEMBER_ORG]["effective"] == "none"

    # --- (ii) a suspension on P2 closes the member's reconnected socket on P1 ---
    second = _connect(p1, member, sockets)  # the gate still lets them in
    lead = http_login(p2, MEMBER_LEAD)
    members_page = lead.get(p2 + "/org/members", timeout=10)
    assert members_page.status_code == 200
    found = re.search(
        MEMBER_LINK_RE.format(name=re.escape(MEMBER_PSEUDONYM)), members_page.text
    )
    assert found, members_page.text
    detail_url = f"{p2}/org/members/{found.group(1)}"
    detail = lead.get(detail_url, timeout=10)
    token = re.search(r'name="suspend-csrf_token"[^>]*value="([^"]+)"', detail.text)
    assert token, detail.text  # the suspend form's own (prefixed) CSRF field

    suspended = lead.post(
        detail_url,
        data={
            "suspend-csrf_token": token.group(1),
            "action": "suspend",
            "suspend-reason": "End-to-end test of cross-process revocation",
        },
        allow_redirects=False,
        timeout=10,
    )
    returned = time.monotonic()
    assert suspended.status_code == 302, suspended.text
    took = _closed_within(second, returned, DEADLINE)
    assert not second.connected, (
        f"P1 kept the socket open {took:.2f}s after P2 suspended the member"
    )
    assert "suspended" in lead.get(detail_url, timeout=10).text
    with pytest.raises(socketio.exceptions.ConnectionError):
        _connect(p1, member, sockets)  # and the gate now refuses them

    # --- (iii) logout on P2 closes the same session's socket on P1 -------------
    browser_like = http_login(p1, LOGOUT_MEMBER)
    third = _connect(p1, browser_like, sockets)
    old_cookie = cookie_header(browser_like)

    # Cookies do not depend on the port: the same jar signs in on P2 as well.
    token = csrf_from(browser_like, p2 + "/logout")
    assert "Sign out" in browser_like.get(p2 + "/", timeout=10).text
    logout = browser_like.post(
        p2 + "/logout", data={"csrf_token": token}, allow_redirects=False, timeout=10
    )
    returned = time.monotonic()
    assert logout.status_code == 302
    assert logout.headers["Location"].endswith("/login")
    took = _closed_within(third, returned, DEADLINE)
    assert not third.connected, (
        f"P1 kept the socket open {took:.2f}s after logout on P2"
    )
    with pytest.raises(socketio.exceptions.ConnectionError):
        sockets.append(connect_socket(p1, cookie=old_cookie, origin=p1))

    # --- (iv) a reset with a lead's code on P2 closes every socket on P1 -------
    victim = http_login(p1, LOGOUT_MEMBER)
    fourth = _connect(p1, victim, sockets)
    found = re.search(
        MEMBER_LINK_RE.format(name=re.escape(RESET_PSEUDONYM)),
        lead.get(p2 + "/org/members", timeout=10).text,
    )
    assert found
    victim_url = f"{p2}/org/members/{found.group(1)}"
    issued = lead.post(
        victim_url,
        data={"csrf_token": csrf_from(lead, victim_url), "action": "reset_code"},
        timeout=10,
    )
    code = re.search(r'id="reset-code">([^<]+)<', issued.text)
    assert code, issued.text
    stranger = requests.Session()
    reset = stranger.post(
        p2 + "/reset/code",
        data={
            "csrf_token": csrf_from(stranger, p2 + "/reset/code"),
            "login_name": LOGOUT_MEMBER,
            "code": code.group(1),
            "password": "a brand new password",
            "confirm": "a brand new password",
        },
        allow_redirects=False,
        timeout=10,
    )
    returned = time.monotonic()
    assert reset.status_code == 302, reset.text
    took = _closed_within(fourth, returned, DEADLINE)
    assert not fourth.connected, (
        f"P1 kept the socket open {took:.2f}s after a reset on P2"
    )
