"""Every permission and trust rule of the network, in one place.

Kinds of function, by prefix:
- ``can_*``     -> bool, for templates and branches;
- ``require_*`` -> returns nothing or raises NotFound;
- ``access_*``  -> fetches and checks in one call: the object, or the same NotFound
                   an absent object raises (deny is indistinguishable from absent);
- ``visible_*`` -> a query filter that must agree with the matching ``can_*``.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import has_request_context, request
from sqlalchemy import Select, and_, bindparam, event, exists, func, select, union
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm import aliased, lazyload

from network.errors import NotFound
from network.extensions import db
from network.models import (
    Account,
    Block,
    Message,
    Room,
    RoomMember,
    Invitation,
    Membership,
    Organization,
    OrgTrust,
    Profile,
    Report,
    Resource,
    ReviewOptOut,
    Role,
    RoomPartner,
    RoomPresence,
    RequestStatus,
    Separation,
    SeparationRequest,
    SupervisionSession,
    SupportRecipient,
    SupportRequest,
    Status,
    TrustLevel,
    VettingItem,
    utcnow,
)

ROLE_RANK = {Role.MEMBER: 0, Role.MODERATOR: 1, Role.LEAD: 2}


def _account(actor) -> Account | None:
    """Treat Flask-Login's anonymous user and None alike."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return actor


def is_admin(actor) -> bool:
    """The platform admin runs the network; it is not a member of any organization."""
    account = _account(actor)
    return bool(account and account.is_platform_admin)


def active_membership(actor) -> Membership | None:
    """The actor's membership if approved in an organization that is not suspended."""
    account = _account(actor)
    if account is None or account.membership is None:
        return None
    membership = account.membership
    if membership.status != Status.APPROVED or not membership.organization.is_active:
        return None
    return membership


def can_use_network(actor) -> bool:
    """Approved members of active organizations, and the platform admin."""
    return is_admin(actor) or active_membership(actor) is not None


def can_connect_socket(actor) -> bool:
    """The socket connect gate: same rule as using the network at all."""
    return can_use_network(actor)


def is_waiting(actor) -> bool:
    """Logged in, but pending, rejected, suspended, or in a suspended organization."""
    account = _account(actor)
    return account is not None and not can_use_network(account)


def lead_org(actor) -> Organization | None:
    """The organization the actor leads, if they are an active lead."""
    membership = active_membership(actor)
    if membership is None or membership.role != Role.LEAD:
        return None
    return membership.organization


def can_lead(actor) -> bool:
    """True for an approved lead of an active organization."""
    return lead_org(actor) is not None


def require_lead(actor) -> Organization:
    """The organization the actor leads, or NotFound."""
    org = lead_org(actor)
    if org is None:
        raise NotFound()
    return org


def require_admin(actor) -> None:
    """NotFound unless the actor is the platform admin."""
    if not is_admin(actor):
        raise NotFound()


# --- members, as a lead sees them -------------------------------------------------


def visible_memberships(stmt: Select, actor) -> Select:
    """Filter memberships to those the actor may manage (their own org, as lead)."""
    org = lead_org(actor)
    if org is None:
        return stmt.where(Membership.id.is_(None))
    return stmt.where(Membership.organization_id == org.id)


def can_manage_membership(actor, membership: Membership) -> bool:
    """A lead manages the memberships of their own organization only."""
    org = lead_org(actor)
    return org is not None and membership.organization_id == org.id


def access_membership(actor, profile_public_id: str) -> Membership:
    """A membership of the lead's own organization, by the member's public id."""
    stmt = (
        select(Membership)
        .join(Profile, Profile.account_id == Membership.account_id)
        .where(Profile.public_id == profile_public_id)
    )
    membership = db.session.scalar(visible_memberships(stmt, actor))
    if membership is None or not can_manage_membership(actor, membership):
        raise NotFound()
    return membership


def access_listed_member(actor, profile_public_id: str) -> Membership:
    """An approved or suspended member of the lead's organization (the members
    list's detail page); a pending or rejected one answers like a missing one."""
    membership = access_membership(actor, profile_public_id)
    if membership.status not in {Status.APPROVED, Status.SUSPENDED}:
        raise NotFound()
    return membership


def access_pending_request(actor, profile_public_id: str) -> Membership:
    """A pending join request to the lead's own organization."""
    membership = access_membership(actor, profile_public_id)
    if membership.status != Status.PENDING:
        raise NotFound()
    return membership


def can_change_status(actor, membership: Membership) -> bool:
    """Leads suspend and reinstate others in their org, never themselves."""
    return (
        can_manage_membership(actor, membership) and membership.account_id != actor.id
    )


def require_status_change(actor, membership: Membership) -> None:
    """Raise NotFound unless the actor may change this member's status."""
    if not can_change_status(actor, membership):
        raise NotFound()


def can_set_role(actor, membership: Membership, role: str) -> bool:
    """Leads set roles of approved members of their org, but not their own role."""
    return (
        can_change_status(actor, membership)
        and membership.status == Status.APPROVED
        and role in ROLE_RANK
    )


def can_issue_reset_code(actor, membership: Membership) -> bool:
    """A lead may issue a reset code to an approved or suspended member of their org."""
    return can_change_status(actor, membership) and membership.status in {
        Status.APPROVED,
        Status.SUSPENDED,
    }


# --- organization settings ---------------------------------------------------------


def access_invitation(actor, invitation_public_id: str) -> Invitation:
    """An invitation issued for the lead's own organization."""
    org = lead_org(actor)
    invitation = db.session.scalar(
        select(Invitation).where(Invitation.public_id == invitation_public_id)
    )
    if org is None or invitation is None or invitation.organization_id != org.id:
        raise NotFound()
    return invitation


def access_vetting_item(actor, item_id: int) -> VettingItem:
    """A checklist item of the lead's own organization."""
    org = lead_org(actor)
    item = db.session.get(VettingItem, item_id)
    if org is None or item is None or item.organization_id != org.id or not item.active:
        raise NotFound()
    return item


def access_org_audit(actor, org_public_id: str) -> Organization:
    """An organization's audit log: its own leads and the platform admin."""
    org = db.session.scalar(
        select(Organization).where(Organization.public_id == org_public_id)
    )
    if org is None:
        raise NotFound()
    if is_admin(actor):
        return org
    own = lead_org(actor)
    if own is None or own.id != org.id:
        raise NotFound()
    return org


def access_org_as_admin(actor, org_public_id: str) -> Organization:
    """Any organization, for the platform admin only."""
    require_admin(actor)
    org = db.session.scalar(
        select(Organization).where(Organization.public_id == org_public_id)
    )
    if org is None:
        raise NotFound()
    return org


def visible_join_targets(stmt: Select) -> Select:
    """Organizations a newcomer may ask to join: active and accepting requests."""
    return stmt.where(
        Organization.suspended_at.is_(None), Organization.accepts_requests.is_(True)
    )


