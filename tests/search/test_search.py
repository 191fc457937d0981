"""Message search: the service (queries, snippets, paging, limits), the index
forgetting removed text, the page over HTTP, and a room opened at a result."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager

from sqlalchemy import event, text

from network import policy
from network.extensions import db
from network.models import Role
from network.moderation import services as moderation
from network.rooms import services as rooms
from network.search import services
from tests import factories
from tests.search.world import member, say


@contextmanager
def counted():
    """The SQL statements run inside the block."""
    statements: list[str] = []

    def count(conn, cursor, statement, *args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _room_with(org, *people, name="Room"):
    room = factories.make_room(org, name=name)
    for person in people:
        member(room, person)
    return room


def _ids(page) -> list[str]:
    return [result.message_id for result in page.results]


def test_every_word_as_a_prefix_accents_ignored_newest_first(app):
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    first = say(room, me, "Housing court on Tuesday")
    second = say(room, me, "The café near the court")
    say(room, me, "Nothing to see")
    assert _ids(services.search(me, "court")) == [second.public_id, first.public_id]
    assert _ids(services.search(me, "hous COURT")) == [first.public_id]
    assert _ids(services.search(me, "cafe")) == [second.public_id]


def test_empty_and_wordless_queries_are_told_so_and_syntax_is_plain_text(app):
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    found = say(room, me, "near or not")
    assert services.search(me, "   ").error == services.EMPTY
    assert services.search(me, '"*()^:-').error == services.NO_WORDS
    for query in ("near(or", "body:near", '"near" OR', "NOT near", "near*", "x" * 5000):
        page = services.search(me, query)
        assert page.error == "" and page.query == query.strip()[:200]
    assert _ids(services.search(me, 'NEAR("or"')) == [found.public_id]


def test_snippet_is_the_sanitized_text_with_marked_words(app, login_as):
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    say(room, me, "**Zanzibar** <script>alert(1)</script> <b onclick=x>bold</b>")
    result = services.search(me, "zanzibar").results[0]
    assert [s.text for s in result.snippet if s.match] == ["Zanzibar"]
    # The sanitizer kept the typed tags as text; the page escapes every segment.
    assert "".join(s.text for s in result.snippet).startswith("Zanzibar <script>")
    page = login_as(me).get("/search?q=zanzibar").get_data(as_text=True)
    assert "<mark>Zanzibar</mark>" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<b onclick" not in page


def test_a_content_warning_comes_before_the_snippet(app, login_as):
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    say(room, me, "the hearing went badly", content_warning="court, violence")
    page = login_as(me).get("/search?q=hearing").get_data(as_text=True)
    shown = re.search(r'<details class="result-cw">(.*?)</details>', page, re.S)
    assert "Content warning: court, violence" in shown.group(1)
    assert "<mark>hearing</mark>" in shown.group(1)


def test_long_message_snippet_is_cut_around_the_match(app):
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    say(room, me, "word " * 200 + "quokka " + "tail " * 200)
    snippet = services.search(me, "quokka").results[0].snippet
    shown = "".join(s.text for s in snippet)
    assert shown.startswith("…") and shown.endswith("…") and len(shown) <= 170
    assert [s.text for s in snippet if s.match] == ["quokka"]


def test_pages_by_keyset_without_repeats(app):
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    made = [say(room, me, f"numbat {n}").public_id for n in range(25)]
    first = services.search(me, "numbat")
    assert len(first.results) == services.PAGE_SIZE and first.next_cursor
    second = services.search(me, "numbat", before=first.next_cursor)
    assert second.next_cursor is None
    assert _ids(first) + _ids(second) == made[::-1]


def test_one_statement_per_results_page_whatever_the_rooms(app):
    org = factories.make_org()
    me = factories.make_member(org, role=Role.LEAD)
    few = [_room_with(org, me, name=f"r{n}") for n in range(2)]
    for room in few:
        say(room, me, "wombat here")
    policy.active_membership(me)  # the signed-in member, as a request has it
    with counted() as small:
        assert len(services.search(me, "wombat").results) == 2
    for n in range(20):
        say(_room_with(org, me, name=f"more{n}"), me, "wombat there")
    policy.active_membership(me)
    with counted() as large:
        assert len(services.search(me, "wombat").results) == services.PAGE_SIZE
    assert len(small) == len(large) == 1


def test_searches_are_rate_limited_per_member(app):
    app.config["SOCKET_LIMITS"] = {**app.config["SOCKET_LIMITS"], "search": "2/minute"}
    org = factories.make_org()
    me, other = factories.make_member(org), factories.make_member(org)
    assert not services.search(me, "a").error and not services.search(me, "b").error
    assert services.search(me, "c").error == services.TOO_FAST
    assert services.search(me, "").error == services.EMPTY  # not counted, not run
    assert not services.search(other, "a").error


def _index_holds(word: str) -> bool:
    """Whether any byte of the FTS5 index still holds the word. FTS5 stores a term
    after the prefix it shares with the term before it: each word tested here
    starts with a letter no other word in the index starts with."""
    blocks = db.session.execute(text("SELECT block FROM messages_fts_data")).scalars()
    firsts = db.session.execute(text("SELECT term FROM messages_fts_idx")).scalars()
    held = [block or b"" for block in blocks] + [bytes(t or b"") for t in firsts]
    return any(word.encode() in block for block in held)


def test_deleted_hidden_edited_and_purged_text_leaves_the_index(app):
    org = factories.make_org()
    me = factories.make_member(org, role=Role.MODERATOR)
    room = _room_with(org, me)
    kept = say(room, me, "ordinary")
    deleted = say(room, me, "quetzal")
    hidden = say(room, me, "xylophone")
    edited = say(room, me, "jackdaw")
    say(room, me, "zebu", days_ago=room.retention_days + 1)
    gone = ("quetzal", "xylophone", "jackdaw", "zebu")
    for word in (*gone, "ordinary"):
        assert _index_holds(word)
    rooms.delete_message(room, deleted, actor=me)
    moderation.hide_message(room, hidden, "harmful", actor=me)
    rooms.edit_message(room, edited, actor=me, body="fixed", content_warning="")
    assert rooms.purge_expired() == 1
    for word in gone:
        assert not _index_holds(word), word
        assert services.search(me, word).results == []
    assert _index_holds("ordinary") and _ids(services.search(me, "fixed"))
    assert _ids(services.search(me, "ordinary")) == [kept.public_id]
    check = "INSERT INTO messages_fts(messages_fts) VALUES ('integrity-check')"
    db.session.execute(text(check))  # raises if the index disagrees with the table


def test_search_page_over_http(app, login_as):
    org = factories.make_org()
    me = factories.make_member(org, pseudonym="Robin Searcher")
    room = _room_with(org, me, name="Harbour room")
    message = say(room, me, "meet at the lighthouse")
    client = login_as(me)
    blank = client.get("/search")
    assert blank.status_code == 200 and 'role="search"' in blank.get_data(as_text=True)
    assert "No messages found" not in blank.get_data(as_text=True)
    empty = client.get("/search?q=").get_data(as_text=True)
    assert services.EMPTY in empty
    none = client.get("/search?q=submarine").get_data(as_text=True)
    assert "No messages found." in none
    page = client.get("/search?q=lighthouse").get_data(as_text=True)
    link = f"/rooms/{room.public_id}?at={message.public_id}"
    assert link in page and "Harbour room" in page and "Robin Searcher" in page
    assert re.search(r"<time datetime=\"[^\"]+\">", page)
    waiting = factories.make_member(org, status="pending")
    assert login_as(waiting).get("/search?q=lighthouse").status_code == 302
    assert login_as(None).get("/search?q=lighthouse").status_code == 302


def test_too_many_searches_answer_429_with_a_calm_message(app, login_as):
    app.config["SOCKET_LIMITS"] = {**app.config["SOCKET_LIMITS"], "search": "1/minute"}
    org = factories.make_org()
    client = login_as(factories.make_member(org))
    assert client.get("/search?q=one").status_code == 200
    response = client.get("/search?q=two")
    assert response.status_code == 429
    assert services.TOO_FAST in response.get_data(as_text=True)


def _shown(page: str) -> list[str]:
    data = re.search(r'id="initial-messages">(.*?)</script>', page, re.S).group(1)
    return [m["id"] for m in json.loads(data)["messages"]]


def test_room_opens_around_the_message_a_result_links_to(app, login_as):
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    made = [say(room, me, f"line {n}").public_id for n in range(80)]
    client = login_as(me)
    page = client.get(f"/rooms/{room.public_id}?at={made[40]}").get_data(as_text=True)
    assert f'data-at="{made[40]}"' in page
    assert _shown(page) == made[15:66]  # half a page either side of it
    assert f"before={made[15]}" in page  # "Load earlier messages"
    newest = client.get(f"/rooms/{room.public_id}?at=not-a-message")
    assert newest.status_code == 200
    assert 'data-at=""' in newest.get_data(as_text=True)
    assert _shown(newest.get_data(as_text=True)) == made[30:]


def test_a_result_near_the_start_has_no_earlier_link(app, login_as):
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    made = [say(room, me, f"line {n}").public_id for n in range(30)]
    page = login_as(me).get(f"/rooms/{room.public_id}?at={made[3]}")
    text_ = page.get_data(as_text=True)
    assert _shown(text_) == made[:29] and "Load earlier messages" not in text_


def test_a_room_opened_at_a_kept_apart_authors_message_opens_at_the_newest(
    app, login_as
):
    org = factories.make_org()
    me, other = factories.make_member(org), factories.make_member(org)
    room = _room_with(org, me, other)
    theirs = say(room, other, "before the separation")
    made = [say(room, me, f"line {n}").public_id for n in range(60)]
    factories.separate(me, other)
    page = login_as(me).get(f"/rooms/{room.public_id}?at={theirs.public_id}")
    text_ = page.get_data(as_text=True)
    assert 'data-at=""' in text_ and _shown(text_) == made[10:]


def test_a_room_opened_at_a_message_costs_two_statements_more(app, login_as):
    """The message's place (one query through the visibility filter) and the
    history after it; the same for a short or a long room."""
    org = factories.make_org()
    me = factories.make_member(org)
    room = _room_with(org, me)
    client = login_as(me)
    counts = []
    for total in (10, 120):
        while len(_made(room)) < total:
            say(room, me, "line")
        middle = _made(room)[total // 2]
        client.get(f"/rooms/{room.public_id}")  # warm: the session's first use
        with counted() as plain:
            client.get(f"/rooms/{room.public_id}")
        with counted() as at:
            client.get(f"/rooms/{room.public_id}?at={middle}")
        counts.append((len(plain), len(at)))
    assert counts[0] == counts[1] and counts[0][1] == counts[0][0] + 2


def _made(room) -> list[str]:
    from sqlalchemy import select

    from network.models import Message

    stmt = select(Message.public_id).where(Message.room_id == room.id)
    return list(db.session.scalars(stmt.order_by(Message.id)))


def test_a_room_kind_may_title_its_rooms_in_results(app):
    """The hook a direct conversation uses (titled by the other person): called
    once per page for that kind's rooms only."""
    from tests.search.world import supervision_room

    org = factories.make_org()
    me = factories.make_member(org)
    channel = _room_with(org, me, name="Plain channel")
    circle = supervision_room(org, "Circle name")
    member(circle, me)
    say(channel, me, "dingo one")
    say(circle, me, "dingo two")
    calls = []

    def titles(viewer, room_ids):
        calls.append(room_ids)
        return {room_id: f"Titled for {viewer.pseudonym}" for room_id in room_ids}

    services.add_room_title(app, "supervision", titles)
    shown = [r.room_title for r in services.search(me, "dingo").results]
    assert shown == [f"Titled for {me.pseudonym}", "Plain channel"]
    assert calls == [[circle.public_id]]
    services.search(me, "one")
    assert len(calls) == 1  # no room of that kind on the page: not called
