"""room member removal reason: shown only to the person removed or banned

Revision ID: b7c3e91f4a20
Revises: e7f1c3a9b254
Create Date: 2026-11-27 11:45:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7c3e91f4a20"
down_revision = "e7f1c3a9b254"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("room_members", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "removed_reason",
                sa.String(length=300),
                nullable=False,
                server_default="",
            )
        )


def downgrade():
    with op.batch_alter_table("room_members", schema=None) as batch_op:
        batch_op.drop_column("removed_reason")
