"""resource keep_file_name: uploads drop their original file name unless kept

Revision ID: e7f1c3a9b254
Revises: d4e8b2c6a913
Create Date: 2026-11-27 12:00:00.000000

"""
import os

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'e7f1c3a9b254'
down_revision = 'd4e8b2c6a913'
branch_labels = None
depends_on = None


def upgrade():
    # Existing files did not choose to keep their names: the safer reading is
    # that they did not (docs/security.md). Their stored names keep only the
    # extension; downloads are named after the title.
    # A plain ADD COLUMN, never a batch copy: copying the table on SQLite would
    # drop the FTS5 triggers that keep library search up to date.
    op.add_column(
        'resources',
        sa.Column(
            'keep_file_name', sa.Boolean(), nullable=False, server_default=sa.false()
        ),
    )
    bind = op.get_bind()
    rows = bind.execute(
        sa.text("SELECT id, file_name FROM resources WHERE kind = 'file'")
    ).all()
    for row_id, name in rows:
        extension = os.path.splitext(name or '')[1].lower()
        bind.execute(
            sa.text("UPDATE resources SET file_name = :name WHERE id = :id"),
            {"name": f"file{extension}", "id": row_id},
        )


def downgrade():
    # The dropped names cannot come back; downloads keep using the title's slug.
    with op.batch_alter_table('resources', schema=None) as batch_op:
        batch_op.drop_column('keep_file_name')
