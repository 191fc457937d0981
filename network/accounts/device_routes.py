"""Devices and your data: the sessions of one's account, and the export."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    stream_with_context,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from network import policy
from network.accounts import devices, export, twofactor
from network.accounts.forms import DeviceForm, ExportForm
from network.extensions import limiter
from network.guards import member_required
from network.models import utcnow
from network.security import current_auth_session

bp = Blueprint("devices", __name__)


def _page(export_form: ExportForm, status: int = 200):
    row = current_auth_session()
    listed = devices.list_devices(current_user, row.id if row else None)
    return render_template(
        "accounts/devices.html",
        devices=listed,
        form=DeviceForm(),
        export_form=export_form,
        asks_code=twofactor.has_two_factor(current_user),
    ), status


@bp.get("/account/devices")
@member_required
def index():
    """The account's signed-in devices, and the data export."""
    return _page(ExportForm())


@bp.post("/account/devices/<public_id>/sign-out")
@member_required
def sign_out(public_id: str):
    """Sign out one other device; another account's session answers like none."""
    row = policy.access_own_session(current_user, public_id)
    here = current_auth_session()
    if here is not None and row.id == here.id:
        flash(_("To sign out this device, use Sign out."))
    else:
        devices.sign_out_device(row, actor=current_user)
        flash(_("That device is signed out."))
    return redirect(url_for("devices.index"))


@bp.post("/account/devices/sign-out-others")
@member_required
def sign_out_others():
    """Sign out every device but this one."""
    here = current_auth_session()
    devices.sign_out_others(actor=current_user, keep_id=here.id if here else None)
    flash(_("Every other device is signed out."))
    return redirect(url_for("devices.index"))


@bp.post("/account/export")
@member_required
@limiter.limit("5 per hour", key_func=lambda: f"export:{current_user.id}")
def download():
    """The person's own data as a ZIP, after they type their password again."""
    form = ExportForm()
    if not form.validate_on_submit():
        return _page(form, 400)
    if not export.confirm_identity(current_user, form.password.data, form.code.data):
        form.password.errors = ["That password or code did not work."]
        return _page(form, 400)
    export.record_export(current_user)
    response = Response(
        stream_with_context(export.stream(current_user.id)),
        mimetype="application/zip",
    )
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{export.filename(utcnow())}"'
    )
    response.headers["Cache-Control"] = "no-store"
    return response
