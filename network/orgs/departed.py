"""A lead deletes the account of someone whose membership ended (registered on
the orgs blueprint; the button is on the member's page)."""

from __future__ import annotations

from flask_babel import gettext as _
from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from network import policy
from network.accounts import deletion
from network.guards import lead_required
from network.orgs.forms import EmptyForm
from network.orgs.routes import bp


@bp.post("/org/members/<public_id>/delete")
@lead_required
def delete_departed(public_id: str):
    """Asks once in the page, then deletes; an active member, another
    organization's, or a missing one all answer 404."""
    membership = policy.access_departed_member(current_user, public_id)
    form = EmptyForm()
    if request.form.get("confirm") != "1" or not form.validate_on_submit():
        return render_template(
            "orgs/delete_departed.html", membership=membership, form=form
        )
    deletion.delete_departed_member(membership, actor=current_user)
    flash(_("The account is deleted. It shows as “former member” from now on."))
    return redirect(url_for("orgs.members"))
