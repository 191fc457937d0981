"""availability: weekly hours, breaks, held notifications and waiting requests

Revision ID: f5a8c0d24b67
Revises: b7cad2f46d89
Create Date: 2026-11-27 14:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f5a8c0d24b67"
down_revision = "b7cad2f46d89"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "availability_hours",
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("weekly", sa.String(length=400), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("account_id"),
    )
    # Plain ADD COLUMN, never batch mode: rebuilding an existing table on SQLite
    # drops it, cascades to every row referencing it and loses search triggers.
    op.add_column(
        "profiles",
        sa.Column("on_break", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column("profiles", sa.Column("break_until", sa.DateTime(), nullable=True))
    op.add_column(
        "profiles",
        sa.Column(
            "share_break_with_leads",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
        ),
    )
    op.add_column(
        "notifications", sa.Column("visible_from", sa.DateTime(), nullable=True)
    )
    op.create_index("ix_notifications_visible_from", "notifications", ["visible_from"])
    op.add_column(
        "message_requests", sa.Column("visible_from", sa.DateTime(), nullable=True)
    )


def downgrade():
    op.drop_column("message_requests", "visible_from")
    op.drop_index("ix_notifications_visible_from", table_name="notifications")
    op.drop_column("notifications", "visible_from")
    op.drop_column("profiles", "share_break_with_leads")
    op.drop_column("profiles", "break_until")
    op.drop_column("profiles", "on_break")
    op.drop_table("availability_hours")
