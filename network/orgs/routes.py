"""Lead and platform-admin pages. Every object goes through policy.access_*."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from network import policy
from network.inputs import int_arg
from network.accounts import services as account_services
from network.accounts import twofactor
from network.guards import admin_required, lead_required, member_required
from network.models import Role
from network.orgs import audit_log as audit_log_service
from network.orgs import forms, listings, services

bp = Blueprint("orgs", __name__)


def _status(form) -> int:
    return 400 if form.is_submitted() else 200


# --- lead: requests ------------------------------------------------------------------


@bp.get("/org/requests")
@lead_required
def requests():
    """Pending join requests to the lead's organization, oldest first."""
    listing = listings.join_requests(current_user, int_arg("page", 1))
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
            flash(_("%(name)s is approved.", name=membership.account.display_name))
            return redirect(url_for("orgs.requests"))
    elif action == "reject" and reject.validate_on_submit():
        services.reject_membership(membership, reject.reason.data, actor=current_user)
        flash(_("The request was declined."))
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
    listing = listings.members(current_user, int_arg("page", 1))
    return render_template("orgs/members.html", **listing)


@bp.route("/org/members/<public_id>", methods=["GET", "POST"])
@lead_required
def member_detail(public_id: str):
    """Suspend, reinstate, change role, or issue a reset code."""
    membership = policy.access_listed_member(current_user, public_id)
    suspend = forms.SuspendForm(prefix="suspend")
    role = forms.RoleForm(prefix="role", role=membership.role)
    plain = forms.EmptyForm()
    action = request.form.get("action")
    reset_code = two_factor_code = None
    if request.method == "POST":
        policy.require_status_change(current_user, membership)
        if action == "suspend" and suspend.validate_on_submit():
            services.suspend_membership(
                membership, suspend.reason.data, actor=current_user
            )
            flash(_("%(name)s is suspended.", name=membership.account.display_name))
            return redirect(url_for("orgs.member_detail", public_id=public_id))
        if action == "reinstate" and plain.validate_on_submit():
            services.reinstate_membership(membership, actor=current_user)
            flash(_("%(name)s is reinstated.", name=membership.account.display_name))
            return redirect(url_for("orgs.member_detail", public_id=public_id))
        if action == "role" and role.validate_on_submit():
            if policy.can_set_role(current_user, membership, role.role.data):
                services.set_role(membership, role.role.data, actor=current_user)
                flash(_("The role is changed."))
                return redirect(url_for("orgs.member_detail", public_id=public_id))
            role.role.errors = [_("Only approved members can be given a role.")]
        if action == "reset_code" and plain.validate_on_submit():
            if policy.can_issue_reset_code(current_user, membership):
                reset_code = account_services.issue_reset_code(
                    membership, actor=current_user
                )
        if action == "two_factor_reset" and plain.validate_on_submit():
            if policy.can_issue_two_factor_reset(current_user, membership):
                two_factor_code = twofactor.issue_reset_code(
                    membership, actor=current_user
                )
    issued = reset_code or two_factor_code
    status = 400 if request.method == "POST" and issued is None else 200
    attestations = membership.attestations
    return render_template(
        "orgs/member_detail.html",
        membership=membership,
        suspend=suspend,
        role=role,
        plain=plain,
        reset_code=reset_code,
        two_factor_code=two_factor_code,
        has_two_factor=twofactor.has_two_factor(membership.account),
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
    listed = listings.invitations(org)
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
        flash(_("The code no longer works."))
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
    if request.form.get("action") == "two_factor" and toggle.validate_on_submit():
        if policy.can_require_two_factor(current_user, org):
            twofactor.set_required(org, not org.require_two_factor, actor=current_user)
        return redirect(url_for("orgs.settings"))
    if request.form.get("action") == "add" and form.validate_on_submit():
        services.add_vetting_item(org, form.label.data, actor=current_user)
        flash(_("The item is added to your checklist."))
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
        flash(_("The item is removed from your checklist."))
    return redirect(url_for("orgs.settings"))


# --- audit log (leads of the org, and the admin) -----------------------------------


@bp.get("/orgs/<org_id>/audit")
@member_required
def audit_log(org_id: str):
    """The organization's audit log, newest first, keyset-paginated by id."""
    org = policy.access_org_audit(current_user, org_id)
    context = audit_log_service.page(
        org,
        actor=request.args.get("actor", ""),
        action=request.args.get("action", ""),
        room=request.args.get("room", ""),
        before=request.args.get("before", ""),
    )
    return render_template("orgs/audit.html", **context)


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
            flash(
                _(
                    "%(organization)s is created. Now appoint its first lead.",
                    organization=org.name,
                )
            )
            return redirect(url_for("orgs.admin_organization", org_id=org.public_id))
    orgs = listings.organizations()
    return render_template("admin/organizations.html", form=form, orgs=orgs), _status(
        form
    )


def _change_status(org, status_form) -> bool:
    """Suspend (once confirmed in the page) or reinstate; True when the page
    should ask first (nothing was changed)."""
    if org.is_active and request.form.get("confirm") != "1":
        return True
    if status_form.validate_on_submit():
        if org.is_active:
            services.suspend_organization(org, actor=current_user)
            flash(
                _(
                    "%(organization)s is suspended. Its members have lost access.",
                    organization=org.name,
                )
            )
        else:
            services.reinstate_organization(org, actor=current_user)
            flash(_("%(organization)s is reinstated.", organization=org.name))
    return False


@bp.route("/admin/organizations/<org_id>", methods=["GET", "POST"])
@admin_required
def admin_organization(org_id: str):
    """One organization: its leads, and a single-use code to appoint a lead."""
    org = policy.access_org_as_admin(current_user, org_id)
    form = forms.LeadInvitationForm()
    status_form = forms.EmptyForm(prefix="status")
    new_code = None
    confirm_suspend = False
    if request.form.get("action") == "status":
        confirm_suspend = _change_status(org, status_form)
        if not confirm_suspend:
            return redirect(url_for("orgs.admin_organization", org_id=org.public_id))
    elif form.validate_on_submit():
        _, new_code = services.issue_invitation(
            org, actor=current_user, role=Role.LEAD, max_uses=1, days=form.days.data
        )
    leads = listings.leads(org)
    member_count = listings.approved_count(org)
    status = 400 if form.is_submitted() and new_code is None else 200
    if confirm_suspend:
        status = 200
    return render_template(
        "admin/organization.html",
        confirm_suspend=confirm_suspend,
        org=org,
        form=form,
        new_code=new_code,
        leads=leads,
        member_count=member_count,
        status_form=status_form,
    ), status