# --- trust between organizations --------------------------------------------------


def trust_given(from_org_id: int, to_org_id: int) -> TrustLevel:
    """What one organization's leads give another (absent means none)."""
    level = db.session.scalar(
        select(OrgTrust.level).where(
            OrgTrust.from_org_id == from_org_id, OrgTrust.to_org_id == to_org_id
        )
    )
    return TrustLevel(level or 0)


def effective_trust(org_a_id: int, org_b_id: int) -> TrustLevel:
    """The lower of the two directions; an organization fully trusts itself."""
    if org_a_id == org_b_id:
        return TrustLevel.MESSAGE
    return min(trust_given(org_a_id, org_b_id), trust_given(org_b_id, org_a_id))


# Built once: an aliased() entity costs more to build than the query it joins
# (22% of a message's CPU when it was made per call).
_TRUST_MINE, _TRUST_THEIRS = aliased(OrgTrust), aliased(OrgTrust)


def trusted_org_ids(org_id: int, level: TrustLevel) -> Select:
    """Other active organizations whose effective trust with org_id is >= level."""
    mine, theirs = _TRUST_MINE, _TRUST_THEIRS
    return (
        select(mine.to_org_id)
        .join(
            theirs,
            (theirs.from_org_id == mine.to_org_id)
            & (theirs.to_org_id == mine.from_org_id),
        )
        .join(Organization, Organization.id == mine.to_org_id)
        .where(
            mine.from_org_id == org_id,
            mine.level >= int(level),
            theirs.level >= int(level),
            Organization.suspended_at.is_(None),
        )
    )


def access_trust_target(actor, org_public_id: str) -> Organization:
    """Another active organization a lead may set trust toward."""
    own = lead_org(actor)
    org = db.session.scalar(
        select(Organization).where(Organization.public_id == org_public_id)
    )
    if own is None or org is None or org.id == own.id or not org.is_active:
        raise NotFound()
    return org


# --- person to person: blocks and separation -----------------------------------------


def _id(person) -> int:
    return person if isinstance(person, int) else person.id


def blocked(a, b) -> bool:
    """True if either person blocked the other (blocks work both ways)."""
    a_id, b_id = _id(a), _id(b)
    return (
        db.session.scalar(
            select(Block.id).where(
                ((Block.blocker_id == a_id) & (Block.blocked_id == b_id))
                | ((Block.blocker_id == b_id) & (Block.blocked_id == a_id))
            )
        )
        is not None
    )


def blocked_ids(account_id: int) -> Select:
    """Accounts that blocked, or were blocked by, this account."""
    return (
        select(Block.blocked_id)
        .where(Block.blocker_id == account_id)
        .union(select(Block.blocker_id).where(Block.blocked_id == account_id))
    )


def separated(a, b) -> bool:
    """True if a separation keeps the two people apart, in either direction."""
    a_id, b_id = _id(a), _id(b)
    return (
        db.session.scalar(
            select(Separation.id).where(
                ((Separation.protected_id == a_id) & (Separation.other_id == b_id))
                | ((Separation.protected_id == b_id) & (Separation.other_id == a_id))
            )
        )
        is not None
    )


def separated_ids(account_id: int) -> Select:
    """The query-filter twin of separated(): everyone kept apart from this account."""
    return (
        select(Separation.other_id)
        .where(Separation.protected_id == account_id)
        .union(select(Separation.protected_id).where(Separation.other_id == account_id))
    )


def kept_apart(a, b) -> bool:
    """Blocked either way, or separated: the two never see each other."""
    return blocked(a, b) or separated(a, b)


# --- profiles ------------------------------------------------------------------------


def can_see_profile(actor, profile: Profile) -> bool:
    """Self always. Otherwise an approved member of an active organization who is
    not blocked or separated, in the viewer's own organization, or in one at
    effective trust `see` or above and not hidden from other organizations."""
    account = _account(actor)
    if account is None:
        return False
    if profile.account_id == account.id:
        return True
    mine = active_membership(account)
    theirs = profile.account.membership
    if mine is None or theirs is None or theirs.status != Status.APPROVED:
        return False
    if not theirs.organization.is_active or kept_apart(account, profile.account_id):
        return False
    if theirs.organization_id == mine.organization_id:
        return True
    if profile.hidden_from_other_orgs:
        return False
    return (
        effective_trust(mine.organization_id, theirs.organization_id) >= TrustLevel.SEE
    )


