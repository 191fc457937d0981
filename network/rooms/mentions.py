"""Mentions: `@**Name**`, `@**Name|TAG**` or `@Name`, resolved among the people
the writer may mention in the room (policy.visible_mentionable).

Syntax (docs/security.md, "Notifications"): the composer's suggestions insert
`@**Willow Tree**`, and `@**Willow Tree|K7QX**` when two people the writer sees
in the room share the name; a plain `@Willow` also resolves a name without
spaces. A name shared by two such people without a tag, or a name of someone
the writer may not mention, notifies nobody. The rendering never says which
names resolved (render()).
"""

from __future__ import annotations

import re
from typing import NamedTuple

from sqlalchemy import func, or_, select

from network import markup, policy
from network.extensions import db
from network.models import Account, Profile, Room
from network.notifications.services import notify_many

MAX_MENTIONS = 20  # names looked up per message
SUGGESTIONS = 8
_FULL = re.compile(r"@\*\*([^*|\n]{1,40}?)(?:\|([A-Za-z0-9]{4}))?\*\*")
_PLAIN = re.compile(r"(?<![\w@])@([^\W_][\w.'-]{0,39})")


class Person(NamedTuple):
    """A mentionable person found for a message."""

    account_id: int
    pseudonym: str
    tag: str


class Mentions(NamedTuple):
    """Who a message's mentions resolved to, by the lower-cased name written."""

    by_name: dict[str, list[Person]]

    def person(self, name: str, tag: str | None) -> Person | None:
        """The one person `name` (with `tag`, if given) means, or None."""
        found = self.by_name.get(name.strip().lower(), [])
        if tag:
            found = [p for p in found if p.tag.upper() == tag.upper()]
        return found[0] if len(found) == 1 else None

    def people(self, body: str) -> list[Person]:
        """Everyone the body mentions, once each."""
        found = {}
        for name, tag in written(body):
            person = self.person(name, tag)
            if person is not None:
                found[person.account_id] = person
        return list(found.values())


NONE = Mentions({})


def written(body: str) -> list[tuple[str, str | None]]:
    """The (name, tag) pairs written as mentions, in order, at most MAX_MENTIONS."""
    pairs = [(m.group(1).strip(), m.group(2)) for m in _FULL.finditer(body)]
    rest = _FULL.sub(" ", body)
    pairs += [(_trim(m.group(1)), None) for m in _PLAIN.finditer(rest)]
    return [(name, tag) for name, tag in pairs if name][:MAX_MENTIONS]


def _trim(name: str) -> str:
    return name.rstrip(".'-")


def resolve(room: Room, writer: Account, body: str) -> Mentions:
    """Look up the written names among the people the writer may mention in the
    room: no statement for a body without `@`, one otherwise."""
    if "@" not in body:
        return NONE
    exact = {name for name, _ in written(body)}
    names = {name.lower() for name in exact}
    if not names:
        return NONE
    # SQL lower() folds ASCII only: the names as written match the rest.
    stmt = select(Profile.account_id, Profile.pseudonym, Profile.tag).where(
        or_(
            Profile.pseudonym.in_(exact | names),
            func.lower(Profile.pseudonym).in_(names),
        )
    )
    stmt = policy.visible_mentionable(stmt, writer, room, Profile.account_id)
    by_name: dict[str, list[Person]] = {}
    for account_id, pseudonym, tag in db.session.execute(stmt.limit(200)):
        if pseudonym.lower() in names:
            by_name.setdefault(pseudonym.lower(), []).append(
                Person(account_id, pseudonym, tag)
            )
    return Mentions(by_name)


def render(body: str) -> str:
    """The message's HTML, the same for every reader whoever was resolved: each
    `@**Name**` (or `@**Name|TAG**`) becomes a plain `<span class="mention">`
    (never bold). Whether a name resolved is not shown: a reader kept apart from
    the person named would otherwise learn that they are in the room. Each
    reader's page highlights the mentions of themselves (room/mentions.js)."""

    def full(match: re.Match) -> str:
        name, _, tag = match.group(1).partition("|")
        shown = f"{name.strip()} · {tag}" if tag else name.strip()
        return f'<span class="mention">@{shown}</span>'

    return _RENDERED.sub(full, markup.render(body))


_RENDERED = re.compile(r"@<strong>([^<|*]{1,60}?(?:\|[A-Za-z0-9]{4})?)</strong>")


def notify_mentioned(room: Room, writer: Account, message_id: str, people) -> None:
    """Tell each mentioned person (not the writer; not where they muted the
    room), linking to the message in its room. A new message only: an edit
    never notifies."""
    ids = [person.account_id for person in people if person.account_id != writer.id]
    if ids:
        link = f"/rooms/{room.public_id}#message-{message_id}"
        notify_many(ids, "mention", room_id=room.id, link=link)


def suggestions(room: Room, writer: Account, prefix: str) -> list[dict]:
    """Up to SUGGESTIONS people the writer may mention whose name starts with
    prefix: {name, tag, full} where full is what the composer inserts."""
    prefix = prefix.strip().lower()
    stmt = select(Profile.account_id, Profile.pseudonym, Profile.tag)
    if prefix:
        escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(func.lower(Profile.pseudonym).like(escaped + "%", "\\"))
    stmt = policy.visible_mentionable(stmt, writer, room, Profile.account_id)
    rows = db.session.execute(
        stmt.order_by(Profile.pseudonym, Profile.tag).limit(SUGGESTIONS)
    ).all()
    counts: dict[str, int] = {}
    for _, name, _ in rows:
        counts[name.lower()] = counts.get(name.lower(), 0) + 1
    return [
        {
            "name": name,
            "tag": tag,
            "insert": f"@**{name}|{tag}**"
            if counts[name.lower()] > 1
            else f"@**{name}**",
        }
        for _, name, tag in rows
    ]
