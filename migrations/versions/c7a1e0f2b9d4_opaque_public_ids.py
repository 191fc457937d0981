"""opaque public ids for messages, blocks and audit events

Members saw the global, sequential integer ids of messages and blocks (and leads
those of audit events): the gaps counted activity they could not see. Each row
gets a random public id; existing rows are filled here.

Revision ID: c7a1e0f2b9d4
Revises: c7d1a4e9f2b3
Create Date: 2026-12-01 10:00:00.000000

"""
import secrets

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'c7a1e0f2b9d4'
down_revision = 'c7d1a4e9f2b3'
branch_labels = None
depends_on = None

TABLES = ('messages', 'blocks', 'audit_events')


def _fill(table: str) -> None:
    """Give every existing row its own random public id."""
    bind = op.get_bind()
    rows = sa.table(table, sa.column('id', sa.Integer), sa.column('public_id'))
    ids = [row[0] for row in bind.execute(sa.select(rows.c.id))]
    for row_id in ids:
        bind.execute(
            rows.update()
            .where(rows.c.id == row_id)
            .values(public_id=secrets.token_urlsafe(12))
        )


def upgrade():
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('public_id', sa.String(length=24), nullable=True))
        _fill(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                'public_id', existing_type=sa.String(length=24), nullable=False
            )
            batch_op.create_unique_constraint(
                batch_op.f(f'uq_{table}_public_id'), ['public_id']
            )


def downgrade():
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_public_id'), type_='unique')
            batch_op.drop_column('public_id')
