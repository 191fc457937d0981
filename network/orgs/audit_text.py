"""Audit events as plain sentences: "Willow approved Robin's membership".

Only names the audit page already resolves (pseudonyms of the actor and target)
and the room's name fill a sentence; an unknown code falls back to itself."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

# action: (filter label, sentence), both in the reader's language (lazy);
# %(actor)s, %(target)s, %(room)s are filled in, never inside the msgid.
ACTIONS: dict[str, tuple[LazyString, LazyString]] = {
    "checklist.item_added": (
        _l("Vetting item added"),
        _l("%(actor)s added a vetting item"),
    ),
    "checklist.item_removed": (
        _l("Vetting item removed"),
        _l("%(actor)s removed a vetting item"),
    ),
    "account.exported": (
        _l("Data downloaded"),
        _l("%(actor)s downloaded a copy of their data"),
    ),
    "account.deleted": (_l("Account deleted"), _l("%(actor)s deleted their account")),
    "account.device_signed_out": (
        _l("Device signed out"),
        _l("%(actor)s signed out one of their devices"),
    ),
    "account.other_devices_signed_out": (
        _l("Other devices signed out"),
        _l("%(actor)s signed out all their other devices"),
    ),
    "account.erased": (
        _l("Account deleted by a lead"),
        _l("%(actor)s deleted the account of %(target)s, whose membership had ended"),
    ),
    "facilitator.named": (
        _l("Facilitator named"),
        _l("%(actor)s named %(target)s a facilitator of %(room)s"),
    ),
    "facilitator.unnamed": (
        _l("Facilitator unnamed"),
        _l("%(actor)s ended %(target)s's role as facilitator of %(room)s"),
    ),
    "invitation.issued": (
        _l("Invitation issued"),
        _l("%(actor)s issued an invitation code"),
    ),
    "invitation.revoked": (
        _l("Invitation revoked"),
        _l("%(actor)s revoked an invitation code"),
    ),
    "invitation.used": (
        _l("Invitation used"),
        _l("%(actor)s joined with an invitation code"),
    ),
    "lead.appointed": (
        _l("Lead appointed"),
        _l("%(actor)s became a lead by invitation"),
    ),
    "member.banned": (
        _l("Banned from a room"),
        _l("%(actor)s banned %(target)s from %(room)s"),
    ),
    "member.muted": (
        _l("Muted in a room"),
        _l("%(actor)s muted %(target)s in %(room)s"),
    ),
    "member.removed": (
        _l("Removed from a room"),
        _l("%(actor)s removed %(target)s from %(room)s"),
    ),
    "member.unbanned": (
        _l("Ban lifted"),
        _l("%(actor)s lifted %(target)s's ban from %(room)s"),
    ),
    "member.unmuted": (
        _l("Mute lifted"),
        _l("%(actor)s unmuted %(target)s in %(room)s"),
    ),
    "membership.approved": (
        _l("Membership approved"),
        _l("%(actor)s approved %(target)s's membership"),
    ),
    "membership.reinstated": (
        _l("Membership reinstated"),
        _l("%(actor)s reinstated %(target)s's membership"),
    ),
    "membership.rejected": (
        _l("Membership request declined"),
        _l("%(actor)s declined %(target)s's membership request"),
    ),
    "membership.requested": (
        _l("Membership requested"),
        _l("%(actor)s asked to join the organization"),
    ),
    "membership.role_changed": (
        _l("Role changed"),
        _l("%(actor)s changed %(target)s's role"),
    ),
    "membership.suspended": (
        _l("Membership suspended"),
        _l("%(actor)s suspended %(target)s's membership"),
    ),
    "message.hidden": (_l("Message hidden"), _l("%(actor)s hid a message in %(room)s")),
    "message.pinned": (
        _l("Message pinned"),
        _l("%(actor)s pinned a message in %(room)s"),
    ),
    "message.unpinned": (
        _l("Message unpinned"),
        _l("%(actor)s unpinned a message in %(room)s"),
    ),
    "organization.created": (
        _l("Organization created"),
        _l("%(actor)s created the organization"),
    ),
    "organization.reinstated": (
        _l("Organization reinstated"),
        _l("%(actor)s reinstated the organization"),
    ),
    "organization.requests_toggled": (
        _l("Join requests switched"),
        _l("%(actor)s switched join requests on or off"),
    ),
    "organization.suspended": (
        _l("Organization suspended"),
        _l("%(actor)s suspended the organization"),
    ),
    "organization.two_factor_required": (
        _l("Two-factor requirement changed"),
        _l("%(actor)s changed whether two-factor login is required"),
    ),
    "password.changed": (
        _l("Password changed"),
        _l("%(actor)s changed their password"),
    ),
    "password.reset": (_l("Password reset"), _l("%(actor)s reset their password")),
    "reset_code.issued": (
        _l("Reset code issued"),
        _l("%(actor)s issued a password reset code for %(target)s"),
    ),
    "two_factor.disabled": (
        _l("Two-factor turned off"),
        _l("%(actor)s turned off two-factor login"),
    ),
    "two_factor.enabled": (
        _l("Two-factor turned on"),
        _l("%(actor)s turned on two-factor login"),
    ),
    "two_factor.recovery_renewed": (
        _l("Recovery codes renewed"),
        _l("%(actor)s made new two-factor recovery codes"),
    ),
    "two_factor.recovery_used": (
        _l("Recovery code used"),
        _l("%(actor)s signed in with a two-factor recovery code"),
    ),
    "two_factor.reset": (
        _l("Two-factor reset"),
        _l("%(actor)s removed their two-factor login with a lead's code"),
    ),
    "two_factor_reset.issued": (
        _l("Two-factor reset code issued"),
        _l("%(actor)s issued a two-factor reset code for %(target)s"),
    ),
    "report.filed": (_l("Report filed"), _l("%(actor)s filed a report")),
    "report.forwarded": (_l("Report forwarded"), _l("%(actor)s forwarded a report")),
    "report.in_review": (
        _l("Report taken up"),
        _l("%(actor)s started reviewing a report"),
    ),
    "report.resolved": (_l("Report resolved"), _l("%(actor)s resolved a report")),
    "resource.created": (
        _l("Resource added"),
        _l("%(actor)s added a library resource"),
    ),
    "resource.deleted": (
        _l("Resource deleted"),
        _l("%(actor)s deleted a library resource"),
    ),
    "resource.updated": (
        _l("Resource edited"),
        _l("%(actor)s edited a library resource"),
    ),
    "room.archived": (_l("Room archived"), _l("%(actor)s archived %(room)s")),
    "retention.bounds_set": (
        _l("Retention limits set"),
        _l("%(actor)s set the network's message retention limits"),
    ),
    "room.created": (_l("Room created"), _l("%(actor)s created %(room)s")),
    "room.invited": (
        _l("Room invitation"),
        _l("%(actor)s invited %(target)s to %(room)s"),
    ),
    "room.join_approved": (
        _l("Room request approved"),
        _l("%(actor)s let %(target)s join %(room)s"),
    ),
    "room.join_declined": (
        _l("Room request declined"),
        _l("%(actor)s declined %(target)s's request to join %(room)s"),
    ),
    "room.join_requested": (
        _l("Room join requested"),
        _l("%(actor)s asked to join %(room)s"),
    ),
    "room.locked": (_l("Room locked"), _l("%(actor)s locked %(room)s")),
    "room.role_membership_ended": (
        _l("Room membership ended with a role"),
        _l("%(target)s left %(room)s when their role ended"),
    ),
    "room.slow_mode": (
        _l("Slow mode changed"),
        _l("%(actor)s changed slow mode in %(room)s"),
    ),
    "room.unlocked": (_l("Room unlocked"), _l("%(actor)s unlocked %(room)s")),
    "room.updated": (
        _l("Room settings changed"),
        _l("%(actor)s changed the settings of %(room)s"),
    ),
    "rules.accepted": (
        _l("Ground rules accepted"),
        _l("%(actor)s accepted the rules of %(room)s"),
    ),
    "rules.changed": (
        _l("Ground rules changed"),
        _l("%(actor)s changed the rules of %(room)s"),
    ),
    "separation.filed": (_l("Separation set up"), _l("%(actor)s set up a separation")),
    "separation.withdrawn": (
        _l("Separation withdrawn"),
        _l("%(actor)s withdrew a separation"),
    ),
    "separation_request.asked": (
        _l("Separation by name asked"),
        _l("%(actor)s asked for a separation by name for %(target)s"),
    ),
    "separation_request.attached": (
        _l("Separation by name matched"),
        _l("%(actor)s matched a separation request for %(target)s"),
    ),
    "separation_request.declined": (
        _l("Separation by name declined"),
        _l("%(actor)s declined a separation request for %(target)s"),
    ),
    "separation_request.filed": (
        _l("Separation by name sent on"),
        _l("%(actor)s sent on a separation request for %(target)s"),
    ),
    "separation_request.withdrawn": (
        _l("Separation by name withdrawn"),
        _l("%(actor)s withdrew a separation request for %(target)s"),
    ),
    "session.cancelled": (
        _l("Session cancelled"),
        _l("%(actor)s cancelled a session of %(room)s"),
    ),
    "session.scheduled": (
        _l("Session scheduled"),
        _l("%(actor)s scheduled a session of %(room)s"),
    ),
    "support.private_room": (
        _l("One-to-one opened"),
        _l("%(actor)s opened a one-to-one room with %(target)s"),
    ),
    "trust.changed": (
        _l("Trust changed"),
        _l("%(actor)s changed trust toward another organization"),
    ),
}


def label(action: str) -> str:
    """A short plain label for an action code (the filter's option text)."""
    found = ACTIONS.get(action)
    return str(found[0]) if found else action


def sentence(event, names: dict[int, str], rooms: dict) -> str:
    """The event as a sentence, with only the names the page may show."""
    found = ACTIONS.get(event.action)
    actor = names.get(event.actor_id) or _("The network")
    if found is None:
        return f"{actor}: {event.action}"
    room = rooms.get(event.room_id)
    text = str(found[1]) % {
        "actor": actor,
        "target": names.get(event.target_account_id) or _("someone"),
        "room": room.name if room is not None else _("a room"),
    }
    return text[0].upper() + text[1:]
