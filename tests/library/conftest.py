"""Library fixtures: org A (owner), B collaborates with A, C only sees A."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

import pikepdf
import pytest
from PIL import Image

from network.models import Role
from tests import factories


@dataclass
class LibraryWorld:
    org_a: object
    org_b: object
    org_c: object
    lead_a: object
    author: object
    member_a: object
    bea: object
    cole: object


@pytest.fixture
def lib(app) -> LibraryWorld:
    org_a, org_b, org_c = factories.three_orgs(("Lib A", "Lib B", "Lib C"))
    return LibraryWorld(
        org_a,
        org_b,
        org_c,
        lead_a=factories.make_member(org_a, role=Role.LEAD, pseudonym="Lib Lead"),
        author=factories.make_member(org_a, pseudonym="Lib Author"),
        member_a=factories.make_member(org_a, pseudonym="Lib Member"),
        bea=factories.make_member(org_b, pseudonym="Lib Bea"),
        cole=factories.make_member(org_c, pseudonym="Lib Cole"),
    )


def pdf_bytes(text: str = "hello") -> bytes:
    """A one-page PDF whose page shows `text` (uncompressed, so it can be found)."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].Contents = pdf.make_stream(
        b"BT /F1 12 Tf 72 720 Td (" + text.encode() + b") Tj ET"
    )
    buffer = io.BytesIO()
    pdf.save(buffer, compress_streams=False)
    return buffer.getvalue()


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def odt_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    return buffer.getvalue()


def jpeg_with_gps() -> bytes:
    """A JPEG whose EXIF holds a GPS position (where a photo was taken)."""
    image = Image.new("RGB", (16, 16), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    gps = {1: "N", 2: (45.0, 30.0, 0.0), 3: "W", 4: (73.0, 35.0, 0.0)}
    exif[0x8825] = gps
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buffer, "PNG")
    return buffer.getvalue()
