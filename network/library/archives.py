"""ZIP containers (DOCX, ODT) read safely: limits checked from the directory
before any entry is inflated, bounded reads, and a clean rebuild."""

from __future__ import annotations

import os
import shutil
import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

from flask_babel import lazy_gettext as _l

ZIP_MAX_ENTRIES = 1000
ZIP_MAX_TOTAL = 100 * 1024 * 1024  # declared uncompressed bytes, all entries
ZIP_MAX_RATIO = 100  # uncompressed / compressed, for entries over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
ZIP_MAX_PART = 25 * 1024 * 1024  # one XML part parsed in memory to clean it
EOCD = b"PK\x05\x06"
EOCD_SIZE = 22
FIXED_TIME = (1980, 1, 1, 0, 0, 0)


class ArchiveError(ValueError):
    """A container refused before (or while) it was opened; says why."""


def _declared_entries(path: Path) -> int | None:
    """The entry count in the end-of-directory record, without parsing the rest."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        tail_len = min(size, EOCD_SIZE + 0xFFFF)
        handle.seek(size - tail_len)
        tail = handle.read(tail_len)
    at = tail.rfind(EOCD)
    if at < 0 or len(tail) - at < EOCD_SIZE:
        return None
    return struct.unpack("<H", tail[at + 10 : at + 12])[0]


def check_limits(path: Path) -> None:
    """Refuse a ZIP whose directory promises a bomb; nothing is inflated here."""
    declared = _declared_entries(path)
    if declared is None:
        raise zipfile.BadZipFile("no end of central directory")
    # Refusal texts are lazy: made off the request (offload), read in it.
    too_many = _l(
        "That document has too many parts (more than %(count)s), so it was "
        "refused. If it is a real document, save it again from your word "
        "processor and upload that copy.",
        count=ZIP_MAX_ENTRIES,
    )
    if declared > ZIP_MAX_ENTRIES:  # 0xFFFF also means ZIP64: never a document
        raise ArchiveError(too_many)
    with zipfile.ZipFile(path) as archive:
        entries = archive.infolist()
    if len(entries) > ZIP_MAX_ENTRIES:
        raise ArchiveError(too_many)
    total = sum(entry.file_size for entry in entries)
    bomb = any(
        entry.file_size > RATIO_FLOOR
        and entry.file_size > ZIP_MAX_RATIO * max(entry.compress_size, 1)
        for entry in entries
    )
    if total > ZIP_MAX_TOTAL or bomb:
        raise ArchiveError(
            _l(
                "That document unpacks to far more than its size (over %(size)s MB, "
                "or over %(ratio)s times smaller packed), so it was refused. If it "
                "is a real document, save it again from your word processor and "
                "upload that copy.",
                size=ZIP_MAX_TOTAL // (1024 * 1024),
                ratio=ZIP_MAX_RATIO,
            )
        )
    for entry in entries:
        if entry.flag_bits & 0x1:
            raise ArchiveError(
                _l(
                    "That document is protected by a password, so its details could "
                    "not be cleaned. Remove the password and upload it again."
                )
            )
        if entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ArchiveError(
                _l(
                    "That document could not be read; save it again from your word "
                    "processor and upload that copy."
                )
            )


def read_bounded(archive: zipfile.ZipFile, name: str, limit: int) -> bytes | None:
    """At most limit bytes of an entry; None if it holds more (never read whole)."""
    with archive.open(name) as entry:
        data = entry.read(limit + 1)
    return None if len(data) > limit else data


Cleaner = Callable[[str, bytes], bytes]


def rebuild(path: Path, clean: Callable[[str], Cleaner | None]) -> None:
    """Rewrite the ZIP entry by entry: cleaned parts, fixed times, no extras.

    `clean(name)` returns a function for the parts to rewrite; others are copied
    in chunks. The result replaces the file only when it is complete.
    """
    temp = path.with_name(path.name + ".clean")
    try:
        with zipfile.ZipFile(path) as source, zipfile.ZipFile(temp, "w") as target:
            for entry in source.infolist():
                _copy_entry(source, target, entry, clean(entry.filename))
        os.replace(temp, path)
    finally:
        temp.unlink(missing_ok=True)


def _copy_entry(source, target, entry: zipfile.ZipInfo, cleaner) -> None:
    info = zipfile.ZipInfo(entry.filename, date_time=FIXED_TIME)
    info.external_attr = 0o644 << 16
    stored = entry.filename == "mimetype"  # ODF: first, and never compressed
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    if entry.is_dir():
        target.writestr(info, b"")
    elif cleaner is not None:
        data = read_bounded(source, entry.filename, ZIP_MAX_PART)
        if data is None:
            raise ArchiveError(
                _l(
                    "That document is too large to clean; save it again from your "
                    "word processor and upload that copy."
                )
            )
        target.writestr(info, cleaner(entry.filename, data))
    else:
        with source.open(entry) as reader, target.open(info, "w") as writer:
            shutil.copyfileobj(reader, writer, 64 * 1024)
