"""message order key: the room's order as a number members may see

Revision ID: d4e8b2c6a913
Revises: d4e8a2c61f07
Create Date: 2026-11-28 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'd4e8b2c6a913'
down_revision = 'd4e8a2c61f07'
branch_labels = None
depends_on = None


def upgrade():
    # Existing messages keep no key (NULL): pages place them by the server's
    # order, and every new message's key is later than any of them.
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('order_key', sa.BigInteger(), nullable=True))


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_column('order_key')