def visible_profiles(stmt: Select, actor) -> Select:
    """Filter a Profile query to exactly the profiles can_see_profile allows."""
    account = _account(actor)
    if account is None:
        return stmt.where(Profile.id.is_(None))
    mine = active_membership(account)
    if mine is None:
        return stmt.where(Profile.account_id == account.id)
    others = (
        select(Membership.account_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .join(Profile, Profile.account_id == Membership.account_id)
        .where(
            Membership.status == Status.APPROVED,
            Organization.suspended_at.is_(None),
            Membership.account_id.not_in(blocked_ids(account.id)),
            Membership.account_id.not_in(separated_ids(account.id)),
            (Membership.organization_id == mine.organization_id)
            | (
                Profile.hidden_from_other_orgs.is_(False)
                & Membership.organization_id.in_(
                    trusted_org_ids(mine.organization_id, TrustLevel.SEE)
                )
            ),
        )
    )
    return stmt.where(
        (Profile.account_id == account.id) | Profile.account_id.in_(others)
    )


def access_profile(actor, public_id: str) -> Profile:
    """A profile the actor may see, or the NotFound a missing profile gives.
    Fetched through visible_profiles in one query, so a hidden profile and a
    missing one run the same statements (no timing oracle)."""
    profile = db.session.scalar(
        visible_profiles(select(Profile).where(Profile.public_id == public_id), actor)
    )
    if profile is None:
        raise NotFound()
    return profile


def can_see_org_name(actor, membership: Membership) -> bool:
    """Organization names show at effective `see` or above (and in one's own)."""
    mine = active_membership(actor)
    if mine is None:
        return False
    level = effective_trust(mine.organization_id, membership.organization_id)
    return level >= TrustLevel.SEE


def org_label(actor, membership: Membership) -> str:
    """The organization's name, or "partner organization" where it may not show."""
    if can_see_org_name(actor, membership):
        return membership.organization.name
    return "partner organization"


def can_collaborate(org_a_id: int, org_b_id: int) -> bool:
    """Partner rooms and partner resources: effective `collaborate` or above."""
    return effective_trust(org_a_id, org_b_id) >= TrustLevel.COLLABORATE


def can_request_message(actor, other: Account) -> bool:
    """Message requests: effective `message`, and neither blocked nor separated."""
    mine = active_membership(actor)
    theirs = active_membership(other)
    if mine is None or theirs is None or _account(actor).id == other.id:
        return False
    if kept_apart(actor, other):
        return False
    return effective_trust(mine.organization_id, theirs.organization_id) >= (
        TrustLevel.MESSAGE
    )


def can_block(actor, profile: Profile) -> bool:
    """Anyone may block a person whose profile they can see, except themselves."""
    return can_see_profile(actor, profile) and profile.account_id != actor.id


def access_separation(actor, public_id: str) -> Separation:
    """A separation only its protected person, or the lead who filed it, may see."""
    account = _account(actor)
    row = db.session.scalar(select(Separation).where(Separation.public_id == public_id))
    if account is None or row is None:
        raise NotFound()
    if row.protected_id == account.id and can_use_network(account):
        return row
    if row.filed_by_id == account.id and row.protected_id != account.id:
        org = lead_org(account)
        protected = db.session.get(Account, row.protected_id)
        if org is not None and protected.membership is not None:
            if protected.membership.organization_id == org.id:
                return row
    raise NotFound()


def access_block(actor, public_id) -> Block:
    """One of the actor's own blocks, by its public id; nobody else ever sees a
    block. One query: someone else's block and a missing one take the same path."""
    account = _account(actor)
    row = None
    if isinstance(public_id, str):
        row = db.session.scalar(
            select(Block).where(
                Block.public_id == public_id,
                Block.blocker_id == (account.id if account else None),
            )
        )
    if row is None:
        raise NotFound()
    return row


def visible_separations(stmt: Select, actor) -> Select:
    """Separations the actor may see: protecting them, or filed by them as a lead."""
    account = _account(actor)
    if account is None:
        return stmt.where(Separation.id.is_(None))
    org = lead_org(account)
    filed = Separation.id.is_(None)
    if org is not None:
        own_members = select(Membership.account_id).where(
            Membership.organization_id == org.id
        )
        filed = (Separation.filed_by_id == account.id) & Separation.protected_id.in_(
            own_members
        )
    return stmt.where((Separation.protected_id == account.id) | filed)


def protected_from_any(actor, account_ids) -> bool:
    """True if the actor is protected from one of these people (for the private
    "someone you asked to be kept apart from is here" notice). The other person
    is never told."""
    account = _account(actor)
    ids = list(account_ids)
    if account is None or not ids:
        return False
    return (
        db.session.scalar(
            select(Separation.id).where(
                Separation.protected_id == account.id, Separation.other_id.in_(ids)
            )
        )
        is not None
    )


def protected_in_room(actor, room: Room) -> bool:
    """protected_from_any for everyone who joined the room: one EXISTS, whatever
    the number of members (no member id leaves the database)."""
    account = _account(actor)
    if account is None:
        return False
    here = exists().where(
        Separation.protected_id == account.id,
        RoomMember.room_id == room.id,
        RoomMember.account_id == Separation.other_id,
    )
    return bool(db.session.scalar(select(here)))


def access_own_member_for_separation(actor, profile_public_id: str) -> Membership:
    """A lead files a separation for an approved member of their own organization."""
    membership = access_membership(actor, profile_public_id)
    if membership.status != Status.APPROVED:
        raise NotFound()
    return membership


# --- confidential separation requests (a name, not a profile) ------------------------
# The requester side (the protected member, their organization's leads) sees its
# own requests; leads of every other active organization see open ones, without
# the protected person or the requesting organization. Nothing matches by name.

REQUEST_LIVE = (RequestStatus.ASKED, RequestStatus.OPEN, RequestStatus.ATTACHED)


def can_see_separation_request(actor, row: SeparationRequest) -> bool:
    """The protected member, or a lead of the organization that asked."""
    account = _account(actor)
    if account is None or not can_use_network(account):
        return False
    if row.protected_id == account.id:
        return True
    org = lead_org(account)
    return org is not None and org.id == row.organization_id


def visible_own_separation_requests(stmt: Select, actor) -> Select:
    """Requests the actor may follow on the requesting side (twin of the can_)."""
    account = _account(actor)
    if account is None or not can_use_network(account):
        return stmt.where(SeparationRequest.id.is_(None))
    org = lead_org(account)
    mine = SeparationRequest.protected_id == account.id
    if org is None:
        return stmt.where(mine)
    return stmt.where(mine | (SeparationRequest.organization_id == org.id))


def access_separation_request(actor, public_id: str) -> SeparationRequest:
    """A request on the actor's own side, or the NotFound a missing one gives."""
    row = db.session.scalar(
        select(SeparationRequest).where(SeparationRequest.public_id == public_id)
    )
    if row is None or not can_see_separation_request(actor, row):
        raise NotFound()
    return row


def can_withdraw_separation_request(actor, row: SeparationRequest) -> bool:
    """The protected member, or the lead who filed it while still its lead."""
    if row.status not in REQUEST_LIVE or not can_see_separation_request(actor, row):
        return False
    account = _account(actor)
    return row.protected_id == account.id or (
        row.filed_by_id == account.id and lead_org(account) is not None
    )


def can_file_asked_request(actor, row: SeparationRequest) -> bool:
    """A lead of the member's organization shares (or declines) a member's ask."""
    org = lead_org(actor)
    return (
        org is not None
        and row.organization_id == org.id
        and row.status == RequestStatus.ASKED
        and row.protected_id != _account(actor).id
    )


def can_attach_separation_request(actor, row: SeparationRequest) -> bool:
    """Leads of every other active organization may attach an open request."""
    org = lead_org(actor)
    if org is None or row.status != RequestStatus.OPEN:
        return False
    if row.organization_id is None or row.organization_id == org.id:
        return False
    return db.session.get(Organization, row.organization_id).is_active


def visible_separation_requests(stmt: Select, actor) -> Select:
    """Open requests of other active organizations (twin of can_attach_...)."""
    org = lead_org(actor)
    if org is None:
        return stmt.where(SeparationRequest.id.is_(None))
    active = select(Organization.id).where(
        Organization.suspended_at.is_(None), Organization.id != org.id
    )
    return stmt.where(
        SeparationRequest.status == RequestStatus.OPEN,
        SeparationRequest.organization_id.in_(active),
    )


def access_open_request_for_attach(actor, public_id: str) -> SeparationRequest:
    """An open request another organization's lead may attach, or NotFound."""
    row = db.session.scalar(
        select(SeparationRequest).where(SeparationRequest.public_id == public_id)
    )
    if row is None or not can_attach_separation_request(actor, row):
        raise NotFound()
    return row


# --- rooms ---------------------------------------------------------------------------

ROOM_MANAGER_ROLES = {Role.LEAD, Role.MODERATOR}


def kept_apart_ids(account_id: int) -> Select:
    """Everyone this account is blocked with or separated from, either way."""
    return union(*blocked_ids(account_id).selects, *separated_ids(account_id).selects)


def room_apart_ids(account_id: int) -> Select:
    """Everyone kept apart from this account wherever people meet in a room:
    blocked or separated either way, and members of other organizations whose
    effective trust with the account's organization is below `collaborate`."""
    org_id = (
        select(Membership.organization_id)
        .where(Membership.account_id == account_id)
        .scalar_subquery()
    )
    distrusted = select(Membership.account_id).where(
        Membership.organization_id != org_id,
        Membership.organization_id.not_in(
            trusted_org_ids(org_id, TrustLevel.COLLABORATE)
        ),
    )
    return union(*kept_apart_ids(account_id).selects, distrusted)


def apart_in_rooms(a, b) -> bool:
    """The yes/no twin of room_apart_ids: the two never see each other in a room."""
    if _id(a) == _id(b):
        return False
    if kept_apart(a, b):
        return True
    first = db.session.get(Account, _id(a))
    second = db.session.get(Account, _id(b))
    mine = first.membership if first is not None else None
    theirs = second.membership if second is not None else None
    if mine is None or theirs is None:
        return False
    if mine.organization_id == theirs.organization_id:
        return False
    if not theirs.organization.is_active:
        return True
    return not can_collaborate(mine.organization_id, theirs.organization_id)


def can_meet_in_room(actor, account_id: int) -> bool:
    """Whether the actor may see this person in a room (themselves always)."""
    account = _account(actor)
    if account is None:
        return False
    return account.id == account_id or not apart_in_rooms(account, account_id)


def visible_room_people(stmt: Select, actor, account_column) -> Select:
    """Filter any list of people shown in or about a room (presence, members,
    invitations, check-ins) to those the actor may meet: twin of can_meet_in_room."""
    account = _account(actor)
    if account is None:
        return stmt.where(account_column.is_(None))
    return stmt.where(room_people_criterion(account_column, account.id))


def room_people_criterion(account_column, account_id):
    """visible_room_people's condition for a signed-in viewer; account_id may be a
    bound parameter (statements built once, bound per request)."""
    return (account_column == account_id) | account_column.not_in(
        room_apart_ids(account_id)
    )


def partners_apart(room: Room) -> bool:
    """True when two organizations admitted to a partner room work together below
    `collaborate`, so their members do not see each other there. Which pair is not
    said: trust between two other organizations is not the host's to know."""
    if room.visibility != "partners" or room.private:
        return False
    admitted = set(
        db.session.scalars(trusted_org_ids(room.host_org_id, TrustLevel.COLLABORATE))
    )
    if room.partner_org_ids:
        admitted &= room.partner_org_ids
    if len(admitted) < 2:
        return False
    given = set(
        db.session.execute(
            select(OrgTrust.from_org_id, OrgTrust.to_org_id).where(
                OrgTrust.from_org_id.in_(admitted),
                OrgTrust.to_org_id.in_(admitted),
                OrgTrust.level >= int(TrustLevel.COLLABORATE),
            )
        ).tuples()
    )
    return any(
        (a, b) not in given or (b, a) not in given
        for a in admitted
        for b in admitted
        if a < b
    )


def room_manager_org(actor) -> Organization | None:
    """The organization whose rooms the actor may create and edit (lead, moderator)."""
    membership = active_membership(actor)
    if membership is None or membership.role not in ROOM_MANAGER_ROLES:
        return None
    return membership.organization


def _room_member(actor, room: Room) -> RoomMember | None:
    account = _account(actor)
    if account is None:
        return None
    return db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == account.id
        )
    )


