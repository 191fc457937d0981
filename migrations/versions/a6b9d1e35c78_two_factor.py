"""two-factor login: TOTP columns, recovery codes, pending sign-ins, org setting

Revision ID: a6b9d1e35c78
Revises: c2d5f7a91e34
Create Date: 2026-11-27 14:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a6b9d1e35c78"
down_revision = "c2d5f7a91e34"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never batch mode: rebuilding accounts or organizations on
    # SQLite would drop the table and cascade to every row referencing it.
    op.add_column("accounts", sa.Column("totp_pending_secret", sa.String(length=64)))
    op.add_column("accounts", sa.Column("totp_last_step", sa.Integer()))
    op.add_column(
        "organizations",
        sa.Column(
            "require_two_factor",
            sa.Boolean(),
            nullable=False,
            server_default=sa.false(),
        ),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_recovery_codes_account_id", "recovery_codes", ["account_id"])
    op.create_table(
        "pending_logins",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("remember", sa.Boolean(), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["account_id"], ["accounts.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("token_hash"),
    )
    op.create_index("ix_pending_logins_account_id", "pending_logins", ["account_id"])


def downgrade():
    op.drop_index("ix_pending_logins_account_id", table_name="pending_logins")
    op.drop_table("pending_logins")
    op.drop_index("ix_recovery_codes_account_id", table_name="recovery_codes")
    op.drop_table("recovery_codes")
    # DROP COLUMN (SQLite 3.35+), again without rebuilding the tables.
    op.drop_column("organizations", "require_two_factor")
    op.drop_column("accounts", "totp_last_step")
    op.drop_column("accounts", "totp_pending_secret")
