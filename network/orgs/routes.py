"""Lead and platform-admin pages. Every object goes through policy.access_*."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import func, select

from network import policy
from network.inputs import int_arg
from network.accounts import services as account_services
from network.errors import NotFound
from network.extensions import db
from network.guards import admin_required, lead_required, member_required
from network.models import (
    Account,
    AuditEvent,
    Invitation,
    Membership,
    Organization,
    Profile,
    display_name,
    Role,
    Room,
    Status,
)
from network.orgs import forms, services

bp = Blueprint("orgs", __name__)

AUDIT_PAGE = 50
MEMBERS_PAGE = 100


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


# --- lead: requests ------------------------------------------------------------------


def _page_of_people(stmt, *columns):
    """One page of a lead's list, read as columns (no entities): the total, the
    page number from ?page= and the rows, each with the person's public id,
    pseudonym and tag beside the membership columns asked for."""
    count = stmt.with_only_columns(func.count(Membership.id)).order_by(None)
    total = db.session.scalar(count)
    pages = max(1, -(-total // MEMBERS_PAGE))
    page = int_arg("page", 1, high=pages)
    rows = db.session.execute(
        stmt.with_only_columns(
            Profile.public_id, Profile.pseudonym, Profile.tag, *columns
        )
        .join(Profile, Profile.account_id == Membership.account_id)
        .limit(MEMBERS_PAGE)
        .offset((page - 1) * MEMBERS_PAGE)
    )
    return {"memberships": list(rows), "page": page, "pages": pages, "total": total}


@bp.get("/org/requests")
@lead_required
def requests():
    """Pending join requests to the lead's organization, oldest first."""
    stmt = policy.visible_memberships(
        select(Membership).where(Membership.status == Status.PENDING), current_user
    ).order_by(Membership.created_at, Membership.id)
    listing = _page_of_people(stmt, Membership.created_at, Membership.joined_via)
    return render_template("orgs/requests.html", **listing)