def _in_audience(membership: Membership, room: Room) -> bool:
    """The host's members, and for partner rooms organizations at `collaborate`
    or above with the host (or the host's chosen subset of them)."""
    if membership.organization_id == room.host_org_id:
        return True
    if room.visibility != "partners" or room.private:
        return False
    subset = room.partner_org_ids
    if subset and membership.organization_id not in subset:
        return False
    return can_collaborate(room.host_org_id, membership.organization_id)


def _room_usable(room: Room) -> bool:
    host = db.session.get(Organization, room.host_org_id)
    return room.archived_at is None and host is not None and host.is_active


def is_host_manager(actor, room: Room) -> bool:
    """A lead or moderator of the room's host organization."""
    membership = active_membership(actor)
    return (
        membership is not None
        and membership.organization_id == room.host_org_id
        and membership.role in ROOM_MANAGER_ROLES
    )


def _row_counts(actor, row: RoomMember, room: Room) -> bool:
    """A row made only because of a role (a lead or moderator opening a room or a
    one-to-one space) counts only while the role lasts: access ends with it."""
    return not row.via_role or is_host_manager(actor, room)


def can_moderate(actor, room: Room) -> bool:
    """Host leads and moderators, and the room's named facilitators. A moderator of
    another organization has no power here, even as a member of the room. A
    one-to-one space is moderated by its own facilitator only."""
    known = _memoized(actor, room)
    if known is not None:
        return known.moderates
    if not _room_usable(room) or active_membership(actor) is None:
        return False
    return _moderates(actor, room, _room_member(actor, room))


def _moderates(actor, room: Room, row: RoomMember | None) -> bool:
    """can_moderate for a usable room and an active member whose row is in hand."""
    if is_host_manager(actor, room) and not room.private:
        return True
    if row is None or not _row_counts(actor, row, room):
        return False
    return row.role == "facilitator" and row.status == "active"


def can_join_room(actor, room: Room) -> bool:
    """Channels: the audience (host, or partners) unless banned. Supervision rooms:
    host managers and the room's active members (invited or approved)."""
    membership = active_membership(actor)
    if membership is None or not _room_usable(room):
        return False
    row = _room_member(actor, room)
    if row is not None and row.status == "banned":
        return False
    if room.kind == "channel":
        return _in_audience(membership, room)
    if row is not None and row.status == "active" and _row_counts(actor, row, room):
        return room.private or _in_audience(membership, room)
    return not room.private and is_host_manager(actor, room)


def can_request_to_join(actor, room: Room) -> bool:
    """A supervision room in one's audience that one is not (yet) part of."""
    membership = active_membership(actor)
    if membership is None or not _room_usable(room) or room.kind != "supervision":
        return False
    if room.private or not _in_audience(membership, room):
        return False
    return not can_join_room(actor, room) and _room_member(actor, room) is None


def _room_by_public_id(room_public_id) -> Room | None:
    if not isinstance(room_public_id, str):
        return None
    return db.session.scalar(select(Room).where(Room.public_id == room_public_id))


def access_requestable_room(actor, room_public_id) -> Room:
    """A supervision room the actor may ask to join (can_request_to_join)."""
    room = _room_by_public_id(room_public_id)
    if room is None or not can_request_to_join(actor, room):
        raise NotFound()
    return room


