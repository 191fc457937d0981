"""The French catalogue is complete: every marked string has a translation that
is not fuzzy and keeps its placeholders, and the committed .mo is the .po compiled."""

from __future__ import annotations

import re

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from network import i18n_build

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}")
LOCALE_DIR = i18n_build.TRANSLATIONS / "fr_CA" / "LC_MESSAGES"


@pytest.fixture(scope="module")
def template():
    """The strings marked in the code right now (extracted in-process)."""
    return i18n_build.extract()


@pytest.fixture(scope="module")
def french():
    with (LOCALE_DIR / "messages.po").open("rb") as handle:
        return read_po(handle, locale="fr_CA")


def _ids(message) -> tuple[str, ...]:
    return tuple(message.id) if isinstance(message.id, (list, tuple)) else (message.id,)


def _strings(message) -> tuple[str, ...]:
    string = message.string
    return tuple(string) if isinstance(string, (list, tuple)) else (string,)


def test_every_marked_string_has_french(template, french):
    problems = []
    for message in template:
        if not message.id:
            continue
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        found = french.get(message.id)
        if found is None or not all(_strings(found)):
            problems.append(f"{where}: no French for {_ids(message)[0]!r}")
        elif found.fuzzy:
            problems.append(f"{where}: fuzzy French for {_ids(message)[0]!r}")
    assert not problems, (
        "run `python -m network.i18n_build` after adding French to "
        "translations/fr_CA/parts/*.po:\n" + "\n".join(problems)
    )


def test_french_keeps_every_placeholder(french):
    problems = []
    for message in french:
        if not message.id:
            continue
        wanted = set(PLACEHOLDER.findall(_ids(message)[-1]))
        for string in _strings(message):
            if string and set(PLACEHOLDER.findall(string)) != wanted:
                problems.append(f"{_ids(message)[0]!r} -> {string!r}")
    assert not problems, "placeholders changed:\n" + "\n".join(problems)


def test_committed_mo_is_the_po_compiled(french):
    with (LOCALE_DIR / "messages.mo").open("rb") as handle:
        compiled = read_mo(handle)
    expected = {_ids(m): _strings(m) for m in french if m.id and all(_strings(m))}
    actual = {_ids(m): _strings(m) for m in compiled if m.id}
    assert actual == expected, "run `python -m network.i18n_build` and commit the .mo"


def test_built_po_is_up_to_date(template):
    catalog, _missing = i18n_build.merge(template, "fr_CA")
    catalog.creation_date = catalog.revision_date = i18n_build._EPOCH
    committed = (LOCALE_DIR / "messages.po").read_bytes()
    assert i18n_build.po_bytes(catalog) == committed, (
        "run `python -m network.i18n_build` and commit translations/"
    )


def test_the_real_catalogue_gives_french_ground_rules(app):
    """Strings marked with N_() (stored in English, translated where shown) are
    extracted and built too: the default ground rules read in French."""
    from flask_babel import gettext, refresh

    from network.models import DEFAULT_GROUND_RULES

    with app.test_request_context(headers={"Accept-Language": "fr-CA,fr;q=0.9"}):
        refresh()
        assert gettext(DEFAULT_GROUND_RULES).startswith("- **Confidentialité")
