"""Room and message verbs, gathered from the modules that hold them, so callers
keep `from network.rooms import services`. Callers check permission first
(policy.access_*); verbs take `actor=` and commit once."""

from __future__ import annotations

from network.rooms.history import (
    CATCH_UP_PAGE,
    HISTORY_PAGE,
    cards_for,
    history,
    history_around,
    message_payload,
    message_rows,
    purge_expired,
    row_payload,
)
from network.rooms.manage import (
    archive_room,
    create_room,
    invitations,
    partner_choices,
    requestable,
    room_list,
    update_room,
)
from network.rooms.membership import (
    ensure_member,
    join,
    leave,
    mark_read,
    room_state,
    shut_out,
    socket_closed,
)
from network.rooms.messages import (
    RoomInputError,
    delete_message,
    edit_message,
    send_message,
    validate_text,
)
from network.rooms.people import (
    PRESENCE_LIMIT,
    emit_about,
    kept_apart_sids,
    org_alias,
    org_labels,
    person_payload,
    presence,
)
from network.rooms.support import (
    UNREACHABLE,
    ask_for_help,
    file_support_request,
    mark_handled,
    open_requests,
)

__all__ = [
    "CATCH_UP_PAGE",
    "HISTORY_PAGE",
    "PRESENCE_LIMIT",
    "UNREACHABLE",
    "RoomInputError",
    "archive_room",
    "ask_for_help",
    "cards_for",
    "create_room",
    "delete_message",
    "edit_message",
    "emit_about",
    "ensure_member",
    "file_support_request",
    "history",
    "history_around",
    "join",
    "invitations",
    "kept_apart_sids",
    "leave",
    "mark_handled",
    "mark_read",
    "message_payload",
    "message_rows",
    "open_requests",
    "org_alias",
    "org_labels",
    "partner_choices",
    "person_payload",
    "presence",
    "purge_expired",
    "requestable",
    "room_list",
    "shut_out",
    "room_state",
    "row_payload",
    "send_message",
    "socket_closed",
    "update_room",
    "validate_text",
]
