"""notifications: a kind and a link per person, never content

Revision ID: a1c4e6f80b12
Revises: b7c3e91f4a20
Create Date: 2026-11-27 14:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a1c4e6f80b12"
down_revision = "b7c3e91f4a20"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "notifications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.Column("link", sa.String(length=300), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("read_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    op.create_index(
        "ix_notifications_account",
        "notifications",
        ["account_id", "read_at", "id"],
    )
    op.create_index("ix_notifications_room_id", "notifications", ["room_id"])


def downgrade():
    op.drop_index("ix_notifications_room_id", table_name="notifications")
    op.drop_index("ix_notifications_account", table_name="notifications")
    op.drop_table("notifications")
