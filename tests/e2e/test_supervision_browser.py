"""In Chromium: a moderated supervision room on the real gevent server.

The demo's "Thursday supervision circle" (network/demo.py) is hosted by Harbour
Light: Lantern (harbour.mod) is its named facilitator; Driftwood (harbour.sam)
and Sea Glass (harbour.ana) joined by invitation and have not accepted the
ground rules yet; the seeded sessions start tomorrow.

1. Lantern schedules a session that is running now and opens the room.
2. Both members accept the ground rules and check in: Driftwood shares, Sea
   Glass keeps it private; only the shared one reaches the facilitator.
3. Sea Glass presses "I need support": only Lantern is alerted, and opens a
   one-to-one space that Sea Glass is given a link to.
4. Lantern hides Driftwood's message: everyone sees the placeholder, only
   Driftwood is told the reason.
5. Sea Glass steps out quietly.

A second test: with no session running and no facilitator present the room is
read-only, and it opens live when the facilitator arrives.
"""

from __future__ import annotations

import re
import sqlite3
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.conftest import TAG_PATTERN, browser_login, tagged
from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e

CIRCLE = "Thursday supervision circle"
LANTERN, LANTERN_PSEUDONYM = "harbour.mod", "Lantern"
SAM, SAM_PSEUDONYM = "harbour.sam", "Driftwood"
ANA, ANA_PSEUDONYM = "harbour.ana", "Sea Glass"
TOPIC = "Live e2e supervision"
ACCEPT_RULES = "I accept the ground rules"
READ_ONLY_ERROR = (
    "The room is read-only until a session starts or a facilitator arrives."
)


def _page(new_context, base: str, login_name: str):
    page = new_context().new_page()
    _watch(page)
    browser_login(page, base, login_name)
    return page


def _watch(page):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors  # uncaught exceptions in room.js fail the test
    return page


def _presence(page, pseudonym: str):
    return page.locator("#presence li").filter(has_text=tagged(pseudonym))


def _message(page, text: str):
    return page.locator("#messages li.message").filter(has_text=text)


def _open_room(page, base: str, pseudonym: str) -> None:
    """From /rooms, open the circle by its link; wait until the socket joined
    (the join acknowledgement puts oneself in the presence list)."""
    page.goto(base + "/rooms")
    with page.expect_navigation():
        page.get_by_role("link", name=CIRCLE, exact=True).click()
    expect(page.locator("h1")).to_have_text(CIRCLE)
    expect(_presence(page, pseudonym)).to_have_count(1)


def _accept_rules(page, pseudonym: str) -> None:
    """Accept the ground rules if the page asks for it (the form reloads the room)."""
    accept = page.get_by_role("button", name=ACCEPT_RULES)
    if accept.count():
        # Before any attempt: a calm note, never the refusal as an error.
        expect(page.locator("#composer-note")).to_have_text(
            "To write here, first accept the ground rules above."
        )
        expect(page.locator("#composer-error")).to_be_hidden()
        with page.expect_navigation():
            accept.click()
    expect(page.get_by_role("button", name=ACCEPT_RULES)).to_have_count(0)
    expect(page.locator("details.rules summary")).to_contain_text("(accepted)")
    expect(_presence(page, pseudonym)).to_have_count(1)


def _send(page, body: str) -> None:
    page.fill("#body", body)
    page.press("#body", "Enter")
    expect(page.locator("#body")).to_have_value("")


def _zone(server, pseudonym: str) -> ZoneInfo:
    """The member's time zone as stored in the profile (the form uses it)."""
    with sqlite3.connect(server.database) as db:
        row = db.execute(
            "SELECT timezone FROM profiles WHERE pseudonym = ?", (pseudonym,)
        ).fetchone()
    return ZoneInfo((row and row[0]) or "America/Toronto")


def _local_field(moment: datetime) -> str:
    """A datetime-local value (minutes precision)."""
    return moment.strftime("%Y-%m-%dT%H:%M")


def _sessions(manage_page):
    """The session rows of the manage page."""
    return manage_page.locator('section[aria-labelledby="sessions-h"] ul.list > li')


def _circle_id(page) -> str:
    return page.locator("#room").get_attribute("data-room-id")


# --- the whole journey ----------------------------------------------------------------


