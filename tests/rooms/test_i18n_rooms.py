"""French for the rooms area (issue 18): the part file covers every string the
area marks, and a French reader gets French pages, scripts' catalogue and default
ground rules, while rules a moderator wrote and English readers are unchanged."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask_babel import refresh

from network.models import DEFAULT_GROUND_RULES
from tests.factories import make_member, make_org, make_room

ROOT = Path(__file__).resolve().parents[2]
PART = ROOT / "translations" / "fr_CA" / "parts" / "rooms.po"
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_l": None, "N_": None}
AREA = {
    "templates": (
        ["rooms", "supervision", "moderation", "conversations", "notifications"]
        + ["search"],
        [("**.html", "jinja2")],
    ),
    "network": (
        ["rooms", "supervision", "moderation", "conversations", "notifications"]
        + ["search", "models"],
        [("**.py", "python")],
    ),
    "static/js": (["room"], [("**.js", "javascript")]),
}
OTHER_MODELS = {"rooms.py", "notifications.py", "moderation.py"}


def _area_messages() -> set[str]:
    found: set[str] = set()
    for top, (folders, method_map) in AREA.items():
        for folder in folders:
            directory = ROOT / top / folder
            keywords = {**KEYWORDS, "t": None} if top == "static/js" else KEYWORDS
            for filename, _line, message, _c, _x in extract_from_dir(
                directory, method_map, keywords=keywords
            ):
                if folder == "models" and Path(filename).name not in OTHER_MODELS:
                    continue
                found.add(message[0] if isinstance(message, tuple) else message)
    with (ROOT / "static/js/room-scroll.js").open("rb") as handle:
        from babel.messages.extract import extract

        for _line, message, _c, _x in extract(
            "javascript", handle, keywords={"t": None}
        ):
            found.add(message)
    return found


def test_part_file_translates_every_string_the_area_marks():
    catalogue = read_po(PART.open("rb"))
    translated = {
        (m.id[0] if isinstance(m.id, tuple) else m.id)
        for m in catalogue
        if m.id and all(m.string if isinstance(m.string, tuple) else [m.string])
    }
    missing = _area_messages() - translated
    assert not missing, sorted(missing)
    assert not list(catalogue.check())  # placeholders kept


@pytest.fixture()
def french(app, tmp_path):
    """The part file compiled into a temporary catalogue the app reads."""
    folder = tmp_path / "fr_CA" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "messages.mo").open("wb") as handle:
        write_mo(handle, read_po(PART.open("rb")))
    babel = app.extensions["babel"]
    babel.translation_directories = [str(tmp_path)]
    return {"Accept-Language": "fr-CA,fr;q=0.9"}


def test_room_page_speaks_french_to_a_french_reader(app, login_as, french):
    org = make_org()
    member = make_member(org)
    room = make_room(org)
    client = login_as(member)
    page = client.get(f"/rooms/{room.public_id}", headers=french).get_data(True)
    assert 'lang="fr-CA"' in page
    assert ">Envoyer</button>" in page
    assert "Les messages sont conservés 90 jours." in page
    scripts = json.loads(
        re.search(r'id="i18n-catalogue">(.*?)</script>', page, re.S).group(1)
    )
    assert scripts["Message deleted."] == "Message supprimé."
    assert scripts["Send"] == "Envoyer"
    english = client.get(f"/rooms/{room.public_id}").get_data(True)
    assert ">Send</button>" in english and "Message supprim" not in english


def test_default_ground_rules_shown_in_the_readers_language(app, french):
    from network.rooms import ground_rules_shown

    room = make_room(make_org())
    room.ground_rules = DEFAULT_GROUND_RULES
    with app.test_request_context(headers=french):
        refresh()  # the outer app context may have cached a locale already
        assert "**Confidentialité" in ground_rules_shown(room)
        room.ground_rules = "- Be kind."  # a moderator's words, as written
        assert ground_rules_shown(room) == "- Be kind."
    room.ground_rules = DEFAULT_GROUND_RULES
    with app.test_request_context():
        refresh()  # the test's outer app context keeps the French locale cached
        assert ground_rules_shown(room) == DEFAULT_GROUND_RULES
