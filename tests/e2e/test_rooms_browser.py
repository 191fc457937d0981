"""In Chromium: real-time rooms on the real gevent server.

Two people of partner organizations chat live (typing, presence, content
warnings, edit, delete); someone of an untrusted organization gets the missing
page. A dropped socket catches up without gaps or duplicates; older messages load
above; hundreds of hostile payloads render inert; nothing is left in the
browser's storage.
"""

from __future__ import annotations

import re
import sqlite3
import uuid

import pytest

from tests import corpora
from tests.e2e.conftest import (
    browser_login,
    tagged,
    close_sockets,
    connect_socket,
    cookie_header,
    http_login,
    room_ids,
)
from tests.e2e.helpers import expect

pytestmark = pytest.mark.e2e

# network/demo.py: Harbour Light and Prairie Bridges collaborate both ways; the
# learning circle is a Harbour Light room open to partners. Fleuve Solidaire does
# not collaborate with Harbour Light.
CIRCLE = "Atlantic-Prairie learning circle"
COMMONS = "Harbour commons"  # Harbour Light members only
CHECK_INS = "Prairie check-ins"  # Prairie Bridges members only
SAM, SAM_PSEUDONYM = "harbour.sam", "Driftwood"
JO, JO_PSEUDONYM = "prairie.jo", "Kestrel"
HARBOUR_ORG = "Harbour Light Peer Collective"
OUTSIDER = "fleuve.marie"


@pytest.fixture(scope="module")
def live_server_env() -> dict[str, str]:
    # The seeding and XSS tests send hundreds of messages as one member, over
    # one socket.
    return {
        "MESSAGE_BURST": "1000",
        "MESSAGE_RATE": "1000",
        "SOCKET_EVENT_BURST": "1000",
        "SOCKET_EVENT_RATE": "1000",
    }


def _page(new_context, base: str, login_name: str):
    page = new_context().new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.page_errors = errors  # uncaught exceptions in room.js fail the test
    browser_login(page, base, login_name)
    return page


def _enter_room(page, base: str, room_name: str, pseudonym: str) -> None:
    """From /rooms, open a room by its link; wait until the socket has joined
    (the join acknowledgement puts oneself in the presence list)."""
    page.goto(base + "/rooms")
    with page.expect_navigation():
        page.get_by_role("link", name=room_name, exact=True).click()
    expect(page.locator("h1")).to_have_text(room_name)
    expect(_presence(page, pseudonym)).to_have_count(1)


def _presence(page, pseudonym: str):
    return page.locator("#presence li").filter(has_text=tagged(pseudonym))


def _message(page, text: str):
    return page.locator("#messages li.message").filter(has_text=text)


def _ids(page) -> list[str]:
    """Message ids in page order (opaque: only equality means anything)."""
    return page.eval_on_selector_all(
        "#messages li.message", "items => items.map(i => i.dataset.id)"
    )


def _send(page, body: str, content_warning: str = "") -> None:
    if content_warning:
        page.fill("#content-warning", content_warning)
    page.fill("#body", body)
    page.press("#body", "Enter")
    expect(page.locator("#body")).to_have_value("")


# --- (a) two browsers, two organizations ----------------------------------------------