@bp.route("/org/requests/<public_id>", methods=["GET", "POST"])
@lead_required
def request_detail(public_id: str):
    """Approve against the checklist, or reject with a private reason."""
    membership = policy.access_pending_request(current_user, public_id)
    items = services.checklist(membership.organization)
    approve = forms.ApproveForm(prefix="approve")
    approve.items.choices = [(item.id, item.label) for item in items]
    reject = forms.RejectForm(prefix="reject")
    action = request.form.get("action")
    if action == "approve" and approve.validate_on_submit():
        try:
            services.approve_membership(
                membership, approve.items.data or [], actor=current_user
            )
        except services.OrgInputError as error:
            approve.items.errors = [error.message]
        else:
            flash(f"{membership.account.display_name} is approved.")
            return redirect(url_for("orgs.requests"))
    elif action == "reject" and reject.validate_on_submit():
        services.reject_membership(membership, reject.reason.data, actor=current_user)
        flash("The request was declined.")
        return redirect(url_for("orgs.requests"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "orgs/request_detail.html",
        membership=membership,
        approve=approve,
        reject=reject,
    ), status


# --- lead: members -------------------------------------------------------------------


@bp.get("/org/members")
@lead_required
def members():
    """Approved and suspended members of the lead's organization."""
    stmt = policy.visible_memberships(
        select(Membership).where(
            Membership.status.in_([Status.APPROVED, Status.SUSPENDED])
        ),
        current_user,
    ).order_by(Membership.status, Membership.role.desc(), Membership.id)
    listing = _page_of_people(stmt, Membership.role, Membership.status)
    return render_template("orgs/members.html", **listing)


@bp.route("/org/members/<public_id>", methods=["GET", "POST"])
@lead_required
def member_detail(public_id: str):
    """Suspend, reinstate, change role, or issue a reset code."""
    membership = policy.access_membership(current_user, public_id)
    if membership.status not in {Status.APPROVED, Status.SUSPENDED}:
        raise NotFound()
    suspend = forms.SuspendForm(prefix="suspend")
    role = forms.RoleForm(prefix="role", role=membership.role)
    plain = forms.EmptyForm()
    action = request.form.get("action")
    reset_code = None
    if request.method == "POST":
        if not policy.can_change_status(current_user, membership):
            raise NotFound()
        if action == "suspend" and suspend.validate_on_submit():
            services.suspend_membership(
                membership, suspend.reason.data, actor=current_user
            )
            flash(f"{membership.account.display_name} is suspended.")
            return redirect(url_for("orgs.member_detail", public_id=public_id))
        if action == "reinstate" and plain.validate_on_submit():
            services.reinstate_membership(membership, actor=current_user)
            flash(f"{membership.account.display_name} is reinstated.")
            return redirect(url_for("orgs.member_detail", public_id=public_id))
        if action == "role" and role.validate_on_submit():
            if policy.can_set_role(current_user, membership, role.role.data):
                services.set_role(membership, role.role.data, actor=current_user)
                flash("The role is changed.")
                return redirect(url_for("orgs.member_detail", public_id=public_id))
            role.role.errors = ["Only approved members can be given a role."]
        if action == "reset_code" and plain.validate_on_submit():
            if policy.can_issue_reset_code(current_user, membership):
                reset_code = account_services.issue_reset_code(
                    membership, actor=current_user
                )
    status = 400 if request.method == "POST" and reset_code is None else 200
    attestations = membership.attestations
    return render_template(
        "orgs/member_detail.html",
        membership=membership,
        suspend=suspend,
        role=role,
        plain=plain,
        reset_code=reset_code,
        attestations=attestations,
        is_self=membership.account_id == current_user.id,
    ), status


# --- lead: invitations, checklist, settings ----------------------------------------


@bp.route("/org/invitations", methods=["GET", "POST"])
@lead_required
def invitations():
    """Issue codes, see how they are used, revoke them."""
    org = policy.require_lead(current_user)
    form = forms.InvitationForm()
    new_code = None
    if form.validate_on_submit():
        _, new_code = services.issue_invitation(
            org,
            actor=current_user,
            max_uses=form.max_uses.data,
            days=form.days.data,
            note=form.note.data or "",
        )
    listed = db.session.scalars(
        select(Invitation)
        .where(Invitation.organization_id == org.id)
        .order_by(Invitation.id.desc())
        .limit(100)
    )
    status = 400 if form.is_submitted() and new_code is None else 200
    return render_template(
        "orgs/invitations.html",
        form=form,
        new_code=new_code,
        invitations=listed,
        revoke=forms.EmptyForm(),
    ), status


@bp.post("/org/invitations/<public_id>/revoke")
@lead_required
def revoke_invitation(public_id: str):
    """Revoke one code."""
    invitation = policy.access_invitation(current_user, public_id)
    if forms.EmptyForm().validate_on_submit():
        services.revoke_invitation(invitation, actor=current_user)
        flash("The code no longer works.")
    return redirect(url_for("orgs.invitations"))


@bp.route("/org/settings", methods=["GET", "POST"])
@lead_required
def settings():
    """The vetting checklist, and whether newcomers may ask to join."""
    org = policy.require_lead(current_user)
    form = forms.ChecklistItemForm()
    toggle = forms.EmptyForm(prefix="toggle")
    if request.form.get("action") == "toggle" and toggle.validate_on_submit():
        services.set_accepts_requests(org, not org.accepts_requests, actor=current_user)
        return redirect(url_for("orgs.settings"))
    if request.form.get("action") == "add" and form.validate_on_submit():
        services.add_vetting_item(org, form.label.data, actor=current_user)
        flash("The item is added to your checklist.")
        return redirect(url_for("orgs.settings"))
    status = 400 if request.method == "POST" else 200
    return render_template(
        "orgs/settings.html",
        org=org,
        form=form,
        toggle=toggle,
        remove=forms.EmptyForm(prefix="remove"),
        items=services.checklist(org),
    ), status


@bp.post("/org/settings/items/<int:item_id>/remove")
@lead_required
def remove_item(item_id: int):
    """Retire a checklist item."""
    item = policy.access_vetting_item(current_user, item_id)
    if forms.EmptyForm(prefix="remove").validate_on_submit():
        services.remove_vetting_item(item, actor=current_user)
        flash("The item is removed from your checklist.")
    return redirect(url_for("orgs.settings"))


# --- audit log (leads of the org, and the admin) -----------------------------------


@bp.get("/orgs/<org_id>/audit")
@member_required
def audit_log(org_id: str):
    """The organization's audit log, newest first, keyset-paginated by id."""
    org = policy.access_org_audit(current_user, org_id)
    base = select(AuditEvent).where(AuditEvent.organization_id == org.id)
    filters = _audit_filters(org)
    stmt = base
    if filters["actor"]:
        stmt = stmt.where(AuditEvent.actor_id == filters["actor"][0])
    if filters["action"]:
        stmt = stmt.where(AuditEvent.action == filters["action"])
    if filters["room"]:
        stmt = stmt.where(AuditEvent.room_id == filters["room"].id)
    # The page cursor is the event's public id: an integer would count every
    # organization's events between two pages.
    before = request.args.get("before")
    if before:
        cursor = select(AuditEvent.id).where(
            AuditEvent.public_id == before, AuditEvent.organization_id == org.id
        )
        stmt = stmt.where(AuditEvent.id < cursor.scalar_subquery())
    events = list(
        db.session.scalars(stmt.order_by(AuditEvent.id.desc()).limit(AUDIT_PAGE))
    )
    names = _pseudonyms(
        {e.actor_id for e in events} | {e.target_account_id for e in events}
    )
    older = events[-1].public_id if len(events) == AUDIT_PAGE else None
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
    return render_template(
        "orgs/audit.html",
        org=org,
        events=events,
        names=names,
        older=older,
        actors=_pseudonyms(org_actor_ids),
        rooms=rooms,
        filters=filters,
        profile_ids=dict(
            db.session.execute(
                select(Profile.account_id, Profile.public_id).where(
                    Profile.account_id.in_([i for i in org_actor_ids if i])
                )
            ).all()
        ),
        actions=sorted(
            set(
                db.session.scalars(
                    select(AuditEvent.action)
                    .where(AuditEvent.organization_id == org.id)
                    .distinct()
                )
            )
        ),
    )


def _audit_filters(org) -> dict:
    """Filters from the query string: actor (profile id), action, room (public id)."""
    actor_pid = request.args.get("actor", "")
    actor = None
    if actor_pid:
        account_id = db.session.scalar(
            select(Profile.account_id).where(Profile.public_id == actor_pid)
        )
        actor = (account_id or -1, actor_pid)
    room = None
    if request.args.get("room"):
        room = db.session.scalar(
            select(Room).where(
                Room.public_id == request.args["room"], Room.host_org_id == org.id
            )
        )
        room = room or Room(id=-1, public_id=request.args["room"], name="")
    return {"actor": actor, "action": request.args.get("action", "")[:64], "room": room}


def _pseudonyms(account_ids: set[int | None]) -> dict[int, str]:
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
        names.setdefault(admin_id, "Platform admin")
    return names


# --- platform admin ------------------------------------------------------------------


@bp.route("/admin/organizations", methods=["GET", "POST"])
@admin_required
def admin_organizations():
    """List and create organizations."""
    form = forms.OrganizationForm()
    if form.validate_on_submit():
        try:
            org = services.create_organization(
                form.name.data,
                form.region.data,
                form.description.data or "",
                actor=current_user,
            )
        except services.OrgInputError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            flash(f"{org.name} is created. Now appoint its first lead.")
            return redirect(url_for("orgs.admin_organization", org_id=org.public_id))
    orgs = db.session.scalars(select(Organization).order_by(Organization.name))
    return render_template("admin/organizations.html", form=form, orgs=orgs), _status(
        form
    )


@bp.route("/admin/organizations/<org_id>", methods=["GET", "POST"])
@admin_required
def admin_organization(org_id: str):
    """One organization: its leads, and a single-use code to appoint a lead."""
    org = policy.access_org_as_admin(current_user, org_id)
    form = forms.LeadInvitationForm()
    status_form = forms.EmptyForm(prefix="status")
    new_code = None
    if request.form.get("action") == "status":
        if status_form.validate_on_submit():
            if org.is_active:
                services.suspend_organization(org, actor=current_user)
                flash(f"{org.name} is suspended. Its members have lost access.")
            else:
                services.reinstate_organization(org, actor=current_user)
                flash(f"{org.name} is reinstated.")
        return redirect(url_for("orgs.admin_organization", org_id=org.public_id))
    if form.validate_on_submit():
        _, new_code = services.issue_invitation(
            org, actor=current_user, role=Role.LEAD, max_uses=1, days=form.days.data
        )
    leads = db.session.scalars(
        select(Membership).where(
            Membership.organization_id == org.id,
            Membership.role == Role.LEAD,
            Membership.status == Status.APPROVED,
        )
    )
    member_count = db.session.scalar(
        select(func.count(Membership.id)).where(
            Membership.organization_id == org.id, Membership.status == Status.APPROVED
        )
    )
    status = 400 if form.is_submitted() and new_code is None else 200
    return render_template(
        "admin/organization.html",
        org=org,
        form=form,
        new_code=new_code,
        leads=leads,
        member_count=member_count,
        status_form=status_form,
    ), status
