"""An organization's audit log as its leads (and the admin) read it: newest
first, keyset-paginated by the event's public id, filtered by actor, action, room."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select

from network.extensions import db
from network.models import Account, AuditEvent, Organization, Profile, Room
from network.models import display_name
from network.orgs import audit_text

AUDIT_PAGE = 50


def filters(org: Organization, actor: str, action: str, room: str) -> dict:
    """The filters as asked: actor (profile public id), action, room (public id).
    An unknown actor or room matches nothing and is shown as asked."""
    actor_filter = None
    if actor:
        account_id = db.session.scalar(
            select(Profile.account_id).where(Profile.public_id == actor)
        )
        actor_filter = (account_id or -1, actor)
    room_filter = None
    if room:
        room_filter = db.session.scalar(
            select(Room).where(Room.public_id == room, Room.host_org_id == org.id)
        )
        room_filter = room_filter or Room(id=-1, public_id=room, name="")
    return {"actor": actor_filter, "action": action[:64], "room": room_filter}


def events(org: Organization, chosen: dict, before: str) -> list[AuditEvent]:
    """One page of the organization's events matching the filters, before a cursor."""
    stmt = select(AuditEvent).where(AuditEvent.organization_id == org.id)
    if chosen["actor"]:
        stmt = stmt.where(AuditEvent.actor_id == chosen["actor"][0])
    if chosen["action"]:
        stmt = stmt.where(AuditEvent.action == chosen["action"])
    if chosen["room"]:
        stmt = stmt.where(AuditEvent.room_id == chosen["room"].id)
    # The page cursor is the event's public id: an integer would count every
    # organization's events between two pages.
    if before:
        cursor = select(AuditEvent.id).where(
            AuditEvent.public_id == before, AuditEvent.organization_id == org.id
        )
        stmt = stmt.where(AuditEvent.id < cursor.scalar_subquery())
    return list(
        db.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE))
    )


def page(org: Organization, *, actor: str, action: str, room: str, before: str):
    """The audit page's context: events, names, the older cursor, filter choices."""
    chosen = filters(org, actor, action, room)
    found = events(org, chosen, before)
    names = pseudonyms(
        {e.actor_id for e in found} | {e.target_account_id for e in found}
    )
    org_actor_ids = set(
        db.session.scalars(
            select(AuditEvent.actor_id)
            .where(AuditEvent.organization_id == org.id)
            .distinct()
        )
    )
    rooms = {
        room.id: room
        for room in db.session.scalars(
            select(Room).where(Room.host_org_id == org.id).order_by(Room.name)
        )
    }
    return {
        "org": org,
        "events": found,
        "names": names,
        "older": found[-1].public_id if len(found) == AUDIT_PAGE else None,
        "actors": pseudonyms(org_actor_ids),
        "rooms": rooms,
        "filters": chosen,
        "profile_ids": _profile_ids([i for i in org_actor_ids if i]),
        "actions": _actions(org),
        "describe": lambda event: audit_text.sentence(event, names, rooms),
        "action_label": audit_text.label,
    }


def _profile_ids(account_ids: list[int]) -> dict[int, str]:
    return dict(
        db.session.execute(
            select(Profile.account_id, Profile.public_id).where(
                Profile.account_id.in_(account_ids)
            )
        ).all()
    )


def _actions(org: Organization) -> list[str]:
    return sorted(
        set(
            db.session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.organization_id == org.id)
                .distinct()
            )
        )
    )


def pseudonyms(account_ids: set[int | None]) -> dict[int, str]:
    """Display names of these accounts; a platform admin without a profile is
    "Platform admin"."""
    ids = [i for i in account_ids if i is not None]
    if not ids:
        return {}
    rows = db.session.execute(
        select(Profile.account_id, Profile.pseudonym, Profile.tag).where(
            Profile.account_id.in_(ids)
        )
    )
    names = {account_id: display_name(name, tag) for account_id, name, tag in rows}
    admins = db.session.scalars(
        select(Account.id).where(Account.id.in_(ids), Account.is_platform_admin)
    )
    for admin_id in admins:
        names.setdefault(admin_id, _("Platform admin"))
    # A deleted account has no profile left: events about it read "a former
    # member" (they store ids only, so deleting changes no audit row).
    deleted = db.session.scalars(
        select(Account.id).where(Account.id.in_(ids), Account.deleted_at.is_not(None))
    )
    for account_id in deleted:
        names.setdefault(account_id, _("a former member"))
    return names
