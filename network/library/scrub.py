"""Document metadata removal: who wrote, edited, commented or revised a DOCX, ODT
or PDF, and when. A document that cannot be cleaned is refused."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pikepdf
from lxml import etree

from flask_babel import lazy_gettext as _l
from network.library import archives, images

CANNOT_CLEAN = _l(
    "That document's details (such as who wrote it) could not be cleaned, so it was "
    "refused. Save it again from your word processor, or as a PDF, and upload that "
    "copy."
)
DC = "http://purl.org/dc/elements/1.1/"
# Attributes that name or date a person's edits (OOXML comments, tracked changes,
# people.xml); w:author is required where it appears, so it is blanked.
BLANKED = {"author", "initials"}
DROPPED = {"date", "dateUtc", "userId", "providerId"}
DROPPED_ELEMENTS = {"presenceInfo", "rsids", "attachedTemplate"}
TRIGGERS = (b"author", b"initials", b"rsid", b"date", b"presenceInfo", b"Template")
PERSONAL_PROPERTIES = ("docProps/core.xml", "docProps/app.xml", "docProps/custom.xml")
PHOTOS = {".png": "png", ".jpg": "jpg", ".jpeg": "jpg"}
PIXEL_BUDGET = 100_000_000  # all pictures of one document, decoded one by one


class CleanError(ValueError):
    """The document's metadata could not be removed; the message says so."""


def _parse(data: bytes) -> etree._ElementTree:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False
    )
    try:
        tree = etree.ElementTree(etree.fromstring(data, parser))
    except etree.XMLSyntaxError:
        raise CleanError(CANNOT_CLEAN) from None
    if tree.docinfo.doctype:  # no document part needs one; entities hide in it
        raise CleanError(CANNOT_CLEAN)
    return tree


def _serialize(tree: etree._ElementTree) -> bytes:
    return etree.tostring(
        tree,
        xml_declaration=True,
        encoding="UTF-8",
        standalone=tree.docinfo.standalone,
    )


def _local(name: str) -> str:
    return etree.QName(name).localname


def emptied(_name: str, data: bytes) -> bytes:
    """The part's root element with nothing inside (OOXML property parts)."""
    tree = _parse(data)
    root = tree.getroot()
    for child in list(root):
        root.remove(child)
    root.text = None
    return _serialize(tree)


def without_authors(_name: str, data: bytes) -> bytes:
    """OOXML parts without edit authors, initials, dates, rsids or templates."""
    if not any(trigger in data for trigger in TRIGGERS):
        return data
    tree = _parse(data)
    for element in list(tree.getroot().iter(etree.Element)):
        if _local(element.tag) in DROPPED_ELEMENTS:
            element.getparent().remove(element)
            continue
        if _local(element.tag) == "Relationship" and str(
            element.get("Type", "")
        ).endswith("/attachedTemplate"):
            element.getparent().remove(element)
            continue
        for key in list(element.attrib):
            local = _local(key)
            if local in DROPPED or local.startswith("rsid"):
                del element.attrib[key]
            elif local in BLANKED:
                element.attrib[key] = ""
    return _serialize(tree)


def odf_meta(_name: str, data: bytes) -> bytes:
    """ODF meta.xml with an empty office:meta (no creator, dates, edit counts)."""
    tree = _parse(data)
    for element in tree.getroot().iter(etree.Element):
        if _local(element.tag) == "meta":
            for child in list(element):
                element.remove(child)
            element.text = None
    return _serialize(tree)


def odf_without_authors(_name: str, data: bytes) -> bytes:
    """ODF content with annotation and tracked-change authors and dates blanked."""
    if DC.encode() not in data:
        return data
    tree = _parse(data)
    for element in tree.getroot().iter(f"{{{DC}}}creator", f"{{{DC}}}date"):
        element.text = ""
        for child in list(element):
            element.remove(child)
    return _serialize(tree)


