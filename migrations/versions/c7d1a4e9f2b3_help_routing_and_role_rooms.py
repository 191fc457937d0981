"""help routing and role rooms: support recipients, room rows that came from a role

Revision ID: c7d1a4e9f2b3
Revises: e25feb32a39a
Create Date: 2026-12-02 10:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7d1a4e9f2b3'
down_revision = 'e25feb32a39a'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('support_recipients',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('request_id', sa.Integer(), nullable=False),
    sa.Column('account_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_support_recipients_account_id_accounts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['request_id'], ['support_requests.id'], name=op.f('fk_support_recipients_request_id_support_requests'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_support_recipients')),
    sa.UniqueConstraint('request_id', 'account_id', name='uq_support_recipient')
    )
    with op.batch_alter_table('support_recipients', schema=None) as batch_op:
        batch_op.create_index('ix_support_recipients_account', ['account_id', 'request_id'], unique=False)
    with op.batch_alter_table('room_members', schema=None) as batch_op:
        batch_op.add_column(sa.Column('via_role', sa.Boolean(), server_default=sa.false(), nullable=False))


def downgrade():
    with op.batch_alter_table('room_members', schema=None) as batch_op:
        batch_op.drop_column('via_role')
    with op.batch_alter_table('support_recipients', schema=None) as batch_op:
        batch_op.drop_index('ix_support_recipients_account')
    op.drop_table('support_recipients')
