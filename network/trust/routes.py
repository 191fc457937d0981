"""The lead's trust page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from network import policy
from network.errors import NotFound
from network.guards import lead_required
from network.models import TrustLevel
from network.trust import services
from network.trust.forms import TrustForm

bp = Blueprint("trust", __name__)


@bp.route("/org/trust", methods=["GET", "POST"])
@lead_required
def trust():
    """Both directions and the effective level toward every other organization."""
    org = policy.require_lead(current_user)
    form = TrustForm()
    error = None
    if form.validate_on_submit():
        try:
            other = policy.access_trust_target(current_user, form.org.data)
        except NotFound:
            error = (
                _("You cannot set trust toward your own organization.")
                if form.org.data == org.public_id
                else _("That organization is not on the list.")
            )
        else:
            services.set_trust(
                org, other, TrustLevel[form.level.data.upper()], actor=current_user
            )
            level = TrustLevel[form.level.data.upper()]
            flash(
                _(
                    "Trust toward %(organization)s is now “%(level)s”.",
                    organization=other.name,
                    level=level.title,
                )
            )
            return redirect(url_for("trust.trust"))
    elif form.is_submitted():
        error = _("Choose an organization and a level from the list.")
    return render_template(
        "trust/trust.html",
        org=org,
        rows=services.trust_rows(org),
        error=error,
        levels=list(TrustLevel),
    ), (400 if error else 200)
