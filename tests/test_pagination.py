"""Library and directory pages: 20 a page in their order, a page past the last
shows the last one, a page below the first shows the first, and an empty list is
one empty page."""

from __future__ import annotations

from sqlalchemy import select

from network.directory import services as directory
from network.extensions import db
from network.library import services as library
from network.models import Profile, Resource
from tests import factories


def test_library_pages_newest_first_and_clamped(app):
    org = factories.make_org("Pages")
    author = factories.make_member(org, pseudonym="Pager")
    assert (library.search(author, page=3).page, library.search(author).pages) == (1, 1)
    db.session.add_all(
        Resource(owner_org_id=org.id, author_id=author.id, title=f"R{n}", kind="link")
        for n in range(45)
    )
    db.session.commit()
    first = library.search(author, page=1)
    assert (first.total, first.page, first.pages) == (45, 1, 3)
    assert [r.title for r in first.resources] == [f"R{n}" for n in range(44, 24, -1)]
    last = library.search(author, page=99)
    assert (last.page, [r.title for r in last.resources]) == (
        3,
        ["R4", "R3", "R2", "R1", "R0"],
    )
    assert library.search(author, page=-2).page == 1


def test_directory_pages_by_pseudonym_and_clamped(app):
    org = factories.make_org("Pages")
    viewer = factories.make_member(org, pseudonym="Viewer")
    empty = directory.search(actor=viewer, page=5)
    assert (empty.total, empty.page, empty.pages, empty.profiles) == (0, 1, 1, [])
    for n in range(25):
        factories.make_member(org, pseudonym=f"Peer {n:02d}")
    in_order = db.session.scalars(
        select(Profile.pseudonym)
        .where(Profile.account_id != viewer.id)
        .order_by(Profile.pseudonym_key, Profile.id)
    ).all()
    first = directory.search(actor=viewer, page=0)
    assert (first.total, first.page, first.pages) == (25, 1, 2)
    assert [e.pseudonym for e in first.profiles] == in_order[:20]
    last = directory.search(actor=viewer, page=7)
    assert last.page == 2
    assert [e.pseudonym for e in last.profiles] == in_order[20:]
    assert {e.organization for e in last.profiles} == {"Pages"}
