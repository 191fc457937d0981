"""Audit events as plain sentences: "Willow approved Robin's membership".

Only names the audit page already resolves (pseudonyms of the actor and target)
and the room's name fill a sentence; an unknown code falls back to itself."""

from __future__ import annotations

# action: (filter label, sentence). {actor}, {target}, {room} are filled in.
ACTIONS: dict[str, tuple[str, str]] = {
    "checklist.item_added": ("Vetting item added", "{actor} added a vetting item"),
    "checklist.item_removed": (
        "Vetting item removed",
        "{actor} removed a vetting item",
    ),
    "account.deleted": ("Account deleted", "{actor} deleted their account"),
    "account.exported": ("Data downloaded", "{actor} downloaded their own data"),
    "account.device_signed_out": (
        "Device signed out",
        "{actor} signed out one of their devices",
    ),
    "account.other_devices_signed_out": (
        "Other devices signed out",
        "{actor} signed out all their other devices",
    ),
    "account.erased": (
        "Account deleted by a lead",
        "{actor} deleted the account of {target}, whose membership had ended",
    ),
    "facilitator.named": (
        "Facilitator named",
        "{actor} named {target} a facilitator of {room}",
    ),
    "facilitator.unnamed": (
        "Facilitator unnamed",
        "{actor} ended {target}'s role as facilitator of {room}",
    ),
    "invitation.issued": ("Invitation issued", "{actor} issued an invitation code"),
    "invitation.revoked": ("Invitation revoked", "{actor} revoked an invitation code"),
    "invitation.used": ("Invitation used", "{actor} joined with an invitation code"),
    "lead.appointed": ("Lead appointed", "{actor} became a lead by invitation"),
    "member.banned": ("Banned from a room", "{actor} banned {target} from {room}"),
    "member.muted": ("Muted in a room", "{actor} muted {target} in {room}"),
    "member.removed": ("Removed from a room", "{actor} removed {target} from {room}"),
    "member.unbanned": ("Ban lifted", "{actor} lifted {target}'s ban from {room}"),
    "member.unmuted": ("Mute lifted", "{actor} unmuted {target} in {room}"),
    "membership.approved": (
        "Membership approved",
        "{actor} approved {target}'s membership",
    ),
    "membership.reinstated": (
        "Membership reinstated",
        "{actor} reinstated {target}'s membership",
    ),
    "membership.rejected": (
        "Membership request declined",
        "{actor} declined {target}'s membership request",
    ),
    "membership.requested": (
        "Membership requested",
        "{actor} asked to join the organization",
    ),
    "membership.role_changed": (
        "Role changed",
        "{actor} changed {target}'s role",
    ),
    "membership.suspended": (
        "Membership suspended",
        "{actor} suspended {target}'s membership",
    ),
    "message.hidden": ("Message hidden", "{actor} hid a message in {room}"),
    "message.pinned": ("Message pinned", "{actor} pinned a message in {room}"),
    "message.unpinned": ("Message unpinned", "{actor} unpinned a message in {room}"),
    "organization.created": (
        "Organization created",
        "{actor} created the organization",
    ),
    "organization.reinstated": (
        "Organization reinstated",
        "{actor} reinstated the organization",
    ),
    "organization.requests_toggled": (
        "Join requests switched",
        "{actor} switched join requests on or off",
    ),
    "organization.suspended": (
        "Organization suspended",
        "{actor} suspended the organization",
    ),
    "organization.two_factor_required": (
        "Two-factor requirement changed",
        "{actor} changed whether two-factor login is required",
    ),
    "password.changed": ("Password changed", "{actor} changed their password"),
    "password.reset": ("Password reset", "{actor} reset their password"),
    "reset_code.issued": (
        "Reset code issued",
        "{actor} issued a password reset code for {target}",
    ),
    "two_factor.disabled": (
        "Two-factor turned off",
        "{actor} turned off two-factor login",
    ),
    "two_factor.enabled": (
        "Two-factor turned on",
        "{actor} turned on two-factor login",
    ),
    "two_factor.recovery_renewed": (
        "Recovery codes renewed",
        "{actor} made new two-factor recovery codes",
    ),
    "two_factor.recovery_used": (
        "Recovery code used",
        "{actor} signed in with a two-factor recovery code",
    ),
    "two_factor.reset": (
        "Two-factor reset",
        "{actor} removed their two-factor login with a lead's code",
    ),
    "two_factor_reset.issued": (
        "Two-factor reset code issued",
        "{actor} issued a two-factor reset code for {target}",
    ),
    "report.filed": ("Report filed", "{actor} filed a report"),
    "report.forwarded": ("Report forwarded", "{actor} forwarded a report"),
    "report.in_review": ("Report taken up", "{actor} started reviewing a report"),
    "report.resolved": ("Report resolved", "{actor} resolved a report"),
    "resource.created": ("Resource added", "{actor} added a library resource"),
    "resource.deleted": ("Resource deleted", "{actor} deleted a library resource"),
    "resource.updated": ("Resource edited", "{actor} edited a library resource"),
    "room.archived": ("Room archived", "{actor} archived {room}"),
    "retention.bounds_set": (
        "Retention limits set",
        "{actor} set the network's message retention limits",
    ),
    "room.created": ("Room created", "{actor} created {room}"),
    "room.invited": ("Room invitation", "{actor} invited {target} to {room}"),
    "room.join_approved": (
        "Room request approved",
        "{actor} let {target} join {room}",
    ),
    "room.join_declined": (
        "Room request declined",
        "{actor} declined {target}'s request to join {room}",
    ),
    "room.join_requested": ("Room join requested", "{actor} asked to join {room}"),
    "room.locked": ("Room locked", "{actor} locked {room}"),
    "room.role_membership_ended": (
        "Room membership ended with a role",
        "{target} left {room} when their role ended",
    ),
    "room.slow_mode": ("Slow mode changed", "{actor} changed slow mode in {room}"),
    "room.unlocked": ("Room unlocked", "{actor} unlocked {room}"),
    "room.updated": ("Room settings changed", "{actor} changed the settings of {room}"),
    "rules.accepted": ("Ground rules accepted", "{actor} accepted the rules of {room}"),
    "rules.changed": ("Ground rules changed", "{actor} changed the rules of {room}"),
    "separation.filed": ("Separation set up", "{actor} set up a separation"),
    "separation.withdrawn": ("Separation withdrawn", "{actor} withdrew a separation"),
    "separation_request.asked": (
        "Separation by name asked",
        "{actor} asked for a separation by name for {target}",
    ),
    "separation_request.attached": (
        "Separation by name matched",
        "{actor} matched a separation request for {target}",
    ),
    "separation_request.declined": (
        "Separation by name declined",
        "{actor} declined a separation request for {target}",
    ),
    "separation_request.filed": (
        "Separation by name sent on",
        "{actor} sent on a separation request for {target}",
    ),
    "separation_request.withdrawn": (
        "Separation by name withdrawn",
        "{actor} withdrew a separation request for {target}",
    ),
    "session.cancelled": ("Session cancelled", "{actor} cancelled a session of {room}"),
    "session.scheduled": ("Session scheduled", "{actor} scheduled a session of {room}"),
    "support.private_room": (
        "One-to-one opened",
        "{actor} opened a one-to-one room with {target}",
    ),
    "trust.changed": (
        "Trust changed",
        "{actor} changed trust toward another organization",
    ),
}


def label(action: str) -> str:
    """A short plain label for an action code (the filter's option text)."""
    return ACTIONS.get(action, (action, ""))[0]


def sentence(event, names: dict[int, str], rooms: dict) -> str:
    """The event as a sentence, with only the names the page may show."""
    template = ACTIONS.get(event.action, (None, None))[1]
    actor = names.get(event.actor_id) or "The network"
    if template is None:
        return f"{actor}: {event.action}"
    room = rooms.get(event.room_id)
    text = template.format(
        actor=actor,
        target=names.get(event.target_account_id) or "someone",
        room=room.name if room is not None else "a room",
    )
    return text[0].upper() + text[1:]
