"""Upload hardening (issue 10): zip bombs, huge images, document metadata."""

from __future__ import annotations

import io
import random
import re
import struct
import threading
import tracemalloc
import zipfile
import zlib
from pathlib import Path

import pikepdf
import pytest
from sqlalchemy import func, select

from network.extensions import db
from network.library import uploads
from network.models import Resource
from tests.library.test_library import _files, _upload

ODT_MIME = b"application/vnd.oasis.opendocument.text"
NAME = b"Realname"  # from "Jane Realname": must never reach a reader


# --- builders -----------------------------------------------------------------------


def bomb_odt(path: Path, inflated_mb: int = 300) -> None:
    """An ODT whose `mimetype` entry inflates to `inflated_mb` MB (a few 100 KB)."""
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("mimetype", "w", force_zip64=True) as entry:
            entry.write(ODT_MIME)
            for _ in range(inflated_mb):
                entry.write(chunk)
        archive.writestr("content.xml", "<office:document-content/>")


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    body = kind + data
    return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims width x height but holds no pixels: decoding would fail."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b""))
        + _png_chunk(b"IEND", b"")
    )


CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
    'metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>Jane Realname</dc:creator>"
    "<cp:lastModifiedBy>Jane Realname</cp:lastModifiedBy>"
    "<cp:revision>7</cp:revision></cp:coreProperties>"
)
APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    'extended-properties"><Company>Realname Shelter</Company>'
    "<Manager>Jane Realname</Manager></Properties>"
)
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
DOCUMENT = (
    f'<w:document {W}><w:body><w:p w:rsidR="00AB12CD"><w:r><w:t>Safety plan'
    '</w:t></w:r><w:ins w:id="1" w:author="Jane Realname" '
    'w:date="2026-01-02T03:04:00Z"><w:r><w:t>added</w:t></w:r></w:ins>'
    "</w:p></w:body></w:document>"
)
COMMENTS = (
    f'<w:comments {W}><w:comment w:id="0" w:author="Jane Realname" w:initials="JR">'
    "<w:p><w:r><w:t>check this</w:t></w:r></w:p></w:comment></w:comments>"
)


def docx_with_author(core: str = CORE) -> bytes:
    """A DOCX naming its author in core.xml, app.xml, a comment and a revision."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", DOCUMENT)
        archive.writestr("word/comments.xml", COMMENTS)
        archive.writestr("docProps/core.xml", core)
        archive.writestr("docProps/app.xml", APP)
    return buffer.getvalue()


OFFICE = 'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
DC = 'xmlns:dc="http://purl.org/dc/elements/1.1/"'
META = 'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0"'
TEXT = 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'


def odt_with_author() -> bytes:
    """An ODT naming its author in meta.xml, an annotation and a tracked change."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ODT_MIME, compress_type=zipfile.ZIP_STORED)
        archive.writestr(
            "meta.xml",
            f'<office:document-meta {OFFICE} {DC} {META} office:version="1.3">'
            "<office:meta><meta:initial-creator>Jane Realname</meta:initial-creator>"
            "<dc:creator>Jane Realname</dc:creator>"
            "<meta:editing-cycles>12</meta:editing-cycles></office:meta>"
            "</office:document-meta>",
        )
        archive.writestr(
            "content.xml",
            f"<office:document-content {OFFICE} {DC} {TEXT}><office:body>"
            "<office:text><text:p>Safety plan<office:annotation>"
            "<dc:creator>Jane Realname</dc:creator><dc:date>2026-01-02</dc:date>"
            "<text:p>check this</text:p></office:annotation></text:p>"
            "</office:text></office:body></office:document-content>",
        )
    return buffer.getvalue()


