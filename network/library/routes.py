"""Library pages: browse and search, add, view, download, edit, delete, share."""

from __future__ import annotations

from flask import (
    Blueprint,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm

from network import policy
from network.inputs import int_arg
from network.errors import NotFound
from network.guards import member_required
from network.library import services, sharing
from network.library.forms import NewResourceForm, ResourceForm, ShareForm
from network.insights import services as insights_services
from network.models import RESOURCE_LANGUAGES, utcnow

bp = Blueprint("library", __name__)

TOO_FAST = {
    "rate_limited": _l("You are posting too fast. Wait a moment, then share again."),
    "slow_mode": _l("This room is in slow mode. Wait a moment, then share again."),
}


@bp.get("/library")
@member_required
def index():
    """Browse, filter and search what the viewer may see."""
    filters = {
        "query": request.args.get("q", "")[:200],
        "tag": request.args.get("tag", "")[:30],
        "language": request.args.get("language", ""),
        "owner": request.args.get("owner", "")[:24],
    }
    result = services.search(current_user, page=int_arg("page", 1), **filters)
    owners = services.owner_choices(current_user)
    names = {org.id: org.name for org in owners}
    return render_template(
        "library/index.html",
        result=result,
        filters=filters,
        owners=owners,
        names=names,
        languages=RESOURCE_LANGUAGES,
    )


def _fields(form) -> services.Fields:
    return services.Fields(
        title=form.title.data or "",
        description=form.description.data or "",
        tags=form.tags.data or "",
        language=form.language.data or "en",
        visibility=form.visibility.data or "org",
    )


@bp.route("/library/new", methods=["GET", "POST"])
@member_required
def new():
    """Share a link or upload a file."""
    membership = policy.active_membership(current_user)
    if membership is None:
        raise NotFound()
    form = NewResourceForm()
    if form.validate_on_submit():
        try:
            if form.kind.data == "file":
                upload = request.files.get("file")
                if upload is None or not upload.filename:
                    raise services.LibraryInputError(
                        "file", _("Choose a file to upload.")
                    )
                resource = services.create_file(
                    membership.organization,
                    _fields(form),
                    upload.stream,
                    upload.filename,
                    actor=current_user,
                    keep_name=bool(form.keep_file_name.data),
                )
            else:
                resource = services.create_link(
                    membership.organization,
                    _fields(form),
                    form.url.data or "",
                    actor=current_user,
                )
        except services.LibraryInputError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            flash(_("The resource is shared."))
            return redirect(url_for("library.view", resource_id=resource.public_id))
    return render_template("library/new.html", form=form), (
        400 if form.is_submitted() else 200
    )


@bp.get("/library/<resource_id>")
@member_required
def view(resource_id: str):
    """One resource."""
    resource = policy.access_resource(current_user, resource_id)
    owner, author = services.credits(resource)
    share = ShareForm()
    share.room.choices = [("", _("Choose a room"))] + [
        (room.public_id, room.name) for room in sharing.share_choices(current_user)
    ]
    return render_template(
        "library/view.html",
        resource=resource,
        owner=owner,
        author=author,
        share=share,
        plain=FlaskForm(),
        can_edit=policy.can_edit_resource(current_user, resource),
    )


@bp.get("/library/<resource_id>/download")
@member_required
def download(resource_id: str):
    """The file, through the access check, always as an attachment."""
    resource = policy.access_resource(current_user, resource_id)
    if resource.kind != "file":
        raise NotFound()
    path = services.upload_dir() / resource.stored_name
    if not path.is_file():
        raise NotFound()
    insights_services.record_download(resource, utcnow().strftime("%Y-%m"))
    response = send_file(
        path,
        mimetype=resource.mime_type,
        as_attachment=True,
        download_name=resource.download_name,
        max_age=0,
    )
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.route("/library/<resource_id>/edit", methods=["GET", "POST"])
@member_required
def edit(resource_id: str):
    """Edit (the author, and the owner organization's leads and moderators)."""
    resource = policy.access_editable_resource(current_user, resource_id)
    form = ResourceForm(obj=resource)
    if request.method == "GET":
        form.tags.data = ", ".join(resource.tag_list)
    if form.validate_on_submit():
        try:
            services.update(resource, _fields(form), actor=current_user)
        except services.LibraryInputError as error:
            getattr(form, error.field).errors = [error.message]
        else:
            flash(_("Saved."))
            return redirect(url_for("library.view", resource_id=resource.public_id))
    return render_template("library/edit.html", form=form, resource=resource), (
        400 if form.is_submitted() else 200
    )


@bp.post("/library/<resource_id>/delete")
@member_required
def delete(resource_id: str):
    """Delete a resource and its file."""
    resource = policy.access_editable_resource(current_user, resource_id)
    if not FlaskForm().validate_on_submit():
        raise NotFound()
    services.delete(resource, actor=current_user)
    flash(_("The resource is deleted."))
    return redirect(url_for("library.index"))


@bp.post("/library/<resource_id>/share")
@member_required
def share(resource_id: str):
    """Post a card for the resource in a room."""
    resource = policy.access_resource(current_user, resource_id)
    form = ShareForm()
    if not form.validate_on_submit():
        raise NotFound()
    access = policy.access_room_context(current_user, form.room.data)
    try:
        sharing.share_to_room(resource, access, actor=current_user)
    except services.LibraryInputError as error:
        if error.message not in TOO_FAST:
            raise NotFound() from None  # may not post there: as for a missing room
        flash(str(TOO_FAST[error.message]))
        return redirect(url_for("library.view", resource_id=resource.public_id))
    flash(_("Shared in the room."))
    return redirect(url_for("rooms.room", room_id=access.room.public_id))


@bp.get("/library/<resource_id>/card.json")
@member_required
def card(resource_id: str):
    """The card a room shows; unavailable is the same answer as missing."""
    shown = sharing.card(current_user, resource_id)
    if shown is None:
        return jsonify({"available": False}), 404
    return jsonify(
        {
            "available": True,
            **shown,
            "url": url_for("library.view", resource_id=shown["id"]),
        }
    )
