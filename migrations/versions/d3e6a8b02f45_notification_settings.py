"""notification settings: per-room mute, email about new activity (off by default)

Revision ID: d3e6a8b02f45
Revises: a1c4e6f80b12
Create Date: 2026-11-27 14:00:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d3e6a8b02f45"
down_revision = "a1c4e6f80b12"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("room_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "notifications_muted",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "notify_by_email",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
        batch_op.add_column(
            sa.Column("notified_by_email_at", sa.DateTime(), nullable=True)
        )


def downgrade():
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_column("notified_by_email_at")
        batch_op.drop_column("notify_by_email")
    with op.batch_alter_table("room_members", schema=None) as batch_op:
        batch_op.drop_column("notifications_muted")