def pdf_with_author(**save) -> bytes:
    """A one-page PDF whose /Info and XMP name Jane Realname."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.docinfo["/Author"] = "Jane Realname"
    pdf.docinfo["/Creator"] = "Realname's laptop"
    with pdf.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = ["Jane Realname"]
    buffer = io.BytesIO()
    pdf.save(buffer, **save)
    return buffer.getvalue()


def _stored(app) -> bytes:
    resource = db.session.scalar(select(Resource))
    assert resource is not None
    return (Path(app.config["UPLOAD_DIR"]) / resource.stored_name).read_bytes()


def _refused(app, response, before, message: str) -> None:
    assert response.status_code == 400
    body = response.get_data(as_text=True).replace("&#39;", "'")
    assert message in body, body[-1200:]
    assert _files(app) == before
    assert db.session.scalar(select(func.count(Resource.id))) == 0


def _zip_texts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# --- zip bombs ----------------------------------------------------------------------


def test_odt_zip_bomb_is_refused_without_inflating_it(app, lib, login_as, tmp_path):
    bomb = tmp_path / "notes.odt"
    bomb_odt(bomb, inflated_mb=300)
    assert bomb.stat().st_size < 2 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(uploads.UploadError) as refused:
            uploads.sniff(bomb)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 4 * 1024 * 1024, f"peak {peak / 1e6:.1f} MB"
    assert "unpacks to" in str(refused.value)
    before = _files(app)
    response = _upload(login_as(lib.author), "notes.odt", bomb.read_bytes())
    _refused(app, response, before, "save it again")


def test_zip_with_too_many_entries_is_refused(app, lib, login_as):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        for n in range(1001):
            archive.writestr(f"word/x{n}.xml", "")
    before = _files(app)
    response = _upload(login_as(lib.author), "many.docx", buffer.getvalue())
    _refused(app, response, before, "too many parts")


def test_mimetype_entry_is_read_with_a_bounded_read(tmp_path):
    """Even under the caps, the mimetype entry is never read whole."""
    odt = tmp_path / "long.odt"
    with zipfile.ZipFile(odt, "w", zipfile.ZIP_DEFLATED) as archive:
        noise = random.Random(0).randbytes(4 * 1024 * 1024)  # passes the ratio cap
        archive.writestr("mimetype", ODT_MIME + noise)
        archive.writestr("content.xml", "<office:document-content/>")
    tracemalloc.start()
    try:
        kind = uploads.sniff(odt)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kind is None  # a mimetype longer than any real one is not ODT
    assert peak < 1024 * 1024, f"peak {peak / 1e6:.1f} MB"


# --- images -------------------------------------------------------------------------


@pytest.mark.parametrize("side", [7000, 13000])
def test_huge_image_is_refused_before_decoding(app, lib, login_as, side):
    data = png_header_only(side, side)
    before = _files(app)
    tracemalloc.start()
    try:
        response = _upload(login_as(lib.author), "big.png", data)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    _refused(app, response, before, "megapixels")
    assert f"has {side * side // 1_000_000} megapixels" in response.get_data(
        as_text=True
    )
    assert peak < 20 * 1024 * 1024


def test_image_work_runs_through_the_offload_helper(app, lib, login_as, monkeypatch):
    from network import offload
    from tests.library.conftest import png_bytes

    calls = []
    real = offload.run_blocking

    def spy(func, *args, **kwargs):
        calls.append(func)
        return real(func, *args, **kwargs)

    monkeypatch.setattr(offload, "run_blocking", spy)
    assert _upload(login_as(lib.author), "p.png", png_bytes()).status_code == 302
    assert calls


def test_offload_uses_gevent_threadpool_and_threading_directly(app):
    from network import offload

    here = threading.get_ident()
    assert offload.run_blocking(threading.get_ident) == here  # threading mode
    app.config["NETWORK_ASYNC"] = "gevent"
    try:
        assert offload.run_blocking(threading.get_ident) != here
        assert offload.run_blocking(lambda a, b=0: a + b, 2, b=3) == 5
    finally:
        app.config["NETWORK_ASYNC"] = "threading"


# --- document metadata --------------------------------------------------------------


def test_docx_author_is_gone_from_the_stored_file(app, lib, login_as):
    response = _upload(login_as(lib.author), "plan.docx", docx_with_author())
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    data = _stored(app)
    assert NAME not in data
    parts = _zip_texts(data)
    for name, content in parts.items():
        assert NAME not in content, name
        assert b"JR" not in content and b"00AB12CD" not in content, name
        assert b"2026-01-02" not in content, name
    assert b"Safety plan" in parts["word/document.xml"]
    assert b"check this" in parts["word/comments.xml"]
    assert b"<cp:revision>" not in parts["docProps/core.xml"]


def test_odt_author_is_gone_and_mimetype_stays_first(app, lib, login_as):
    response = _upload(login_as(lib.author), "plan.odt", odt_with_author())
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    data = _stored(app)
    assert NAME not in data
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first = archive.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
    parts = _zip_texts(data)
    for name, content in parts.items():
        assert NAME not in content, name
        assert b"2026-01-02" not in content and b"editing-cycles" not in content
    assert b"Safety plan" in parts["content.xml"]


@pytest.mark.parametrize("compress", [True, False])
def test_pdf_author_is_gone_from_the_stored_file(app, lib, login_as, compress):
    original = pdf_with_author(compress_streams=compress)
    assert compress or NAME in original
    response = _upload(login_as(lib.author), "plan.pdf", original)
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    data = _stored(app)
    assert NAME not in data
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1
        assert "/Info" not in pdf.trailer and "/Metadata" not in pdf.Root
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert NAME not in obj.read_bytes()


def test_pdf_unreferenced_object_with_author_is_not_kept(app, lib, login_as):
    """Old revisions leave unreferenced objects behind: the file is rewritten whole."""
    original = pdf_with_author(
        compress_streams=False, object_stream_mode=pikepdf.ObjectStreamMode.disable
    )
    reference = re.search(rb"/Info \d+ 0 R", original)
    assert reference, original[-300:]
    orphaned = original.replace(reference.group(), b" " * len(reference.group()))
    assert NAME in orphaned
    response = _upload(login_as(lib.author), "plan.pdf", orphaned)
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    assert NAME not in _stored(app)


def test_documents_that_cannot_be_cleaned_are_refused(app, lib, login_as):
    client = login_as(lib.author)
    before = _files(app)
    broken = docx_with_author(core="<cp:coreProperties><dc:creator>Jane")
    _refused(app, _upload(client, "a.docx", broken), before, "could not be cleaned")
    locked = pdf_with_author(encryption=pikepdf.Encryption(owner="o", user="u"))
    _refused(app, _upload(client, "a.pdf", locked), before, "password")


def test_photos_inside_documents_lose_their_gps(app, lib, login_as):
    from tests.library.conftest import jpeg_with_gps

    buffer = io.BytesIO(docx_with_author())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("word/media/image1.jpeg", jpeg_with_gps())
    response = _upload(login_as(lib.author), "photo.docx", buffer.getvalue())
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    photo = _zip_texts(_stored(app))["word/media/image1.jpeg"]
    assert photo.startswith(b"\xff\xd8\xff")
    assert b"PhoneMaker" not in photo and b"Exif" not in photo


def test_huge_image_inside_a_document_is_refused(app, lib, login_as):
    buffer = io.BytesIO(odt_with_author())
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("Pictures/big.png", png_header_only(9000, 9000))
    before = _files(app)
    response = _upload(login_as(lib.author), "big.odt", buffer.getvalue())
    _refused(app, response, before, "megapixels")
