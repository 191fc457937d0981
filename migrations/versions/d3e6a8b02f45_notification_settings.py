"""notification settings: per-room mute, email about new activity (off by default)

Revision ID: d3e6a8b02f45
Revises: e4f7b9c13a56
Create Date: 2026-11-27 14:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d3e6a8b02f45"
down_revision = "e4f7b9c13a56"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, not batch mode: a batch would copy and DROP these tables
    # on SQLite, and with foreign keys on, dropping accounts cascades to every
    # row that references an account (memberships, separations, messages...).
    op.add_column(
        "room_members",
        sa.Column(
            "notifications_muted",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
        ),
    )
    op.add_column(
        "accounts",
        sa.Column(
            "notify_by_email", sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    op.add_column(
        "accounts", sa.Column("notified_by_email_at", sa.DateTime(), nullable=True)
    )


def downgrade():
    # SQLite 3.35+ drops a column in place (no table copy).
    op.drop_column("accounts", "notified_by_email_at")
    op.drop_column("accounts", "notify_by_email")
    op.drop_column("room_members", "notifications_muted")
