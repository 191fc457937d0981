"""Hypothesis: every payload shape for every client event gets a known ack."""

from __future__ import annotations

import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from network.payloads import SCHEMAS

KNOWN_ERRORS = {
    "bad_request",
    "not_found",
    "unauthorized",
    "rate_limited",
    "empty",
    "too_long",
    "slow_mode",
    "locked",
    "muted",
    "rules",
    "closed",
    "conversation_closed",
    "reason_required",
    "unreachable",
}
FIELDS = sorted({name for schema in SCHEMAS.values() for name in schema})

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(["\x00", "a\x00b", "x" * 70_000, "\u202e", "ROOM", "MESSAGE"]),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner),
    max_leaves=5,
)
payloads = st.one_of(
    st.dictionaries(st.sampled_from(FIELDS) | st.text(max_size=5), values),
    values,
)


def _real(value, world, message_id):
    """Stand-ins for a real room and a real message, so the happy path is hit."""
    if value == "ROOM":
        return world.room.public_id
    if value == "MESSAGE":
        return message_id
    return value


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(event=st.sampled_from(sorted(SCHEMAS)), payload=payloads)
def test_every_payload_gets_a_known_ack(app, world, connect, caplog, event, payload):
    app.config["SOCKET_RATELIMIT_ENABLED"] = False
    sock = connect(world.lead_a)
    sent = sock.emit(
        "message:send",
        {"room_id": world.room.public_id, "body": "x", "client_msg_id": "fuzz-0001"},
        callback=True,
    )
    if isinstance(payload, dict):
        payload = {k: _real(v, world, sent["id"]) for k, v in payload.items()}
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        ack = sock.emit(event, payload, callback=True)
    assert isinstance(ack, dict), (event, payload, ack)
    assert ack["ok"] is True or ack.get("error") in KNOWN_ERRORS, (event, ack)
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    sock.disconnect()
