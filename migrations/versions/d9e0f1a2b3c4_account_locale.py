"""account locale: the language a person chose (None follows the browser)

Revision ID: d9e0f1a2b3c4
Revises: c8dbe3a57f90
Create Date: 2026-11-27 15:05:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d9e0f1a2b3c4"
down_revision = "c8dbe3a57f90"
branch_labels = None
depends_on = None


def upgrade():
    # Plain ADD COLUMN, never batch mode (a rebuild of accounts would cascade).
    op.add_column("accounts", sa.Column("locale", sa.String(length=8), nullable=True))


def downgrade():
    op.drop_column("accounts", "locale")
