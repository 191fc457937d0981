"""message search: full-text index of room messages

Revision ID: e4f7b9c13a56
Revises: a1c4e6f80b12
Create Date: 2026-11-27 14:00:00

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "e4f7b9c13a56"
down_revision = "a1c4e6f80b12"
branch_labels = None
depends_on = None


# Frozen here as they were when this migration was written (the models keep the
# live copy for create_all: network/models/message_search.py). Only text members
# can read is indexed: deleted and hidden messages stay out.
INDEXED = "{row}.deleted_at IS NULL AND {row}.hidden_at IS NULL"
SQLITE_SEARCH = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS messages_fts USING fts5("
    "body, content='messages', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_ai AFTER INSERT ON messages "
    f"WHEN {INDEXED.format(row='new')} BEGIN "
    "INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body); END",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_ad AFTER DELETE ON messages "
    f"WHEN {INDEXED.format(row='old')} BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, body) "
    "VALUES ('delete', old.id, old.body); END",
    "CREATE TRIGGER IF NOT EXISTS messages_fts_au AFTER UPDATE OF body, deleted_at, "
    "hidden_at ON messages BEGIN "
    "INSERT INTO messages_fts(messages_fts, rowid, body) "
    f"SELECT 'delete', old.id, old.body WHERE {INDEXED.format(row='old')}; "
    "INSERT INTO messages_fts(rowid, body) "
    f"SELECT new.id, new.body WHERE {INDEXED.format(row='new')}; END",
    # Backfill: the messages that exist, as the triggers would have indexed them.
    "INSERT INTO messages_fts(rowid, body) SELECT id, body FROM messages "
    f"WHERE {INDEXED.format(row='messages')}",
]
# A partial expression index: building it indexes the existing messages.
POSTGRES_SEARCH = (
    "CREATE INDEX IF NOT EXISTS ix_messages_search ON messages "
    "USING gin (to_tsvector('simple', body)) "
    "WHERE deleted_at IS NULL AND hidden_at IS NULL"
)


def upgrade():
    if op.get_bind().dialect.name == "sqlite":
        for statement in SQLITE_SEARCH:
            op.execute(statement)
    elif op.get_bind().dialect.name == "postgresql":
        op.execute(POSTGRES_SEARCH)


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for trigger in ("messages_fts_ai", "messages_fts_ad", "messages_fts_au"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS messages_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_messages_search")
