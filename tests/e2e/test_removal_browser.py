"""In Chromium at phone size: a moderator removes a member with a reason; the
member's page says so calmly, with the reason, and a reconnect does not bring
them back into the room."""

from __future__ import annotations

import pytest

from tests.e2e.helpers import PHONE, expect, signed_in_page
from tests.e2e.test_rooms_browser import COMMONS, SAM, SAM_PSEUDONYM, _enter_room

pytestmark = pytest.mark.e2e

LEAD, LEAD_PSEUDONYM = "harbour.lead", "Tidewater"
REASON = "Sharing another member's story without consent"

# What the page's automatic reconnect does: a new socket joins the room again.
REJOIN = """(roomId) => new Promise((resolve) => {
  const again = io({ transports: ["websocket"], forceNew: true });
  again.emit("room:join", { room_id: roomId, after_id: null }, (ack) => {
    again.disconnect();
    resolve(ack);
  });
})"""


def test_removed_member_is_told_why_and_does_not_rejoin(live_server, new_context):
    base = live_server.base_url
    sam = signed_in_page(new_context, base, SAM, SAM_PSEUDONYM, **PHONE)
    _enter_room(sam, base, COMMONS, SAM_PSEUDONYM)
    room_id = sam.locator("#room").get_attribute("data-room-id")

    lead = signed_in_page(new_context, base, LEAD, LEAD_PSEUDONYM, **PHONE)
    lead.goto(f"{base}/rooms/{room_id}/manage")
    row = lead.locator("ul.members > li").filter(has_text=SAM_PSEUDONYM)
    row.locator("input[name=m-reason]").fill(REASON)
    with lead.expect_navigation():
        row.get_by_role("button", name="Remove").click()

    status = sam.locator("#connection")
    expect(status).to_have_text(f"You were removed from this room. Reason: {REASON}")
    expect(sam.locator("#composer")).to_be_hidden()
    sam.screenshot(path="/tmp/holds-removed-390.png", full_page=False)

    # A reconnect is refused, and says why (to her only).
    refused = sam.evaluate(REJOIN, room_id)
    assert refused == {"ok": False, "error": "removed", "reason": REASON}

    # The room goes on without her: the lead's marker message never reaches
    # her page, and she is not among those present.
    _enter_room(lead, base, COMMONS, LEAD_PSEUDONYM)
    lead.fill("#body", "marker after the removal")
    lead.press("#body", "Enter")
    marker = lead.locator("#messages li.message").filter(has_text="marker after")
    expect(marker).to_have_count(1)
    expect(lead.locator("#presence li").filter(has_text=SAM_PSEUDONYM)).to_have_count(0)
    expect(
        sam.locator("#messages li.message").filter(has_text="marker after")
    ).to_have_count(0)
    expect(status).to_have_text(f"You were removed from this room. Reason: {REASON}")
