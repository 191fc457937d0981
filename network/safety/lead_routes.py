"""Leads and confidential separation requests.

A lead files a request for one of their members (or files a member's ask); the
leads of every other organization check their own members privately and may
attach it to one of them. Nothing matches a name by itself.
"""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from network import policy
from network.accounts.services import InputError
from network.errors import NotFound
from network.guards import lead_required
from network.models import RequestStatus
from network.safety import requests, views
from network.safety.forms import AttachForm, EmptyForm, LeadRequestForm, ShareForm

bp = Blueprint("lead_safety", __name__)

FILED = _l(
    "Filed. Leads of the other organizations can now check their members. "
    "They do not see who asked or from which organization."
)
ATTACHED = _l(
    "Attached. The two will not see each other here. Nobody is told who asked, "
    "and your member is not told anything."
)
NOT_YOUR_MEMBER = _l("Choose a member of your organization.")


@bp.route("/org/safety", methods=["GET", "POST"])
@lead_required
def lead_separations():
    """File a confidential request for a member; follow the organization's ones."""
    org = policy.require_lead(current_user)
    form = LeadRequestForm()
    form.member.choices = [("", "Choose a member")] + views.own_members(
        org.id, except_id=current_user.id
    )
    if form.validate_on_submit():
        try:
            membership = policy.access_own_member_for_separation(
                current_user, form.member.data or ""
            )
        except NotFound:
            form.member.errors = [NOT_YOUR_MEMBER]
        else:
            try:
                requests.file_request(
                    membership.account,
                    form.pseudonym.data,
                    form.details.data,
                    actor=current_user,
                )
            except InputError as error:
                form.pseudonym.errors = [error.message]
            else:
                flash(str(FILED))
                return redirect(url_for("lead_safety.lead_separations"))
    rows = views.org_requests(current_user)
    filed = views.filed_separations(current_user)
    return render_template(
        "safety/lead_separations.html",
        form=form,
        asks=[row for row in rows if row.status == RequestStatus.ASKED],
        org_requests=[row for row in rows if row.status != RequestStatus.ASKED],
        rows=filed,
        names=views.names_of(
            {row.protected_id for row in rows} | {row.protected_id for row in filed}
        ),
        status_text=views.STATUS_TEXT,
        withdraw=EmptyForm(),
        share=ShareForm(),
    ), (400 if form.is_submitted() else 200)


def _asked_request(public_id: str):
    row = policy.access_separation_request(current_user, public_id)
    if not policy.can_file_asked_request(current_user, row):
        raise NotFound()
    return row


@bp.post("/org/safety/requests/<public_id>/share")
@lead_required
def share(public_id: str):
    """File a member's ask for the leads of the other organizations."""
    row = _asked_request(public_id)
    form = ShareForm()
    if form.validate_on_submit():
        requests.share_request(row, form.details.data, actor=current_user)
        flash(str(FILED))
    return redirect(url_for("lead_safety.lead_separations"))


@bp.post("/org/safety/requests/<public_id>/decline")
@lead_required
def decline(public_id: str):
    """Do not file a member's ask; the member sees that it was not filed."""
    row = _asked_request(public_id)
    if EmptyForm().validate_on_submit():
        requests.decline_request(row, actor=current_user)
        flash(_("Not filed. Your member sees that you did not file it."))
    return redirect(url_for("lead_safety.lead_separations"))


@bp.get("/org/safety/requests")
@lead_required
def open_requests():
    """Confidential separation requests from other organizations."""
    org = policy.require_lead(current_user)
    rows = views.open_requests(current_user)
    return render_template(
        "safety/open_requests.html",
        rows=rows,
        matches={
            row.id: views.own_members(org.id, name_key=row.name_key) for row in rows
        },
        members=views.own_members(org.id),
        form=AttachForm(),
    )


@bp.post("/org/safety/requests/<public_id>/attach")
@lead_required
def attach(public_id: str):
    """Attach an open request to one of the lead's own approved members."""
    row = policy.access_open_request_for_attach(current_user, public_id)
    form = AttachForm()
    if not form.validate_on_submit():
        return redirect(url_for("lead_safety.open_requests"))
    try:
        membership = policy.access_own_member_for_separation(
            current_user, form.member.data or ""
        )
    except NotFound:
        return render_template("safety/refused.html", message=str(NOT_YOUR_MEMBER)), 400
    requests.attach_request(row, membership.account, actor=current_user)
    flash(str(ATTACHED))
    return redirect(url_for("lead_safety.open_requests"))