def test_partner_chat_live(live_server, new_context):
    base = live_server.base_url
    sam = _page(new_context, base, SAM)
    jo = _page(new_context, base, JO)
    _enter_room(sam, base, CIRCLE, SAM_PSEUDONYM)
    _enter_room(jo, base, CIRCLE, JO_PSEUDONYM)
    room_url = sam.url
    assert jo.url == room_url and "/rooms/" in room_url

    # Presence: both see both.
    for page in (sam, jo):
        for pseudonym in (SAM_PSEUDONYM, JO_PSEUDONYM):
            expect(_presence(page, pseudonym)).to_have_count(1)

    # Sam types: Jo sees the typing line; Enter sends; Jo sees the message live.
    sam.fill("#body", "Hello circle, this is live")
    expect(jo.locator("#typing")).to_have_text(
        tagged(SAM_PSEUDONYM, after=" is typing…")
    )
    expect(sam.locator("#typing")).to_have_text("")  # not told about oneself
    sam.press("#body", "Enter")
    expect(sam.locator("#body")).to_have_value("")
    from_sam = _message(jo, "Hello circle, this is live")
    expect(from_sam).to_have_count(1)
    expect(from_sam.locator(".author")).to_have_text(tagged(SAM_PSEUDONYM))
    expect(from_sam.locator(".org")).to_have_text(HARBOUR_ORG)
    expect(jo.locator("#typing")).to_have_text("")  # cleared by the message
    sam_message_id = from_sam.get_attribute("data-id")

    # Jo: Shift+Enter makes a second line, Enter sends; Sam sees a <br>.
    jo.click("#body")
    jo.keyboard.type("First line from Jo")
    expect(sam.locator("#typing")).to_have_text(
        tagged(JO_PSEUDONYM, after=" is typing…")
    )
    jo.keyboard.press("Shift+Enter")
    jo.keyboard.type("second line from Jo")
    expect(jo.locator("#body")).to_have_value("First line from Jo\nsecond line from Jo")
    jo.keyboard.press("Enter")
    expect(jo.locator("#body")).to_have_value("")
    from_jo = _message(sam, "second line from Jo")
    expect(from_jo).to_have_count(1)
    expect(from_jo.locator(".author")).to_have_text(tagged(JO_PSEUDONYM))
    assert re.search(
        r"First line from Jo<br\s*/?>\s*second line from Jo",
        from_jo.locator(".body").inner_html(),
    ), from_jo.locator(".body").inner_html()

    # A content warning: collapsed behind a <details> for the other person.
    _send(sam, "The hard part of today", content_warning="grief")
    warned = jo.locator("#messages li.message").filter(
        has=jo.locator(".cw-text", has_text="grief")
    )
    expect(warned).to_have_count(1)
    details = warned.locator("details.cw")
    expect(details).to_have_count(1)
    assert details.evaluate("d => d.open") is False
    expect(details.locator("summary")).to_contain_text("(show)")
    expect(details.locator(".body")).to_be_hidden()
    details.locator("summary").click()
    assert details.evaluate("d => d.open") is True
    expect(details.locator(".body")).to_be_visible()
    expect(details.locator(".body")).to_have_text("The hard part of today")

    # Sam edits his first message: Jo sees the new text and "(edited)".
    mine = sam.locator(f'#messages li.message[data-id="{sam_message_id}"]')
    mine.get_by_role("button", name="Edit").click()
    expect(sam.locator("#body")).to_have_value("Hello circle, this is live")
    sam.fill("#body", "Hello circle, this is live (now edited)")
    sam.press("#body", "Enter")
    theirs = jo.locator(f'#messages li.message[data-id="{sam_message_id}"]')
    expect(theirs.locator(".edited")).to_have_text("(edited)")
    expect(theirs.locator(".body")).to_have_text(
        "Hello circle, this is live (now edited)"
    )

    # ... and deletes it, confirming in the page (never a browser dialog): Jo
    # sees the placeholder.
    browser_dialogs: list[str] = []
    sam.on("dialog", lambda dialog: browser_dialogs.append(dialog.message))
    mine.get_by_role("button", name="Delete").click()
    ask = sam.locator("dialog#room-confirm")
    expect(ask).to_be_visible()
    expect(ask.locator("#room-confirm-q")).to_contain_text("Delete this message?")
    ask.get_by_role("button", name="Delete").click()
    expect(ask).to_be_hidden()
    expect(theirs.locator(".body")).to_have_text("Message deleted.")
    expect(theirs).to_have_class(re.compile(r"\bdeleted\b"))
    # Exactly as a reload renders it: no "(edited)", no Report link.
    expect(theirs.locator(".edited")).to_have_count(0)
    expect(theirs.locator(".report-link")).to_have_count(0)
    expect(mine.locator(".body")).to_have_text("Message deleted.")
    expect(mine.get_by_role("button", name="Edit")).to_have_count(0)
    assert browser_dialogs == []

    # Someone from an organization Harbour Light does not collaborate with.
    outsider = _page(new_context, base, OUTSIDER)
    response = outsider.goto(room_url)
    assert response.status == 404
    expect(outsider.locator("h1")).to_have_text("Not found")
    expect(outsider.locator("main")).not_to_contain_text(CIRCLE)
    outsider.goto(base + "/rooms")
    expect(outsider.locator("main")).not_to_contain_text(CIRCLE)
    room_path = room_url.removeprefix(base)
    expect(outsider.locator(f'a[href="{room_path}"]')).to_have_count(0)
    # ... and nobody in the room saw them arrive.
    expect(jo.locator("#presence li")).to_have_count(2)

    assert sam.page_errors == jo.page_errors == outsider.page_errors == []