class _Photos:
    """Re-encodes a document's PNG/JPEG pictures (no EXIF, no GPS) within a budget."""

    def __init__(self, max_pixels: int) -> None:
        self.max_pixels = max_pixels
        self.left = PIXEL_BUDGET

    def __call__(self, name: str, data: bytes) -> bytes:
        kind = PHOTOS[os.path.splitext(name)[1].lower()]
        clean = images.reencode(io.BytesIO(data), kind, self.max_pixels)
        with images.Image.open(io.BytesIO(clean)) as image:
            self.left -= image.width * image.height
        if self.left < 0:
            raise CleanError(
                _l(
                    "That document's pictures are too large in all to clean. Make "
                    "them smaller (or save the document as PDF) and upload it again."
                )
            )
        return clean


def _docx_cleaner(photos: _Photos):
    def pick(name: str) -> archives.Cleaner | None:
        if name in PERSONAL_PROPERTIES:
            return emptied
        if name.endswith((".xml", ".rels")):
            return without_authors
        return photos if os.path.splitext(name)[1].lower() in PHOTOS else None

    return pick


def _odt_cleaner(photos: _Photos):
    def pick(name: str) -> archives.Cleaner | None:
        if name == "meta.xml" or name.endswith("/meta.xml"):
            return odf_meta
        if name.endswith(".xml"):
            return odf_without_authors
        return photos if os.path.splitext(name)[1].lower() in PHOTOS else None

    return pick


def _odt_encrypted(path: Path) -> bool:
    with archives.zipfile.ZipFile(path) as archive:
        if "META-INF/manifest.xml" not in archive.namelist():
            return False
        manifest = archives.read_bounded(
            archive, "META-INF/manifest.xml", archives.ZIP_MAX_PART
        )
    return manifest is None or b"encryption-data" in manifest


def clean_office(path: Path, kind: str, max_pixels: int = images.MAX_PIXELS) -> None:
    """Rewrite a DOCX or ODT without its personal metadata."""
    if kind == "odt" and _odt_encrypted(path):
        raise CleanError(
            _l(
                "That document is protected by a password, so its details could "
                "not be cleaned. Remove the password and upload it again."
            )
        )
    photos = _Photos(max_pixels)
    pick = _odt_cleaner(photos) if kind == "odt" else _docx_cleaner(photos)
    try:
        archives.rebuild(path, pick)
    except images.ImageError as error:
        raise CleanError(
            _l("A picture inside: %(reason)s", reason=error.args[0])
        ) from None


def clean_pdf(path: Path) -> None:
    """Rewrite a PDF whole, without /Info, XMP, annotation authors or attachments."""
    temp = path.with_name(path.name + ".clean")
    try:
        with pikepdf.open(path) as pdf:
            if len(pdf.attachments):
                raise CleanError(
                    _l(
                        "That PDF has files attached inside it, whose details cannot "
                        "be cleaned. Remove the attachments and upload it again."
                    )
                )
            _strip_pdf(pdf)
            # A whole rewrite: old revisions and unreferenced objects are dropped.
            pdf.save(
                temp,
                deterministic_id=True,
                fix_metadata_version=False,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,
            )
        os.replace(temp, path)
    except pikepdf.PasswordError:
        raise CleanError(
            _l(
                "That PDF is protected by a password, so its details could not be "
                "cleaned. Remove the password and upload it again."
            )
        ) from None
    except pikepdf.PdfError:
        raise CleanError(CANNOT_CLEAN) from None
    finally:
        temp.unlink(missing_ok=True)


def _strip_pdf(pdf: pikepdf.Pdf) -> None:
    if "/Info" in pdf.trailer:
        del pdf.trailer["/Info"]
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            continue
        for key in ("/Metadata", "/PieceInfo"):
            if key in obj:
                del obj[key]
        # Markup annotations (comments) carry their author in /T; a form field's
        # /T is its name, so widgets keep it.
        if obj.get("/Type") == "/Annot" and obj.get("/Subtype") != "/Widget":
            for key in ("/T", "/M", "/CreationDate"):
                if key in obj:
                    del obj[key]