def access_room_invitation(actor, room_public_id) -> tuple[Room, RoomMember]:
    """A room the actor is invited to, with their invited member row."""
    room = _room_by_public_id(room_public_id)
    account = _account(actor)
    if room is None or account is None:
        raise NotFound()
    row = db.session.scalar(
        select(RoomMember).where(
            RoomMember.room_id == room.id, RoomMember.account_id == account.id
        )
    )
    if row is None or row.status != "invited":
        raise NotFound()
    return room, row


def visible_rooms(stmt: Select, actor) -> Select:
    """Filter a Room query to exactly the rooms can_join_room allows."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(Room.id.is_(None))
    return stmt.where(
        *_visible_room_criteria(
            membership.organization_id,
            membership.account_id,
            membership.role in ROOM_MANAGER_ROLES,
        )
    )


def _visible_room_criteria(org_id, account_id, is_manager: bool) -> tuple:
    """visible_rooms' conditions; org_id and account_id may be bound parameters
    (the hot paths build the statement once and bind them per event)."""
    audience = (Room.host_org_id == org_id) | (
        (Room.visibility == "partners")
        & Room.private.is_(False)
        & Room.host_org_id.in_(trusted_org_ids(org_id, TrustLevel.COLLABORATE))
        & (~Room.partners.any() | Room.partners.any(RoomPartner.org_id == org_id))
    )

    def rows(status: str):
        return select(RoomMember.room_id).where(
            RoomMember.account_id == account_id, RoomMember.status == status
        )

    manager = (
        (Room.host_org_id == org_id) & Room.private.is_(False)
        if is_manager
        else Room.id.is_(None)
    )
    joined = Room.id.in_(rows("active").where(RoomMember.via_role.is_(False)))
    if is_manager:  # rows from a role count while the role lasts (_row_counts)
        joined = joined | (Room.id.in_(rows("active")) & (Room.host_org_id == org_id))
    supervision = (Room.kind == "supervision") & (
        (joined & (Room.private | audience)) | manager
    )
    return (
        Room.archived_at.is_(None),
        Room.host_org_id.in_(
            select(Organization.id).where(Organization.suspended_at.is_(None))
        ),
        ((Room.kind == "channel") & audience) | supervision,
        Room.id.not_in(rows("banned")),
    )


def requestable_rooms(stmt: Select, actor) -> Select:
    """Supervision rooms the actor may ask to join (twin of can_request_to_join)."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(Room.id.is_(None))
    org_id = membership.organization_id
    mine = select(RoomMember.room_id).where(
        RoomMember.account_id == membership.account_id
    )
    audience = (Room.host_org_id == org_id) | (
        (Room.visibility == "partners")
        & Room.host_org_id.in_(trusted_org_ids(org_id, TrustLevel.COLLABORATE))
        & (~Room.partners.any() | Room.partners.any(RoomPartner.org_id == org_id))
    )
    not_manager = (
        Room.host_org_id != org_id
        if membership.role in ROOM_MANAGER_ROLES
        else Room.id.is_not(None)
    )
    return stmt.where(
        Room.kind == "supervision",
        Room.private.is_(False),
        Room.archived_at.is_(None),
        Room.host_org_id.in_(
            select(Organization.id).where(Organization.suspended_at.is_(None))
        ),
        audience,
        not_manager,
        Room.id.not_in(mine),
    )


@dataclass(frozen=True)
class RoomAccess:
    """What access_room_context fetched: the room, the actor's member row (None
    before the first join), their membership, and whether they moderate it."""

    room: Room
    row: RoomMember | None
    membership: Membership
    moderates: bool


def _access_memo() -> dict:
    """Access contexts of this request or socket event (each event gets its own
    request object; the app context, and so flask.g, may be shared)."""
    if not has_request_context():
        return {}
    memo = getattr(request, "_network_room_access", None)
    if memo is None:
        memo = {}
        request._network_room_access = memo
    return memo


def _forget_access(_session) -> None:
    """A commit or rollback may change rows and roles: later checks in the same
    event fetch again (no SQL here: this runs inside SQLAlchemy's hooks)."""
    if has_request_context():
        request.__dict__.pop("_network_room_access", None)


event.listen(OrmSession, "after_commit", _forget_access)
event.listen(
    OrmSession, "after_soft_rollback", lambda session, _tx: _forget_access(session)
)


def _memoized(actor, room: Room) -> RoomAccess | None:
    account = _account(actor)
    if account is None:
        return None
    return _access_memo().get((account.id, room.id))


@functools.cache
def _room_with_row(is_manager: bool) -> Select:
    """The room, if visible to the actor, with the actor's member row (outer
    join). Built once per role kind, with the actor and room bound per call:
    building this statement cost more than running it."""
    own_row = and_(
        RoomMember.room_id == Room.id,
        RoomMember.account_id == bindparam("account_id"),
    )
    return (
        select(Room, RoomMember)
        .outerjoin(RoomMember, own_row)
        .where(
            Room.public_id == bindparam("room_public_id"),
            *_visible_room_criteria(
                bindparam("org_id"), bindparam("account_id"), is_manager
            ),
        )
        .options(lazyload(Room.partners))
        .execution_options(populate_existing=True)
    )


def access_room_context(actor, room_public_id) -> RoomAccess:
    """A room the actor may join with what the check fetched, or the NotFound a
    missing room gives. One query through the visible_rooms filter: denied and
    missing run the same statements."""
    if not isinstance(room_public_id, str):
        raise NotFound()
    membership = active_membership(actor)
    if membership is None:
        raise NotFound()
    found = db.session.execute(
        _room_with_row(membership.role in ROOM_MANAGER_ROLES),
        {
            "room_public_id": room_public_id,
            "org_id": membership.organization_id,
            "account_id": membership.account_id,
        },
    ).first()
    if found is None:
        raise NotFound()
    room, row = found
    access = RoomAccess(room, row, membership, _moderates(actor, room, row))
    _access_memo()[(actor.id, room.id)] = access
    return access


def access_room(actor, room_public_id) -> Room:
    """A room the actor may join, or the NotFound a missing room gives."""
    return access_room_context(actor, room_public_id).room


def can_manage_room(actor, room: Room) -> bool:
    """The yes/no twin of access_managed_room, for a room already in hand."""
    org = room_manager_org(actor)
    return org is not None and room.host_org_id == org.id and room.archived_at is None


def access_managed_room(actor, room_public_id: str) -> Room:
    """A room of the actor's organization that they manage (lead or moderator)."""
    org = room_manager_org(actor)
    room = db.session.scalar(
        select(Room).where(
            Room.public_id == room_public_id,
            Room.host_org_id == (org.id if org else None),
            Room.archived_at.is_(None),
        )
    )
    if room is None:
        raise NotFound()
    return room