# --- (b) a dropped socket catches up --------------------------------------------------


def test_reconnect_catches_up_in_order(live_server, new_context):
    base = live_server.base_url
    sam = _page(new_context, base, SAM)
    jo = _page(new_context, base, JO)
    _enter_room(sam, base, CIRCLE, SAM_PSEUDONYM)
    _enter_room(jo, base, CIRCLE, JO_PSEUDONYM)

    sam.context.set_offline(True)
    expect(sam.locator("#connection")).to_have_text("Reconnecting…")
    # Jo's page hears that Sam's socket left.
    expect(_presence(jo, SAM_PSEUDONYM)).to_have_count(0)

    missed = [f"While you were away {n} {uuid.uuid4().hex[:6]}" for n in (1, 2)]
    for body in missed:
        _send(jo, body)
        expect(_message(jo, body)).to_have_count(1)
    expect(_message(sam, missed[0])).to_have_count(0)

    sam.context.set_offline(False)
    for body in missed:
        expect(_message(sam, body)).to_have_count(1, timeout=15_000)
    expect(sam.locator("#connection")).to_have_text("")
    expect(_presence(jo, SAM_PSEUDONYM)).to_have_count(1)

    ids = _ids(sam)
    assert len(ids) == len(set(ids)), "duplicates"
    first, second = (_message(sam, body).get_attribute("data-id") for body in missed)
    assert ids[-2:] == [first, second], "out of order"
    assert ids == _ids(jo), "Sam's page and Jo's page differ"
    assert sam.page_errors == jo.page_errors == []


# --- (c) load earlier messages --------------------------------------------------------


def _room_message_count(server, room_name: str) -> int:
    with sqlite3.connect(server.database) as db:
        return db.execute(
            "SELECT count(*) FROM messages JOIN rooms ON rooms.id = messages.room_id "
            "WHERE rooms.name = ?",
            (room_name,),
        ).fetchone()[0]


def _sender(base: str, login_name: str, room_name: str):
    """A python-socketio client of one member, and the room's public id."""
    session = http_login(base, login_name)
    room = room_ids(session, base)[room_name]
    client = connect_socket(base, cookie=cookie_header(session), origin=base)
    return client, room


def test_load_earlier_messages(live_server, new_context):
    base = live_server.base_url
    before = _room_message_count(live_server, COMMONS)
    client, room = _sender(base, "harbour.ana", COMMONS)
    seeded = [f"Earlier message {n:02d}" for n in range(1, 66)]
    try:
        for body in seeded:
            ack = client.call(
                "message:send",
                {"room_id": room, "body": body, "client_msg_id": uuid.uuid4().hex},
                timeout=10,
            )
            assert ack["ok"] is True, ack
    finally:
        close_sockets([client])
    total = before + len(seeded)
    assert total > 60

    page = _page(new_context, base, SAM)
    _enter_room(page, base, COMMONS, SAM_PSEUDONYM)
    messages = page.locator("#messages li.message")
    expect(messages).to_have_count(50)
    shown = _ids(page)
    assert len(set(shown)) == len(shown)
    expect(messages.last.locator(".body")).to_have_text(seeded[-1])

    page.get_by_role("link", name="Load earlier messages").click()
    expect(messages).to_have_count(total)
    ids = _ids(page)
    assert len(set(ids)) == len(ids)  # order: by the bodies below (ids are opaque)
    assert ids[-50:] == shown, "the older messages must go above, the rest stays"
    bodies = page.locator("#messages li.message .body").all_inner_texts()
    assert bodies[-len(seeded) :] == seeded
    expect(page.get_by_role("link", name="Load earlier messages")).to_have_count(0)
    assert page.page_errors == []