def test_supervision_session_journey(live_server, new_context):
    base = live_server.base_url

    # 1. Lantern schedules a session that runs now, then opens the room. ---------
    lantern = _page(new_context, base, LANTERN)
    _open_room(lantern, base, LANTERN_PSEUDONYM)
    circle = _circle_id(lantern)
    room_url = f"{base}/rooms/{circle}"
    manage_url = f"{room_url}/manage"
    # Before: no session runs and the facilitator's presence alone opens it.
    expect(lantern.locator("#room-state")).not_to_contain_text("Session running")

    lantern.goto(manage_url)
    expect(lantern.locator("h1")).to_have_text(f"Manage: {CIRCLE}")
    zone = _zone(live_server, LANTERN_PSEUDONYM)
    now = datetime.now(zone)
    lantern.fill("#session-starts_at", _local_field(now - timedelta(minutes=5)))
    lantern.fill("#session-ends_at", _local_field(now + timedelta(minutes=55)))
    # Options name people as "Lantern · K7QX": pick the one with this pseudonym.
    option = lantern.locator("#session-facilitator option", has_text=LANTERN_PSEUDONYM)
    lantern.select_option("#session-facilitator", label=option.inner_text().strip())
    lantern.fill("#session-topic", TOPIC)
    with lantern.expect_navigation():
        lantern.get_by_role("button", name="Schedule", exact=True).click()
    expect(lantern.locator("#manage-error")).to_have_count(0)
    assert lantern.url == manage_url, lantern.url
    expect(lantern.locator("main")).to_contain_text("Done.")
    expect(_sessions(lantern).filter(has_text=TOPIC)).to_have_count(1)

    with lantern.expect_navigation():
        lantern.get_by_role("link", name="Back to the room").click()
    expect(_presence(lantern, LANTERN_PSEUDONYM)).to_have_count(1)
    state = lantern.locator("#room-state")
    expect(state).to_contain_text("Session running until")
    expect(state).to_contain_text(TOPIC)
    # A facilitator has no check-in form and no rules to accept.
    expect(lantern.locator("#check-in")).to_have_count(0)
    expect(lantern.get_by_role("button", name=ACCEPT_RULES)).to_have_count(0)

    # 2. Two members accept the ground rules and check in. ----------------------
    sam = _page(new_context, base, SAM)
    ana = _page(new_context, base, ANA)
    sam_word, ana_word = f"tired{uuid.uuid4().hex[:4]}", f"heavy{uuid.uuid4().hex[:4]}"
    for page, pseudonym, feeling, word, share in (
        (sam, SAM_PSEUDONYM, "4", sam_word, "Me and the facilitators"),
        (ana, ANA_PSEUDONYM, "2", ana_word, "Only me"),
    ):
        _open_room(page, base, pseudonym)
        expect(page.locator("#room-state")).to_contain_text("Session running until")
        _accept_rules(page, pseudonym)
        expect(page.locator("#composer-error")).to_be_hidden()
        check_in = page.locator("#check-in")
        expect(check_in).to_be_visible()
        check_in.locator(f'input[name="feeling"][value="{feeling}"]').check()
        check_in.locator("#check-in-word").fill(word)
        check_in.get_by_label(share, exact=True).check()
        with page.expect_navigation():
            check_in.get_by_role("button", name="Check in", exact=True).click()
        assert page.url == room_url, page.url
        shared = share != "Only me"
        expect(page.locator("main")).to_contain_text(
            "The facilitators can see it." if shared else "Only you can see it."
        )
        expect(page.locator("#check-in")).to_contain_text(
            f"You checked in: {feeling} · {word} ("
            + ("shared with the facilitators" if shared else "only you see it")
            + ")."
        )
        expect(_presence(page, pseudonym)).to_have_count(1)
    # After its reload Driftwood's page may have been built before Sea Glass's
    # check-in: reload it so "neither sees the other's" covers both.
    sam.reload()
    expect(_presence(sam, SAM_PSEUDONYM)).to_have_count(1)
    for page in (sam, ana):
        for pseudonym in (LANTERN_PSEUDONYM, SAM_PSEUDONYM, ANA_PSEUDONYM):
            expect(_presence(page, pseudonym)).to_have_count(1)
    expect(sam.locator("body")).not_to_contain_text(ana_word)
    expect(ana.locator("body")).not_to_contain_text(sam_word)

    # The facilitator's manage page (another tab: Lantern stays in the room).
    manage = _watch(lantern.context.new_page())
    manage.goto(manage_url)
    shared_list = manage.locator("h3", has_text="Check-ins shared with you").locator(
        "xpath=following-sibling::ul[1]"
    )
    expect(shared_list.locator("li")).to_have_text(
        [tagged(SAM_PSEUDONYM, after=f": 4/5 · {sam_word}")]
    )
    expect(manage.locator("body")).not_to_contain_text(ana_word)
    manage.close()
    expect(_presence(lantern, LANTERN_PSEUDONYM)).to_have_count(1)

    # 3. Sea Glass asks for support: only the facilitator sees it. -------------
    ana.click("#need-support")
    expect(ana.locator("#support-status")).to_have_text(
        "A facilitator has been alerted privately. No one else sees it."
    )
    alert = lantern.locator("#support-alerts .support-alert")
    expect(alert).to_have_count(1, timeout=5_000)
    expect(alert).to_contain_text(
        re.compile(
            re.escape(ANA_PSEUDONYM) + TAG_PATTERN + f" needs support in “{CIRCLE}”"
        )
    )
    # Positive control: a room message sent after the alert reaches Sam and Sea
    # Glass on the same sockets, so a wrongly routed alert would be there first.
    marker = f"after the alert {uuid.uuid4().hex[:6]}"
    _send(lantern, marker)
    expect(_message(sam, marker)).to_have_count(1)
    expect(_message(ana, marker)).to_have_count(1)
    expect(sam.locator("#support-alerts")).to_be_empty()
    expect(sam.locator("#support-alerts > *")).to_have_count(0)
    expect(ana.locator("#support-alerts > *")).to_have_count(0)
    expect(sam.locator("body")).not_to_contain_text("needs support")

    with lantern.expect_navigation():
        alert.get_by_role("button", name="Open a one-to-one space").click()
    private_url = lantern.url
    assert private_url.startswith(base + "/rooms/") and private_url != room_url
    expect(lantern.locator("h1")).to_have_text(tagged(ANA_PSEUDONYM, "One-to-one: "))
    expect(_presence(lantern, LANTERN_PSEUDONYM)).to_have_count(1)
    link = ana.locator("#support-alerts a")
    expect(link).to_have_count(1)
    expect(link).to_contain_text(
        re.compile(
            "A facilitator opened a private space for you: One-to-one: "
            + re.escape(ANA_PSEUDONYM)
            + TAG_PATTERN
        )
    )
    assert base + link.get_attribute("href") == private_url
    expect(sam.locator("#support-alerts > *")).to_have_count(0)

    # The link leads Sea Glass into the private space (in another tab), where
    # Lantern sees her arrive; Driftwood cannot open it.
    with ana.context.expect_page() as opened:
        link.click(modifiers=["Control"])
    private = _watch(opened.value)
    private.wait_for_load_state()
    expect(private.locator("h1")).to_have_text(tagged(ANA_PSEUDONYM, "One-to-one: "))
    expect(_presence(lantern, ANA_PSEUDONYM)).to_have_count(1)
    private.close()
    expect(_presence(lantern, ANA_PSEUDONYM)).to_have_count(0)
    outsider = sam.context.new_page()
    assert outsider.goto(private_url).status == 404
    outsider.close()

    # Back to the circle.
    lantern.goto(room_url)
    expect(_presence(lantern, LANTERN_PSEUDONYM)).to_have_count(1)
    for page in (sam, ana):
        expect(_presence(page, LANTERN_PSEUDONYM)).to_have_count(1)
    # The facilitator left and came back (room:state twice): the session still
    # runs, and every state line still says so.
    for page in (lantern, sam, ana):
        expect(page.locator("#room-state")).to_contain_text("Session running until")
        expect(page.locator("#room-state")).to_contain_text(TOPIC)
        expect(page.locator("#room-state")).to_have_attribute("data-open", "1")

    # 4. Lantern hides Driftwood's message. ------------------------------------
    text = f"Something I regret saying {uuid.uuid4().hex[:6]}"
    reason = "Please keep client details out of the circle."
    _send(sam, text)
    for page in (lantern, sam, ana):
        expect(_message(page, text)).to_have_count(1)
    message_id = _message(lantern, text).get_attribute("data-id")
    expect(_message(ana, text).get_by_role("button", name="Hide")).to_have_count(0)
    expect(_message(sam, text).get_by_role("button", name="Hide")).to_have_count(0)

    asked: list[str] = []

    def give_reason(dialog) -> None:
        asked.append(dialog.message)
        dialog.accept(reason)

    lantern.once("dialog", give_reason)
    _message(lantern, text).get_by_role("button", name="Hide").click()
    selector = f'#messages li.message[data-id="{message_id}"]'
    seen_by_ana = ana.locator(selector)
    expect(seen_by_ana.locator(".body")).to_have_text("Message hidden by a moderator.")
    expect(seen_by_ana).to_have_class(re.compile(r"\bhidden-message\b"))
    expect(ana.locator("#messages")).not_to_contain_text(text)
    expect(seen_by_ana.locator(".report-link")).to_have_count(0)
    seen_by_sam = sam.locator(selector)
    expect(seen_by_sam.locator(".body")).to_have_text(
        f"Your message was hidden by a moderator: {reason}"
    )
    expect(sam.locator("#messages")).not_to_contain_text(text)
    expect(seen_by_sam.get_by_role("button", name="Edit")).to_have_count(0)
    expect(lantern.locator(selector).locator(".body")).to_have_text(
        "Message hidden by a moderator."
    )
    expect(lantern.locator("#messages")).not_to_contain_text(text)
    assert asked and asked[0].startswith("Why hide this message?"), asked
    # Only the author is ever told the reason.
    expect(ana.locator("body")).not_to_contain_text(reason)
    expect(lantern.locator("#composer-error")).to_be_hidden()

    # 5. Sea Glass steps out. --------------------------------------------------
    counts = {
        "lantern": lantern.locator("#messages li.message").count(),
        "sam": sam.locator("#messages li.message").count(),
    }
    messages_text = {
        "lantern": lantern.locator("#messages").inner_text(),
        "sam": sam.locator("#messages").inner_text(),
    }
    with ana.expect_navigation():
        ana.click("#step-out")
    assert ana.url == base + "/rooms", ana.url
    expect(ana.locator("h1")).to_have_text("Rooms")
    for name, page in (("lantern", lantern), ("sam", sam)):
        expect(_presence(page, ANA_PSEUDONYM)).to_have_count(0)
        expect(_presence(page, LANTERN_PSEUDONYM)).to_have_count(1)
        expect(_presence(page, SAM_PSEUDONYM)).to_have_count(1)
    # Positive control: a message sent after Sea Glass left reaches both, so a
    # "left the room" line would have arrived before it.
    marker = f"after stepping out {uuid.uuid4().hex[:6]}"
    _send(lantern, marker)
    for name, page in (("lantern", lantern), ("sam", sam)):
        expect(_message(page, marker)).to_have_count(1)
        expect(page.locator("#messages li.message")).to_have_count(counts[name] + 1)
        shown = page.locator("#messages").inner_text()
        assert shown.startswith(messages_text[name].rstrip()), shown
        expect(page.locator("#messages")).not_to_contain_text(ANA_PSEUDONYM)
        expect(page.locator("#typing")).to_have_text("")

    assert lantern.page_errors == sam.page_errors == ana.page_errors == []