def session_running(room: Room, now=None) -> SupervisionSession | None:
    """The supervision session running in the room now, if any."""
    now = now or utcnow()
    return db.session.scalar(
        select(SupervisionSession)
        .where(
            SupervisionSession.room_id == room.id,
            SupervisionSession.cancelled_at.is_(None),
            SupervisionSession.starts_at <= now,
            SupervisionSession.ends_at > now,
        )
        .limit(1)
    )


def facilitator_ids(room: Room) -> Select:
    """Accounts who facilitate the room: named facilitators and host managers."""
    named = select(RoomMember.account_id).where(
        RoomMember.room_id == room.id,
        RoomMember.role == "facilitator",
        RoomMember.status == "active",
    )
    managers = select(Membership.account_id).where(
        Membership.organization_id == room.host_org_id,
        Membership.status == Status.APPROVED,
        Membership.role.in_([str(role) for role in ROOM_MANAGER_ROLES]),
    )
    return union(named, managers)


def facilitator_present(room: Room) -> bool:
    """True while a facilitator has the room open."""
    return (
        db.session.scalar(
            select(RoomPresence.sid)
            .where(
                RoomPresence.room_id == room.id,
                RoomPresence.account_id.in_(facilitator_ids(room)),
            )
            .limit(1)
        )
        is not None
    )


def room_open(room: Room) -> bool:
    """Channels are always open; supervision rooms only when supervised."""
    if room.kind != "supervision":
        return True
    return session_running(room) is not None or facilitator_present(room)


def post_refusal(actor, room: Room) -> str | None:
    """Why the actor may not post in the room now, or None when they may."""
    known = _memoized(actor, room)
    if known is not None:
        return refusal(known)
    if not can_join_room(actor, room):
        return "not_found"
    row = _room_member(actor, room)
    return _refusal(room, row, can_moderate(actor, room))


def refusal(access: RoomAccess, *, is_open: bool | None = None) -> str | None:
    """post_refusal for an access context (join rights were checked by access).
    A caller that already knows whether the room is open (room_open) passes it."""
    return _refusal(access.room, access.row, access.moderates, is_open)


def _refusal(
    room: Room, row: RoomMember | None, moderator: bool, is_open: bool | None = None
) -> str | None:
    if row is not None and row.muted_until is not None and row.muted_until > utcnow():
        return "muted"
    if room.locked and not moderator:
        return "locked"
    if room.kind == "supervision" and not moderator:
        if row is None or row.rules_accepted_at is None:
            return "rules"
        if not (room_open(room) if is_open is None else is_open):
            return "closed"
    return None


def can_post(actor, room: Room) -> bool:
    """Join rights, not muted, not locked, and for supervision: rules accepted and
    the room supervised right now."""
    return post_refusal(actor, room) is None


def can_see_message(actor, message: Message) -> bool:
    """Room access, and the author is not blocked or separated from the viewer."""
    room = db.session.get(Room, message.room_id)
    if room is None or not can_join_room(actor, room):
        return False
    return can_meet_in_room(actor, message.author_id)


def visible_messages(stmt: Select, actor) -> Select:
    """Hide messages of people kept apart from the viewer in rooms (the room is
    checked by the caller with access_room)."""
    account = _account(actor)
    if account is None:
        return stmt.where(Message.id.is_(None))
    return visible_room_people(stmt, account, Message.author_id)


def _message_by_public_id(room: Room, public_id) -> Select:
    """Messages of this room with this public id (members never see integer ids)."""
    if not isinstance(public_id, str):
        public_id = None  # a number or anything else is simply not found
    return select(Message).where(
        Message.public_id == public_id, Message.room_id == room.id
    )


def access_message_position(actor, room: Room, public_id) -> int:
    """The place in the room's order of a message the client saw (for keyset
    paging and read positions). Another room's id or a guess: NotFound."""
    stmt = _message_by_public_id(room, public_id).with_only_columns(Message.id)
    position = db.session.scalar(stmt)
    if position is None or _account(actor) is None:
        raise NotFound()
    return position


def access_own_message(actor, room: Room, public_id) -> Message:
    """One of the actor's own, undeleted messages in a room they may use."""
    message = db.session.scalar(
        _message_by_public_id(room, public_id).where(
            Message.author_id == actor.id,
            Message.deleted_at.is_(None),
            Message.hidden_at.is_(None),
        )
    )
    if message is None:
        raise NotFound()
    return message


def access_moderated_room(actor, room_public_id) -> Room:
    """A room the actor moderates (host lead/moderator or facilitator)."""
    if not isinstance(room_public_id, str):
        raise NotFound()
    room = db.session.scalar(select(Room).where(Room.public_id == room_public_id))
    if room is None or not can_moderate(actor, room):
        raise NotFound()
    return room


def access_room_message(actor, room: Room, public_id) -> Message:
    """A message of this room the actor can see (one query, so a kept-apart
    author's message answers like a missing one, in the same time)."""
    message = db.session.scalar(
        visible_messages(_message_by_public_id(room, public_id), actor)
    )
    if message is None:
        raise NotFound()
    return message


def access_room_member(actor, room: Room, profile_public_id: str) -> RoomMember:
    """A member of a room the actor moderates, by public profile id."""
    if not can_moderate(actor, room):
        raise NotFound()
    row = db.session.scalar(
        select(RoomMember)
        .join(Profile, Profile.account_id == RoomMember.account_id)
        .where(RoomMember.room_id == room.id, Profile.public_id == profile_public_id)
    )
    if row is None or not can_meet_in_room(actor, row.account_id):
        raise NotFound()
    return row


def can_name_facilitators(actor, room: Room) -> bool:
    """Only the host's leads name facilitators."""
    org = lead_org(actor)
    return org is not None and org.id == room.host_org_id and _room_usable(room)


def require_naming_facilitators(actor, room: Room) -> None:
    """Raise NotFound unless the actor may name the room's facilitators."""
    if not can_name_facilitators(actor, room):
        raise NotFound()


def access_room_session(actor, room: Room, session_public_id) -> SupervisionSession:
    """A supervision session of a room the actor moderates, by public id."""
    if not isinstance(session_public_id, str) or not can_moderate(actor, room):
        raise NotFound()
    session = db.session.scalar(
        select(SupervisionSession).where(
            SupervisionSession.public_id == session_public_id,
            SupervisionSession.room_id == room.id,
        )
    )
    if session is None:
        raise NotFound()
    return session


# --- reports -------------------------------------------------------------------------

# Who reviews each kind of report row (see Report.audience). "Someone from my past"
# is narrower: the reporter's leads (and the platform admins), never moderators.
REVIEW_ROLES = {
    "reporter": ROOM_MANAGER_ROLES,
    "host": ROOM_MANAGER_ROLES,
    "forwarded": {Role.LEAD},
}
PAST_ROLES = {Role.LEAD}