# --- (d) hostile payloads render inert ------------------------------------------------

CANARIES = [
    '<img src=x onerror="window.__xss=1">',
    "[x](javascript:window.__xss=1)",
    "[x](JaVaScRiPt:window.__xss=1)",
    "[x](  javascript:window.__xss=1)",
    "[x](&#106;avascript:window.__xss=1)",
    "[x](javascript&colon;window.__xss=1)",
    "[x](vbscript:window.__xss=1)",
    "[x](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)",
    '![x](x" onerror="window.__xss=1)',
    '<a href="javascript:window.__xss=1">click me</a>',
    "<script>window.__xss=1</script>",
    '<svg onload="window.__xss=1"></svg>',
    '<iframe src="javascript:window.__xss=1"></iframe>',
    '<details open ontoggle="window.__xss=1">',
    "<body onload=window.__xss=1>",
    "`<img src=x onerror=window.__xss=1>`",
    "```\n<script>window.__xss=1</script>\n```",
    "<javascript:window.__xss=1>",
    '<math><mtext><table><mglyph><style><img src=x onerror="window.__xss=1">',
]
# Markup the sanitizer (network/markup.py) lets through inside a message body.
ALLOWED_BODY_TAGS = {
    "P", "BR", "STRONG", "EM", "A", "UL", "OL", "LI", "BLOCKQUOTE", "CODE", "PRE",
}  # fmt: skip
FORBIDDEN = (
    "script, img, iframe, svg, object, embed, style, link, meta, base, form, "
    "input, button, textarea, select, video, audio, math, frame, frameset, template"
)


