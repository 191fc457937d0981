"""Upload checks: the type comes from the content, images lose their metadata, and
a refused file leaves nothing on disk."""

from __future__ import annotations

import os
import re
import secrets
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from werkzeug.utils import secure_filename
from flask_babel import lazy_gettext as _l

from network.library import archives, images, scrub

TYPES = {
    "pdf": ("application/pdf", ".pdf", _l("PDF")),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".docx",
        _l("Word (DOCX)"),
    ),
    "odt": (
        "application/vnd.oasis.opendocument.text",
        ".odt",
        _l("OpenDocument (ODT)"),
    ),
    "txt": ("text/plain; charset=utf-8", ".txt", _l("plain text")),
    "png": ("image/png", ".png", _l("PNG image")),
    "jpg": ("image/jpeg", ".jpg", _l("JPEG image")),
}
EXTENSIONS = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".odt": "odt",
    ".txt": "txt",
    ".png": "png",
    ".jpg": "jpg",
    ".jpeg": "jpg",
}
ALLOWED_TEXT = _l("PDF, DOCX, ODT, TXT, PNG or JPEG")
CHUNK = 64 * 1024
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
MIMETYPE_MAX = 100  # the ODF `mimetype` entry is one short line
MAX_PIXELS = images.MAX_PIXELS


class UploadError(ValueError):
    """A refused upload; the message says why, and nothing was kept."""


@dataclass
class StoredFile:
    """What the library records about an accepted file."""

    stored_name: str
    file_name: str
    mime_type: str
    size: int


def clean_name(name: str) -> str:
    """A display name without paths, control or direction-changing characters."""
    name = unicodedata.normalize("NFKC", name or "")
    name = "".join(c for c in name if unicodedata.category(c) not in {"Cc", "Cf"})
    name = re.split(r"[\\/]", name)[-1]
    return secure_filename(name)[:100] or "file"


def _is_text(data: bytes) -> bool:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r\f" for c in text):
        return False
    # Markup is refused outright: HTML and SVG must never be served back.
    return not text.lstrip("\ufeff \t\r\n").startswith("<")


def sniff(path: Path) -> str | None:
    """The file's real type from its content, or None if it is not allowed."""
    with path.open("rb") as handle:
        head = handle.read(8)
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith(b"PK\x03\x04"):
        return _office_type(path)
    return "txt" if _is_text(path.read_bytes()) else None


def _office_type(path: Path) -> str | None:
    try:
        archives.check_limits(path)  # from the directory: nothing inflated yet
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            if names and names[0] == "mimetype":
                head = archives.read_bounded(archive, "mimetype", MIMETYPE_MAX)
                if head is not None and head.strip() == ODT_MIMETYPE:
                    return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except archives.ArchiveError as error:
        raise UploadError(error.args[0]) from None
    except (zipfile.BadZipFile, OSError, KeyError, EOFError, ValueError):
        return None
    return None


def _strip_image(path: Path, kind: str, max_pixels: int) -> None:
    """Re-encode the pixels only: EXIF, GPS and every other chunk are dropped."""
    path.write_bytes(images.reencode(path, kind, max_pixels))


def inspect(path: Path, claimed: str, max_pixels: int = MAX_PIXELS) -> str:
    """Check the content matches the claimed type and clean it; CPU-heavy."""
    kind = sniff(path)
    if kind is None:
        raise UploadError(_l("That file is not a %(types)s file.", types=ALLOWED_TEXT))
    if kind != claimed:
        raise UploadError(
            _l(
                "That file's content is not %(type)s, whatever its name.",
                type=TYPES[claimed][2],
            )
        )
    try:
        if kind in {"png", "jpg"}:
            _strip_image(path, kind, max_pixels)
        elif kind == "pdf":
            scrub.clean_pdf(path)
        elif kind in {"docx", "odt"}:
            scrub.clean_office(path, kind, max_pixels)
    except (scrub.CleanError, archives.ArchiveError, images.ImageError) as error:
        raise UploadError(error.args[0]) from None  # still lazy: read in the request
    return kind


def _direct(func: Callable, *args):
    return func(*args)


def _receive(stream, temp: Path, max_bytes: int) -> None:
    size = 0
    with temp.open("wb") as handle:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                raise UploadError(
                    _l(
                        "That file is larger than %(size)s MB.",
                        size=max_bytes // (1024 * 1024),
                    )
                )
            handle.write(chunk)
    if size == 0:
        raise UploadError(_l("That file is empty."))


def store(
    stream,
    original_name: str,
    directory: Path,
    max_bytes: int,
    *,
    max_pixels: int = MAX_PIXELS,
    run: Callable = _direct,
) -> StoredFile:
    """Check and keep an uploaded file under a random name outside static/.

    The stream is read here (it belongs to the request); the checks and the
    cleaning go through `run`, which can move them off the event loop.
    """
    directory.mkdir(parents=True, exist_ok=True)
    claimed = EXTENSIONS.get(os.path.splitext(clean_name(original_name))[1].lower())
    if claimed is None:
        raise UploadError(_l("Upload a %(types)s file.", types=ALLOWED_TEXT))
    temp = directory / f".upload-{secrets.token_hex(12)}"
    try:
        _receive(stream, temp, max_bytes)
        kind = run(inspect, temp, claimed, max_pixels)
        final = secrets.token_hex(16)
        temp.rename(directory / final)
    finally:
        if temp.exists():
            temp.unlink()
    stem = os.path.splitext(clean_name(original_name))[0] or "file"
    mime, extension, _ = TYPES[kind]
    return StoredFile(
        final, f"{stem}{extension}", mime, (directory / final).stat().st_size
    )


def remove(directory: Path, stored_name: str) -> None:
    """Delete a stored file (names are ours: hex only, no paths)."""
    if re.fullmatch(r"[0-9a-f]{32}", stored_name or ""):
        (directory / stored_name).unlink(missing_ok=True)
