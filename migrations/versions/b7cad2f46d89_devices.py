"""devices: a public id, a coarse device label and a last-seen time per session

Revision ID: b7cad2f46d89
Revises: a6b9d1e35c78
Create Date: 2026-11-27 15:00:00.000000

"""

import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "b7cad2f46d89"
down_revision = "a6b9d1e35c78"
branch_labels = None
depends_on = None


def _fill_public_ids() -> None:
    """Give every existing session its own random public id."""
    bind = op.get_bind()
    rows = sa.table(
        "auth_sessions", sa.column("id", sa.Integer), sa.column("public_id")
    )
    for (row_id,) in list(bind.execute(sa.select(rows.c.id))):
        bind.execute(
            rows.update()
            .where(rows.c.id == row_id)
            .values(public_id=secrets.token_urlsafe(12))
        )


def upgrade():
    # Plain ADD COLUMN, never batch mode: rebuilding auth_sessions on SQLite would
    # drop the table, and the drop would cascade to the rows that reference it.
    # NOT NULL needs a default to add on SQLite; the backfill replaces it.
    op.add_column(
        "auth_sessions",
        sa.Column("public_id", sa.String(length=24), nullable=False, server_default=""),
    )
    _fill_public_ids()
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("auth_sessions", "public_id", server_default=None)
    op.create_index(
        "ix_auth_sessions_public_id", "auth_sessions", ["public_id"], unique=True
    )
    op.add_column(
        "auth_sessions",
        sa.Column("device", sa.String(length=40), nullable=False, server_default=""),
    )
    op.add_column(
        "auth_sessions", sa.Column("last_seen_at", sa.DateTime(), nullable=True)
    )


def downgrade():
    op.drop_column("auth_sessions", "last_seen_at")
    op.drop_column("auth_sessions", "device")
    op.drop_index("ix_auth_sessions_public_id", table_name="auth_sessions")
    op.drop_column("auth_sessions", "public_id")