def _payloads() -> list[str]:
    """~300 from brs-kb, ~100 naughty strings, and our canaries (deduplicated)."""

    def usable(text: str) -> bool:
        # python-socketio escapes non-ASCII in JSON: stay far below 16 KB frames.
        return bool(text.strip()) and len(text) <= 2000

    brs = sorted(set(corpora.xss_payloads()), key=str)
    brs = [p for p in brs if usable(p)]
    brs = brs[:: max(1, len(brs) // 300)][:300]
    naughty = [s for s in corpora.naughty_strings() if usable(s)]
    naughty = naughty[:: max(1, len(naughty) // 100)][:100]
    return list(dict.fromkeys(CANARIES + brs + naughty))


def _inspect(page) -> dict:
    """What is inside #messages that should not be there."""
    return page.evaluate(
        """(forbidden) => {
          const list = document.getElementById('messages');
          const all = Array.from(list.querySelectorAll('*'));
          const bodyTags = new Set();
          list.querySelectorAll('.body *').forEach(el => bodyTags.add(el.tagName));
          return {
            forbidden: Array.from(list.querySelectorAll(forbidden))
              .map(el => el.outerHTML.slice(0, 120)),
            handlers: all.flatMap(el => Array.from(el.attributes)
              .filter(a => /^on|^style$|^srcdoc$|^formaction$/i.test(a.name))
              .map(a => el.tagName + ' ' + a.name)),
            badLinks: Array.from(list.querySelectorAll('a[href]'))
              .filter(a => !['http:', 'https:', 'mailto:'].includes(a.protocol))
              .map(a => a.getAttribute('href')),
            bodyTags: Array.from(bodyTags),
            xss: typeof window.__xss,
          };
        }""",
        FORBIDDEN,
    )


def _assert_inert(page, dialogs: list[str]) -> None:
    found = _inspect(page)
    assert dialogs == [], dialogs
    assert found["xss"] == "undefined"
    assert found["forbidden"] == [], found["forbidden"][:5]
    assert found["handlers"] == [], found["handlers"][:5]
    assert found["badLinks"] == [], found["badLinks"][:5]
    assert set(found["bodyTags"]) <= ALLOWED_BODY_TAGS, found["bodyTags"]
    # Click every javascript: link there is (there must be none).
    hrefs = page.eval_on_selector_all(
        "#messages a", "links => links.map(a => a.getAttribute('href') || '')"
    )
    script_links = [
        index
        for index, href in enumerate(hrefs)
        if re.sub(r"[\s\x00-\x20]", "", href).lower().startswith("javascript")
    ]
    for index in script_links:  # a script click: hidden links are clicked too
        page.locator("#messages a").nth(index).evaluate("a => a.click()")
    assert script_links == [], [hrefs[index] for index in script_links]
    assert page.evaluate("typeof window.__xss") == "undefined"
    assert dialogs == [], dialogs


def test_hostile_payloads_render_inert(live_server, new_context):
    base = live_server.base_url
    viewer = _page(new_context, base, JO)
    dialogs: list[str] = []

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    viewer.on("dialog", on_dialog)
    _enter_room(viewer, base, CHECK_INS, JO_PSEUDONYM)
    messages = viewer.locator("#messages li.message")
    already = messages.count()

    payloads = _payloads()
    warnings = [c for c in CANARIES if len(c) <= 120 and "\n" not in c]
    assert len(payloads) >= 350
    client, room = _sender(base, "prairie.lead", CHECK_INS)
    try:
        for body in payloads:
            ack = client.call(
                "message:send",
                {"room_id": room, "body": body, "client_msg_id": uuid.uuid4().hex},
                timeout=10,
            )
            # A NUL byte is refused with a clear error (the draft stays in the
            # composer); everything else is stored and must render inert.
            if "\x00" in body:
                assert ack == {"ok": False, "error": "bad_request"}, (body, ack)
            else:
                assert ack["ok"] is True, (body, ack)
        for n, warning in enumerate(warnings):
            ack = client.call(
                "message:send",
                {
                    "room_id": room,
                    "body": f"warned canary {n}",
                    "content_warning": warning,
                    "client_msg_id": uuid.uuid4().hex,
                },
                timeout=10,
            )
            assert ack["ok"] is True, (warning, ack)
    finally:
        close_sockets([client])
    stored = [body for body in payloads if "\x00" not in body]
    total = already + len(stored) + len(warnings)

    # Rendered live by room.js (innerHTML of the server's sanitized HTML).
    expect(messages).to_have_count(total, timeout=30_000)
    _assert_inert(viewer, dialogs)
    # Text stays text: the script tag is shown, not run or dropped.
    expect(
        viewer.locator("#messages .body", has_text="<script>window.__xss=1</script>")
    ).not_to_have_count(0)
    # A content warning is plain text too, never markup.
    shown = viewer.eval_on_selector_all(
        "#messages .cw-text", "spans => spans.map(s => s.textContent)"
    )
    assert sorted(shown) == sorted(warnings)
    viewer.locator("#messages details.cw summary").first.click()

    # Rendered by the server (Jinja) after a reload, then older pages by room.js.
    viewer.reload()
    expect(_presence(viewer, JO_PSEUDONYM)).to_have_count(1)
    expect(messages).to_have_count(50)
    _assert_inert(viewer, dialogs)
    earlier = viewer.get_by_role("link", name="Load earlier messages")
    while earlier.count():
        shown = messages.count()
        earlier.click()
        expect(messages).not_to_have_count(shown)
    expect(messages).to_have_count(total)
    _assert_inert(viewer, dialogs)
    assert viewer.page_errors == []


# --- (e) nothing of the chat stays in the browser -------------------------------------


def test_room_leaves_no_browser_storage(live_server, new_context):
    base = live_server.base_url
    ana = _page(new_context, base, "harbour.ana")
    _enter_room(ana, base, COMMONS, "Sea Glass")
    _send(ana, "Something personal I said in the room")
    _send(ana, "And a warned one", content_warning="heavy")
    expect(_message(ana, "Something personal I said in the room")).to_have_count(1)
    ana.fill("#body", "A draft I have not sent yet")  # unsent text stays in memory

    stored = ana.evaluate(
        """async () => ({
          local: localStorage.length,
          session: sessionStorage.length,
          indexed: (await indexedDB.databases()).map(d => d.name),
          caches: 'caches' in window ? await caches.keys() : [],
          workers: navigator.serviceWorker
            ? (await navigator.serviceWorker.getRegistrations()).length : 0,
        })"""
    )
    assert stored == {
        "local": 0,
        "session": 0,
        "indexed": [],
        "caches": [],
        "workers": 0,
    }
    assert ana.page_errors == []
