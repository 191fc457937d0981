"""In Chromium: a file shared with partners reaches a collaborating organization
and nobody else, and a file whose content is not what its name says is refused."""

from __future__ import annotations

import io
import secrets
import string
from pathlib import Path

import pikepdf
import pytest

from tests.e2e.helpers import expect, signed_in_page

pytestmark = pytest.mark.e2e

# Demo trust (network/demo.py TRUST): Harbour <-> Prairie at `collaborate` both
# ways; Harbour <-> Fleuve effective `see` (Fleuve gives see, Harbour gives
# message); Coastal Roots has no trust with Harbour at all.
AUTHOR = "harbour.sam"  # Harbour Light Peer Collective (A)
PARTNER = "prairie.jo"  # Prairie Bridges Survivor Network (B, collaborate)
UNTRUSTED = "coastal.kai"  # Coastal Roots (C, no trust)
SEE_ONLY = "fleuve.marie"  # Fleuve Solidaire (effective `see` only)
PARTNERS_LABEL = "Also partner organizations"


@pytest.fixture(scope="module")
def upload_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("library-uploads")


@pytest.fixture(scope="module")
def live_server_env(upload_dir) -> dict[str, str]:
    """Keep the server's uploads in a temporary directory, not in the repo."""
    return {"UPLOAD_DIR": str(upload_dir)}


def _search(page, base: str, query: str):
    """Search the library through its form; returns the results list."""
    page.goto(base + "/library")
    page.fill("#q", query)
    with page.expect_navigation():
        page.locator("form.filters").get_by_role("button", name="Search").click()
    return page.locator("#resources > li")


def _library_count(page, base: str) -> str:
    page.goto(base + "/library")
    return page.locator("#result-count").inner_text().strip()


def _pdf_by_jane(word: str) -> bytes:
    """A one-page PDF showing `word`, whose /Info names its author."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(f"BT ({word}) Tj ET".encode())
    pdf.docinfo["/Author"] = "Jane Realname"
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=False)
    assert b"Realname" in buffer.getvalue()
    return buffer.getvalue()


def _stored_files(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


def _share_file(page, base: str, path: Path, title: str):
    """Fill /library/new for a file shared with partners; returns the response."""
    page.goto(base + "/library/new")
    page.get_by_label("A file", exact=True).check()
    page.set_input_files("#file", str(path))
    page.fill("#title", title)
    page.fill("#tags", "safety, planning")
    page.select_option("#language", label="English")
    page.get_by_label(PARTNERS_LABEL).check()
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Share", exact=True).click()
    return navigation.value


def test_partner_file_reaches_collaborators_only(
    live_server, new_context, tmp_path, upload_dir
):
    base = live_server.base_url
    word = "Zyxquorra" + "".join(
        secrets.choice(string.ascii_lowercase) for _ in range(6)
    )
    title = f"{word} safety planning guide"
    pdf = tmp_path / "safety-plan.pdf"
    pdf.write_bytes(_pdf_by_jane(word))

    # 1. A member of A shares the PDF with partners.
    sam = signed_in_page(new_context, base, AUTHOR)
    assert _stored_files(upload_dir) == []
    shared = _share_file(sam, base, pdf, title)
    assert shared.status == 200
    assert sam.url.startswith(base + "/library/"), sam.url
    resource_url = sam.url
    expect(sam.locator("h1")).to_have_text(title)
    expect(sam.locator(".flashes")).to_have_text("The resource is shared.")
    expect(sam.locator("article.resource")).to_contain_text("partners can see it")
    download_link = sam.locator("#download")
    # The uploader did not keep "safety-plan.pdf": the download is named by title.
    named = f"{word.lower()}-safety-planning-guide.pdf"
    expect(download_link).to_have_text(f"Download {named}")
    download_url = base + download_link.get_attribute("href")
    assert download_url == resource_url + "/download"
    assert len(_stored_files(upload_dir)) == 1  # the server's UPLOAD_DIR, not the repo

    # 2. A member of collaborating B finds it, opens it and downloads the file.
    jo = signed_in_page(new_context, base, PARTNER)
    results = _search(jo, base, word)
    expect(jo.locator("#result-count")).to_have_text("1 resource")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Harbour Light Peer Collective")
    with jo.expect_navigation():
        results.first.get_by_role("link", name=title, exact=True).click()
    assert jo.url == resource_url
    expect(jo.locator("h1")).to_have_text(title)
    with jo.expect_download() as downloading:
        jo.locator("#download").click()
    download = downloading.value
    assert download.failure() is None
    assert download.suggested_filename == named, download.suggested_filename
    saved = tmp_path / "received.pdf"
    download.save_as(saved)
    received = saved.read_bytes()
    assert received.startswith(b"%PDF-")
    assert [received] == [
        (upload_dir / n).read_bytes() for n in _stored_files(upload_dir)
    ]
    assert b"Realname" not in received  # the author's name was cleaned away
    with pikepdf.open(saved) as cleaned:
        assert word.encode() in cleaned.pages[0].Contents.read_bytes()
        assert "/Info" not in cleaned.trailer

    # 3. Untrusted C and `see`-only Fleuve find nothing, and the resource's
    #    pages answer exactly like a made-up resource's.
    made_up = f"{base}/library/{secrets.token_urlsafe(12)}"
    for login_name in (UNTRUSTED, SEE_ONLY):
        page = signed_in_page(new_context, base, login_name)
        results = _search(page, base, word)
        expect(page.locator("#result-count")).to_have_text("0 resources")
        expect(results).to_have_count(0)
        expect(page.locator("main")).not_to_contain_text(title)
        expect(page.locator("main")).not_to_contain_text("safety planning guide")

        for real, fake in (
            (resource_url, made_up),
            (download_url, made_up + "/download"),
        ):
            hidden, missing = page.request.get(real), page.request.get(fake)
            assert hidden.status == missing.status == 404, (login_name, real)
            assert hidden.text() == missing.text(), (login_name, real)
            assert word not in hidden.text()
            assert hidden.headers.get("content-disposition") is None

        # And by navigation in the tab itself.
        hidden_nav = page.goto(resource_url)
        hidden_body = page.content()
        missing_nav = page.goto(made_up)
        assert hidden_nav.status == missing_nav.status == 404
        assert hidden_body == page.content()
        expect(page.locator("h1")).to_have_text("Not found")

    # 4. HTML named evil.pdf is refused next to the file field; nothing is kept.
    before = _library_count(sam, base)
    assert before == "1 resource"
    stored_before = _stored_files(upload_dir)
    evil = tmp_path / "evil.pdf"
    evil.write_bytes(b"<html><script>alert(1)</script></html>")
    refused = _share_file(sam, base, evil, f"{word} evil")
    assert refused.status == 400
    assert sam.url == base + "/library/new"
    error = sam.locator("#file-error")
    expect(error).to_have_text(
        "That file is not a PDF, DOCX, ODT, TXT, PNG or JPEG file."
    )
    file_field = sam.locator("div.field.has-error").filter(has=sam.locator("#file"))
    expect(file_field).to_have_count(1)
    expect(file_field.locator(".error")).to_have_count(1)
    expect(sam.locator("#file")).to_have_attribute("aria-invalid", "true")
    expect(sam.locator("p.error")).to_have_count(1)  # only the file is wrong
    assert _library_count(sam, base) == before
    assert _stored_files(upload_dir) == stored_before
