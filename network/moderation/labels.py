"""Words the moderation pages show for stored codes (a report's target, a room
member's role and status), in the reader's language; the codes stay codes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TARGET_LABELS = {
    "message": _l("a message"),
    "profile": _l("a profile"),
    "resource": _l("a resource"),
}
ROLE_LABELS = {"member": _l("member"), "facilitator": _l("facilitator")}
MEMBER_STATUS_LABELS = {
    "active": _l("active"),
    "invited": _l("invited"),
    "requested": _l("requested"),
    "removed": _l("removed"),
    "banned": _l("banned"),
}


def template_globals() -> dict:
    """The labels as template globals (templates/moderation/)."""
    return {
        "target_labels": TARGET_LABELS,
        "role_labels": ROLE_LABELS,
        "status_labels": MEMBER_STATUS_LABELS,
    }