def _review_roles(report: Report) -> set:
    return PAST_ROLES if report.category == "past" else REVIEW_ROLES[report.audience]


def _excluded_reviewer(account: Account, report: Report) -> bool:
    """Nobody reviews a report about themselves or their own report, and nobody
    kept apart from the reporter or the subject sees it."""
    people = [report.reporter_id, report.target_account_id]
    if account.id in people:
        return True
    return any(person and kept_apart(account, person) for person in people)


def can_review_report(actor, report: Report) -> bool:
    """The organization the row is routed to: its leads and moderators (leads
    only for forwarded copies and "Someone from my past"), minus the subject,
    the reporter, anyone kept apart from either, and a moderator's opt-outs.
    The platform admins: originals marked for them and "Recruitment"."""
    account = _account(actor)
    if account is None or _excluded_reviewer(account, report):
        return False
    if is_admin(account):
        return report.copy_of_id is None and (
            report.admin_review or report.category == "recruitment"
        )
    membership = active_membership(account)
    if membership is None or membership.organization_id != report.routed_org_id:
        return False
    if membership.role not in _review_roles(report):
        return False
    opted = db.session.scalar(
        select(ReviewOptOut.id).where(
            ReviewOptOut.account_id == account.id,
            ReviewOptOut.category == report.category,
        )
    )
    return opted is None


def visible_reports(stmt: Select, actor) -> Select:
    """The review queue: the query-filter twin of can_review_report."""
    account = _account(actor)
    if account is None:
        return stmt.where(Report.id.is_(None))
    apart = kept_apart_ids(account.id)
    stmt = stmt.where(
        Report.reporter_id != account.id,
        Report.reporter_id.not_in(apart),
        func.coalesce(Report.target_account_id, 0) != account.id,
        func.coalesce(Report.target_account_id, 0).not_in(apart),
    )
    if is_admin(account):
        return stmt.where(
            Report.copy_of_id.is_(None),
            Report.admin_review | (Report.category == "recruitment"),
        )
    membership = active_membership(account)
    if membership is None:
        return stmt.where(Report.id.is_(None))
    audiences = [a for a, roles in REVIEW_ROLES.items() if membership.role in roles]
    opted = select(ReviewOptOut.category).where(ReviewOptOut.account_id == account.id)
    stmt = stmt.where(
        Report.routed_org_id == membership.organization_id,
        Report.audience.in_(audiences),
        Report.category.not_in(opted),
    )
    if membership.role not in PAST_ROLES:
        stmt = stmt.where(Report.category != "past")
    return stmt


def access_report_for_review(actor, public_id: str) -> Report:
    """A report in the actor's review queue."""
    report = db.session.scalar(select(Report).where(Report.public_id == public_id))
    if report is None or not can_review_report(actor, report):
        raise NotFound()
    return report


def has_reviewer(report: Report) -> bool:
    """Whether anyone of the routed organization may review this row (at filing:
    if not, the platform admins get it)."""
    candidates = db.session.scalars(
        select(Account)
        .join(Membership, Membership.account_id == Account.id)
        .where(
            Membership.organization_id == report.routed_org_id,
            Membership.status == Status.APPROVED,
            Membership.role.in_(_review_roles(report)),
        )
    )
    return any(can_review_report(account, report) for account in candidates)


def shows_reporter(report: Report) -> bool:
    """The reporter's pseudonym and note appear on the original only, and on a
    forwarded copy when the reporter agreed."""
    if report.copy_of_id is None:
        return True
    return report.audience == "forwarded" and report.reporter_consents


def subject_org_id(report: Report) -> int | None:
    """The organization of the reported person, if they have an active one."""
    if report.target_account_id is None:
        return None
    subject = db.session.get(Account, report.target_account_id)
    membership = active_membership(subject)
    return membership.organization_id if membership else None


def can_forward_report(actor, report: Report) -> bool:
    """The reporter's lead may forward a profile report (never "Someone from my
    past") once to the subject's organization, when that is another one."""
    if report.copy_of_id is not None or report.target_type != "profile":
        return False
    if report.category == "past" or report.forwarded_at is not None:
        return False
    own = lead_org(actor)
    if own is None or own.id != report.routed_org_id:
        return False
    other = subject_org_id(report)
    return other is not None and other != own.id and can_review_report(actor, report)


def report_audit_org(report: Report) -> Organization | None:
    """The organization log for audit entries about this report row: the routed
    organization, unless the subject can read that log (then the platform's)."""
    org = db.session.get(Organization, report.routed_org_id)
    if report.target_account_id is None:
        return org
    subject = db.session.get(Account, report.target_account_id)
    led = lead_org(subject)
    return None if led is not None and led.id == org.id else org


def access_own_report(actor, public_id: str) -> Report:
    """A report the actor filed (not a copy) about a person who still exists."""
    report = db.session.scalar(select(Report).where(Report.public_id == public_id))
    account = _account(actor)
    if (
        report is None
        or account is None
        or report.reporter_id != account.id
        or report.copy_of_id is not None
        or report.target_account_id is None
    ):
        raise NotFound()
    return report


def access_own_report_subject(actor, public_id: str) -> tuple[Report, Account]:
    """A report the actor filed (access_own_report) and the account it is about."""
    report = access_own_report(actor, public_id)
    other = db.session.get(Account, report.target_account_id or 0)
    if other is None:
        raise NotFound()
    return report, other


def can_review_any(actor) -> bool:
    """Whether to show the review queue link at all."""
    if is_admin(actor):
        return True
    membership = active_membership(actor)
    return membership is not None and membership.role in ROOM_MANAGER_ROLES


def require_reviewer(actor) -> None:
    """Raise NotFound unless the actor has a review queue (can_review_any)."""
    if not can_review_any(actor):
        raise NotFound()


def require_review_preferences(actor) -> None:
    """Raise NotFound unless the actor reviews reports and is not the admin (the
    admin's queue has no opt-outs)."""
    if not can_review_any(actor) or is_admin(actor):
        raise NotFound()


def access_reportable_profile(actor, public_id) -> Profile:
    """A profile the actor may see and report: never their own (that answers
    like a missing one)."""
    profile = access_profile(actor, public_id)
    if profile.account_id == actor.id:
        raise NotFound()
    return profile


def access_reportable_message(actor, public_id) -> Message:
    """A message the actor can see (one cannot report what one cannot see), by
    its public id; fetched through the room and message filters in one query."""
    account = _account(actor)
    if not isinstance(public_id, str) or account is None:
        public_id = None
    stmt = (
        select(Message)
        .join(Room, Room.id == Message.room_id)
        .where(
            Message.public_id == public_id,
            Message.deleted_at.is_(None),
            Message.author_id != (account.id if account else None),
        )
    )
    message = db.session.scalar(visible_messages(visible_rooms(stmt, actor), actor))
    if message is None:
        raise NotFound()
    return message


