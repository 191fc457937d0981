"""The account page's "Delete my account" (registered on the accounts blueprint)."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from network import policy
from network.accounts import deletion
from network.accounts.forms import DeleteAccountForm
from network.accounts.routes import _failed, bp
from network.errors import NotFound
from network.extensions import limiter
from network.guards import login_required
from network.security import end_session


@bp.route("/account/delete", methods=["GET", "POST"])
@login_required
@limiter.limit("10 per hour", methods=["POST"], deduct_when=_failed)
def delete_account():
    """Delete one's own account after the password (and code) again; then the
    browser is signed out and every other session and socket is ended."""
    if not policy.can_delete_own_account(current_user):
        raise NotFound()
    form = DeleteAccountForm()
    two_factor = bool(current_user.totp_secret)
    if not two_factor:
        del form.code
    if form.validate_on_submit():
        try:
            deletion.delete_own_account(
                current_user,
                password=form.password.data,
                code=form.code.data if two_factor else "",
            )
        except deletion.DeletionRefused as refused:
            getattr(form, refused.field).errors = [refused.message]
        else:
            end_session()
            flash(_("Your account is deleted. Thank you for the support you gave."))
            return redirect(url_for("accounts.login"))
    status = 400 if form.is_submitted() else 200
    return render_template(
        "accounts/delete.html", form=form, two_factor=two_factor
    ), status
