"""deletion and retention: account tombstones, a room's rule for a deleted
author's messages, the admin's retention bounds

Revision ID: c8dbe3a57f90
Revises: f5a8c0d24b67
Create Date: 2026-11-27 15:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c8dbe3a57f90"
down_revision = "f5a8c0d24b67"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never batch mode: rebuilding accounts or rooms on SQLite
    # would drop the table and cascade to every row that references it (and drop
    # the messages search triggers).
    op.add_column("accounts", sa.Column("deleted_at", sa.DateTime(), nullable=True))
    op.add_column(
        "rooms",
        sa.Column(
            "on_author_deletion",
            sa.String(length=8),
            nullable=False,
            server_default="remove",
        ),
    )
    op.create_table(
        "platform_settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("retention_min_days", sa.Integer(), nullable=False),
        sa.Column("retention_max_days", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )


def downgrade():
    op.drop_table("platform_settings")
    op.drop_column("rooms", "on_author_deletion")
    op.drop_column("accounts", "deleted_at")