# --- help: who a request for support reaches -------------------------------------


def _active_account_ids() -> Select:
    """Approved members of organizations that are not suspended."""
    return (
        select(Membership.account_id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.status == Status.APPROVED, Organization.suspended_at.is_(None)
        )
    )


def _manager_ids(org_id: int) -> Select:
    """An organization's approved leads and moderators."""
    return select(Membership.account_id).where(
        Membership.organization_id == org_id,
        Membership.status == Status.APPROVED,
        Membership.role.in_([str(role) for role in ROOM_MANAGER_ROLES]),
    )


def support_recipient_ids(room: Room, asker: Account) -> list[int]:
    """Who a help request or support alert from `asker` in `room` reaches: the
    facilitators present; else the host's leads and moderators; else, in another
    organization's room, the asker's own leads and moderators. Anyone kept apart
    from the asker is skipped at every step. Empty means nobody can be reached."""
    present = select(RoomPresence.account_id).where(
        RoomPresence.room_id == room.id,
        RoomPresence.account_id.in_(facilitator_ids(room)),
    )
    tiers = [present, _manager_ids(room.host_org_id)]
    own = active_membership(asker)
    if own is not None and own.organization_id != room.host_org_id:
        tiers.append(_manager_ids(own.organization_id))
    for tier in tiers:
        column = tier.selected_columns[0]
        ids = db.session.scalars(
            tier.where(
                column != asker.id,
                column.not_in(kept_apart_ids(asker.id)),
                column.in_(_active_account_ids()),
            )
        )
        found = sorted(set(ids))
        if found:
            return found
    return []


def can_handle_support(actor, row: SupportRequest) -> bool:
    """Only someone the request reached, while not kept apart from the asker and
    still holding the part that made them reachable (facilitator of the room, or
    lead/moderator of the host or of the asker's organization)."""
    membership = active_membership(actor)
    if membership is None or row.requester_id == membership.account_id:
        return False
    reached = db.session.scalar(
        select(SupportRecipient.id).where(
            SupportRecipient.request_id == row.id,
            SupportRecipient.account_id == membership.account_id,
        )
    )
    if reached is None or kept_apart(membership.account_id, row.requester_id):
        return False
    room = db.session.get(Room, row.room_id)
    named = room is not None and _room_member(actor, room)
    if named and named.role == "facilitator" and named.status == "active":
        return True
    requester_org = db.session.scalar(
        select(Membership.organization_id).where(
            Membership.account_id == row.requester_id
        )
    )
    return membership.role in ROOM_MANAGER_ROLES and membership.organization_id in {
        row.host_org_id,
        requester_org,
    }


def visible_support_requests(stmt: Select, actor) -> Select:
    """The query-filter twin of can_handle_support (the home page's list)."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(SupportRequest.id.is_(None))
    account_id = membership.account_id
    facilitated = select(RoomMember.room_id).where(
        RoomMember.account_id == account_id,
        RoomMember.role == "facilitator",
        RoomMember.status == "active",
    )
    part = SupportRequest.room_id.in_(facilitated)
    if membership.role in ROOM_MANAGER_ROLES:
        org_id = membership.organization_id
        own = select(Membership.account_id).where(Membership.organization_id == org_id)
        part = part | (SupportRequest.host_org_id == org_id)
        part = part | SupportRequest.requester_id.in_(own)
    reached = select(SupportRecipient.request_id).where(
        SupportRecipient.account_id == account_id
    )
    return stmt.where(
        SupportRequest.id.in_(reached),
        SupportRequest.requester_id != account_id,
        SupportRequest.requester_id.not_in(kept_apart_ids(account_id)),
        part,
    )


def access_support_request(actor, public_id) -> SupportRequest:
    """A help request or alert the actor may handle, or the NotFound of a missing one."""
    if not isinstance(public_id, str):
        raise NotFound()
    # One query through the list's filter: a request one may not handle runs
    # the same statements as a missing one.
    row = db.session.scalar(
        visible_support_requests(
            select(SupportRequest).where(SupportRequest.public_id == public_id), actor
        )
    )
    if row is None:
        raise NotFound()
    return row


def access_support_alert(actor, public_id) -> SupportRequest:
    """A support alert the actor may answer with a one-to-one space."""
    row = access_support_request(actor, public_id)
    if row.kind != "support":
        raise NotFound()
    return row


# --- resource library --------------------------------------------------------------


def can_see_resource(actor, resource: Resource) -> bool:
    """The owner organization's members; for `partners` resources also
    organizations at effective `collaborate` or above with the owner. Resources by
    someone kept apart from the viewer are not shown (separation works both ways)."""
    membership = active_membership(actor)
    if membership is None:
        return False
    owner = db.session.get(Organization, resource.owner_org_id)
    if owner is None or not owner.is_active:
        return False
    if resource.author_id is not None and resource.author_id != membership.account_id:
        if kept_apart(actor, resource.author_id):
            return False
    if membership.organization_id == resource.owner_org_id:
        return True
    return resource.visibility == "partners" and can_collaborate(
        resource.owner_org_id, membership.organization_id
    )


def visible_resources(stmt: Select, actor) -> Select:
    """Filter a Resource query to exactly what can_see_resource allows, inside the
    query, so counts and pages never include what the viewer may not see."""
    membership = active_membership(actor)
    if membership is None:
        return stmt.where(Resource.id.is_(None))
    org_id = membership.organization_id
    return stmt.where(
        Resource.owner_org_id.in_(
            select(Organization.id).where(Organization.suspended_at.is_(None))
        ),
        Resource.author_id.is_(None)
        | Resource.author_id.not_in(kept_apart_ids(membership.account_id)),
        (Resource.owner_org_id == org_id)
        | (
            (Resource.visibility == "partners")
            & Resource.owner_org_id.in_(trusted_org_ids(org_id, TrustLevel.COLLABORATE))
        ),
    )


def access_resource(actor, public_id: str) -> Resource:
    """A resource the actor may see, or the NotFound a missing one gives (one
    query through visible_resources: the same statements either way)."""
    resource = db.session.scalar(
        visible_resources(
            select(Resource).where(Resource.public_id == public_id), actor
        )
    )
    if resource is None:
        raise NotFound()
    return resource


def can_edit_resource(actor, resource: Resource) -> bool:
    """The author, and the owner organization's leads and moderators."""
    if not can_see_resource(actor, resource):
        return False
    membership = active_membership(actor)
    if resource.author_id == membership.account_id:
        return True
    return (
        membership.organization_id == resource.owner_org_id
        and membership.role in ROOM_MANAGER_ROLES
    )


def access_editable_resource(actor, public_id: str) -> Resource:
    """A resource the actor may edit or delete."""
    resource = access_resource(actor, public_id)
    if not can_edit_resource(actor, resource):
        raise NotFound()
    return resource
