"""direct conversations: message requests, who may ask, closed direct rooms

Revision ID: c2d5f7a91e34
Revises: d3e6a8b02f45
Create Date: 2026-11-27 14:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c2d5f7a91e34"
down_revision = "d3e6a8b02f45"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "message_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("sender_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("body", sa.String(length=500), nullable=False),
        sa.Column("content_warning", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("delivered", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.Column("answered_at", sa.DateTime(), nullable=True),
        sa.Column("room_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["sender_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recipient_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["room_id"], ["rooms.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("public_id"),
    )
    op.create_index(
        "ix_message_requests_sender",
        "message_requests",
        ["sender_id", "status", "expires_at"],
    )
    op.create_index(
        "ix_message_requests_recipient",
        "message_requests",
        ["recipient_id", "status", "delivered"],
    )
    # Plain ADD COLUMN, never batch mode: rebuilding rooms on SQLite would drop
    # it and cascade to its messages (and drop the search index's triggers).
    op.add_column(
        "profiles",
        sa.Column(
            "accept_requests",
            sa.String(length=8),
            nullable=False,
            server_default="anyone",
        ),
    )
    op.add_column("rooms", sa.Column("closed_at", sa.DateTime(), nullable=True))


def downgrade():
    op.drop_column("rooms", "closed_at")
    op.drop_column("profiles", "accept_requests")
    op.drop_index("ix_message_requests_recipient", table_name="message_requests")
    op.drop_index("ix_message_requests_sender", table_name="message_requests")
    op.drop_table("message_requests")
