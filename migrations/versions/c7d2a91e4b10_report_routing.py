"""report routing: copies for other organizations, admin review, forwarding

Revision ID: c7d2a91e4b10
Revises: c3a7f1d2b9e4
Create Date: 2026-11-27 04:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c7d2a91e4b10'
down_revision = 'c3a7f1d2b9e4'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copy_of_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('audience', sa.String(length=16), nullable=False, server_default='reporter'))
        batch_op.add_column(sa.Column('admin_review', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('reporter_consents', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('forwarded_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('forwarded_by_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_reports_copy_of_id'), ['copy_of_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_reports_copy_of_id_reports'), 'reports', ['copy_of_id'], ['id'], ondelete='CASCADE')
        batch_op.create_foreign_key(batch_op.f('fk_reports_forwarded_by_id_accounts'), 'accounts', ['forwarded_by_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('reports', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reports_forwarded_by_id_accounts'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('fk_reports_copy_of_id_reports'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_reports_copy_of_id'))
        batch_op.drop_column('forwarded_by_id')
        batch_op.drop_column('forwarded_at')
        batch_op.drop_column('reporter_consents')
        batch_op.drop_column('admin_review')
        batch_op.drop_column('audience')
        batch_op.drop_column('copy_of_id')
