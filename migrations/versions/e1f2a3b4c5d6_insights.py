"""insights: a download counter per library file per month, and the indexes the
insights page's monthly counts read

Revision ID: e1f2a3b4c5d6
Revises: d9e0f1a2b3c4
Create Date: 2026-11-27 15:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "e1f2a3b4c5d6"
down_revision = "d9e0f1a2b3c4"
branch_labels = None
depends_on = None


def upgrade():
    # Plain CREATE TABLE / CREATE INDEX only: no batch rebuild of existing tables.
    op.create_table(
        "resource_downloads",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("count", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["resource_id"], ["resources.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("resource_id", "month", name="uq_resource_download_month"),
    )
    op.create_index(
        "ix_support_requests_org_created",
        "support_requests",
        ["host_org_id", "created_at"],
    )
    op.create_index(
        "ix_messages_room_created_author",
        "messages",
        ["room_id", "created_at", "author_id"],
    )
    op.create_index(
        "ix_reports_org_created", "reports", ["routed_org_id", "created_at"]
    )


def downgrade():
    op.drop_index("ix_reports_org_created", table_name="reports")
    op.drop_index("ix_messages_room_created_author", table_name="messages")
    op.drop_index("ix_support_requests_org_created", table_name="support_requests")
    op.drop_table("resource_downloads")
