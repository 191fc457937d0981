"""The insights page and CSV over HTTP, and the 1-6 people worlds: no figure
from fewer than 5 people is readable or derivable from the page, the CSV or
the chart."""

from __future__ import annotations

import csv
import html
import io
import re
from collections import defaultdict

import pytest

from network.models import Role
from tests import factories
from tests.insights import helpers

TD_RE = re.compile(r"<td>(.*?)</td>")
SVG_TEXT_RE = re.compile(
    r'<text x="[^"]+" y="[^"]+" font-size="11" fill="#111">(.*?)</text>'
)
SMALL = {"1", "2", "3", "4"}


def test_page_for_a_lead_has_charts_beside_tables(app, login_as):
    org = factories.make_org()
    client = login_as(helpers.lead_of(org))
    response = client.get("/insights")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.get_data(as_text=True)
    assert (
        "<svg" in body
        and "<script" not in body.split("<main", 1)[-1].split("</main>")[0]
    )
    assert ' style="' not in body
    assert "UTC" in body and "Supervision" in body


def test_csv_is_a_no_store_attachment(app, login_as):
    org = factories.make_org()
    response = login_as(helpers.lead_of(org)).get("/insights.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        response.headers["Content-Disposition"] == 'attachment; filename="insights.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["table", "row", "column", "value"]


@pytest.mark.parametrize("role", [Role.MODERATOR, Role.MEMBER])
def test_moderators_and_members_get_the_missing_page(app, login_as, role):
    org = factories.make_org()
    client = login_as(factories.make_member(org, role=role))
    missing = client.get("/no-such-page").get_data()
    for url in ("/insights", "/insights.csv"):
        response = client.get(url)
        assert response.status_code == 404 and response.get_data() == missing


def test_the_admin_sees_the_network_without_room_names(app, login_as):
    org = factories.make_org()
    helpers.post(factories.make_room(org, name="Quiet corner"), helpers.people(org, 6))
    body = login_as(factories.make_admin()).get("/insights").get_data(as_text=True)
    assert "Quiet corner" not in body and "whole network" in body


# Cells of 1 to 6 people: (room sizes, report category sizes, alerts, check-ins).
WORLDS = [
    ((1, 6, 6), (2, 6), 1, 4),
    ((2, 3, 6), (1, 1, 6), 3, 5),
    ((4, 5, 6), (5, 4), 5, 6),
    ((5, 5, 1), (6, 6, 3), 6, 2),
    ((1, 1, 6), (3, 3), 4, 1),
    ((6, 6, 6), (5, 6), 2, 3),
]
CATEGORIES = ("harassment", "spam", "other")


def _world(sizes):
    rooms, reports, alerts, checks = sizes
    org = factories.make_org()
    lead = helpers.lead_of(org)
    for n, size in enumerate(rooms):
        helpers.post(factories.make_room(org, name=f"R{n}"), helpers.people(org, size))
    for category, size in zip(CATEGORIES, reports, strict=False):
        helpers.report(org, helpers.people(org, size), category)
    room = factories.make_room(org, name="Support")
    helpers.alert(room, helpers.people(org, alerts))
    helpers.session_with(room, helpers.people(org, checks))
    return lead


def _assert_row_safe(cells: list[str], total: str | None):
    """No shown cell below 5, and hidden parts are not recoverable."""
    for shown in cells + ([total] if total else []):
        assert shown not in SMALL
    if total in (None, "<5") or "<5" not in cells:
        return
    hidden = cells.count("<5")
    residual = int(total) - sum(int(c) for c in cells if c != "<5")
    assert hidden >= 2 and residual >= 5 and residual > hidden


def _sections(page: str) -> dict[str, str]:
    parts = page.split('<section class="insight" id="insight-')[1:]
    return {part.split('"', 1)[0]: part for part in parts}


# Not counts of people: sessions (each shown only with 5+ participants) and
# organizations (trust levels).
NOT_PEOPLE = {("supervision", "Sessions held")}


@pytest.mark.parametrize("sizes", WORLDS, ids=str)
def test_small_cells_never_read_or_derived(app, login_as, sizes):
    client = login_as(_world(sizes))
    page = client.get("/insights").get_data(as_text=True)
    lines = list(
        csv.reader(io.StringIO(client.get("/insights.csv").get_data(as_text=True)))
    )[1:]
    by_table = defaultdict(list)
    rows = defaultdict(dict)
    for table, row, column, value in lines:
        by_table[table].append(value)
        if table != "connections" and (table, column) not in NOT_PEOPLE:
            rows[(table, row)][column] = value
    # The page's tables and charts show exactly the CSV's figures.
    for key, section in _sections(html.unescape(page)).items():
        assert TD_RE.findall(section) == by_table[key]
        assert set(SVG_TEXT_RE.findall(section)) <= set(by_table[key])
        if key not in ("supervision", "connections"):
            assert not set(SVG_TEXT_RE.findall(section)) & SMALL
    for (table, _), cells in rows.items():
        total = cells.pop("total", None)
        _assert_row_safe(list(cells.values()), total)
    messages = [v for (t, _), c in rows.items() if t == "messages" for v in c.values()]
    assert "<5" in messages or all(size >= 5 for size in sizes[0])
