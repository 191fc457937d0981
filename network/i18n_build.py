"""Build the catalogues: extract every marked string (templates, Python, scripts),
merge each language's hand-written parts into its messages.po, compile messages.mo.

    python -m network.i18n_build          # build, report missing French
    python -m network.i18n_build --check  # also fail (exit 1) if anything is missing
    python -m network.i18n_build --compile  # only messages.po -> messages.mo (setup)

translations/<locale>/parts/*.po are written by hand (one file per area); the
extracted template is the reference: an entry no longer marked is dropped, a
marked string without a translation is reported (and left empty).
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
# gettext's defaults plus _l (lazy_gettext) in Python and t() in scripts.
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "lazy_ngettext": (1, 2),
    "_l": None,
    "N_": None,  # marked, translated where shown (the default ground rules)
    "t": None,
}


def extract() -> Catalog:
    """Every marked string of the project, with its locations (the POT)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    template = Catalog(project="Peer Network", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        template.add(
            message, None, [(filename, lineno)], auto_comments=comments, context=context
        )
    return template


def read_parts(locale: str) -> Catalog:
    """The hand-written parts of one language, as one catalogue."""
    merged = Catalog(locale=locale, charset="utf-8")
    for part in sorted((TRANSLATIONS / locale / "parts").glob("*.po")):
        with part.open("rb") as handle:
            for message in read_po(handle, locale=locale):
                if message.id and message.string and not message.fuzzy:
                    merged[message.id] = message
    return merged


def _plural_forms(string, count: int):
    """A plural's forms, padded to the language's count (CLDR gives French a
    third form, for millions, written like the plural); None when missing."""
    if not isinstance(string, (list, tuple)) or not string or not string[0]:
        return None
    forms = [form for form in string if form] or [string[0]]
    return tuple((forms + [forms[-1]] * count)[:count])


def _translated(string) -> bool:
    if isinstance(string, (list, tuple)):
        return all(string)
    return bool(string)


def merge(template: Catalog, locale: str) -> tuple[Catalog, list[str]]:
    """The language's catalogue for exactly the template's strings, and the
    msgids with no translation yet."""
    parts = read_parts(locale)
    catalog = Catalog(locale=locale, project="Peer Network", charset="utf-8")
    catalog.header_comment = (
        "# Built by network/i18n_build.py from parts/*.po: edit those."
    )
    missing = []
    for message in template:
        if not message.id:
            continue
        found = parts.get(message.id)
        string = found.string if found is not None else None
        if isinstance(message.id, (list, tuple)):
            string = _plural_forms(string, catalog.num_plurals)
        if not _translated(string):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
            plural = isinstance(message.id, (list, tuple))
            string = ("",) * catalog.num_plurals if plural else ""
        catalog.add(
            message.id,
            string,
            locations=message.locations,
            auto_comments=message.auto_comments,
        )
    return catalog, missing


def po_bytes(catalog: Catalog) -> bytes:
    """The catalogue as a PO file (stable: no creation date)."""
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=88,
        omit_header=False,
        sort_output=True,
        include_lineno=False,
    )
    return buffer.getvalue()


def mo_bytes(catalog: Catalog) -> bytes:
    """The catalogue compiled for gettext."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def locales() -> list[str]:
    """The languages with a parts folder."""
    return sorted(p.parent.name for p in TRANSLATIONS.glob("*/parts"))


def build(check: bool = False) -> int:
    """Extract, merge and compile every language; report what is missing."""
    template = extract()
    status = 0
    for locale in locales():
        catalog, missing = merge(template, locale)
        # A fixed date keeps the committed files byte-stable between builds.
        catalog.creation_date = catalog.revision_date = _EPOCH
        out = TRANSLATIONS / locale / "LC_MESSAGES"
        out.mkdir(parents=True, exist_ok=True)
        (out / "messages.po").write_bytes(po_bytes(catalog))
        (out / "messages.mo").write_bytes(mo_bytes(catalog))
        print(f"{locale}: {len(catalog)} strings, {len(missing)} missing")
        for msgid in missing:
            print(f"  missing: {msgid!r}")
        if missing and check:
            status = 1
    return status


def _epoch():
    from datetime import datetime, timezone

    return datetime(2026, 1, 1, tzinfo=timezone.utc)


_EPOCH = _epoch()


def compile_only() -> int:
    """Compile each committed messages.po into messages.mo (no extraction)."""
    for po in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po")):
        with po.open("rb") as handle:
            catalog = read_po(handle, locale=po.parent.parent.name)
        po.with_suffix(".mo").write_bytes(mo_bytes(catalog))
    return 0


def main(argv: list[str] | None = None) -> int:
    """Command line: build, and with --check exit 1 when a translation is missing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--compile", action="store_true")
    args = parser.parse_args(argv)
    return compile_only() if args.compile else build(args.check)


if __name__ == "__main__":
    sys.exit(main())