# --- read-only until supervised -------------------------------------------------------


def _cancel_running_sessions(page, base: str, circle: str) -> None:
    """Cancel any session this module scheduled (so none runs now)."""
    page.goto(f"{base}/rooms/{circle}/manage")
    sessions = _sessions(page)
    while sessions.filter(has_text=TOPIC).count():
        with page.expect_navigation():
            sessions.filter(has_text=TOPIC).first.get_by_role(
                "button", name="Cancel"
            ).click()
        expect(page.locator("#manage-error")).to_have_count(0)


def test_read_only_until_the_facilitator_arrives(live_server, new_context):
    base = live_server.base_url

    # Lantern makes sure no session runs (the first test started one), and is
    # not in the room.
    lantern = _page(new_context, base, LANTERN)
    _open_room(lantern, base, LANTERN_PSEUDONYM)
    circle = _circle_id(lantern)
    _cancel_running_sessions(lantern, base, circle)

    sam = _page(new_context, base, SAM)
    _open_room(sam, base, SAM_PSEUDONYM)
    _accept_rules(sam, SAM_PSEUDONYM)
    expect(_presence(sam, LANTERN_PSEUDONYM)).to_have_count(0)
    state = sam.locator("#room-state")
    expect(state).to_contain_text("Read-only for now")
    expect(state).to_have_attribute("data-open", "")

    messages = sam.locator("#messages li.message")
    before = messages.count()
    text = f"Anyone here yet? {uuid.uuid4().hex[:6]}"
    sam.fill("#body", text)
    sam.press("#body", "Enter")
    error = sam.locator("#composer-error")
    expect(error).to_be_visible()
    expect(error).to_have_text(READ_ONLY_ERROR)
    # The refused text is given back, and nothing was stored or shown.
    expect(sam.locator("#body")).to_have_value(text)
    # The refusal is the ack; a stored message's broadcast would have reached
    # this socket before it.
    expect(messages).to_have_count(before)
    expect(_message(sam, text)).to_have_count(0)

    # The facilitator arrives: the state line changes live, the error goes.
    lantern.goto(f"{base}/rooms/{circle}")
    expect(_presence(lantern, LANTERN_PSEUDONYM)).to_have_count(1)
    expect(lantern.locator("#room-state")).to_contain_text(
        re.compile("the room is open", re.I)
    )
    expect(_presence(sam, LANTERN_PSEUDONYM)).to_have_count(1)
    expect(state).to_contain_text("open")
    expect(state).not_to_contain_text("Read-only")
    expect(error).to_be_hidden()

    # ... and the same message now goes through.
    sam.press("#body", "Enter")
    expect(sam.locator("#body")).to_have_value("")
    expect(_message(sam, text)).to_have_count(1)
    expect(_message(lantern, text)).to_have_count(1)
    expect(messages).to_have_count(before + 1)
    expect(error).to_be_hidden()

    # The facilitator leaves: read-only again, live.
    lantern.goto(base + "/rooms")
    expect(_presence(sam, LANTERN_PSEUDONYM)).to_have_count(0)
    expect(state).to_contain_text("Read-only for now")

    assert lantern.page_errors == sam.page_errors == []
