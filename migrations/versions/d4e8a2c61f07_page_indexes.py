"""covering indexes for the library and the lead's member lists

Revision ID: d4e8a2c61f07
Revises: c7d2a91e4b10
Create Date: 2026-11-27 08:10:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4e8a2c61f07'
down_revision = 'c7d2a91e4b10'
branch_labels = None
depends_on = None


def upgrade():
    # Each new index starts with the columns of the one it replaces.
    op.create_index(
        'ix_resources_visible',
        'resources',
        ['owner_org_id', 'visibility', 'author_id'],
        unique=False,
    )
    op.drop_index('ix_resources_owner', table_name='resources')
    op.create_index(
        'ix_memberships_org_status',
        'memberships',
        ['organization_id', 'status', 'account_id'],
        unique=False,
    )
    op.drop_index('ix_memberships_organization_id', table_name='memberships')


def downgrade():
    op.create_index(
        'ix_memberships_organization_id',
        'memberships',
        ['organization_id'],
        unique=False,
    )
    op.drop_index('ix_memberships_org_status', table_name='memberships')
    op.create_index(
        'ix_resources_owner', 'resources', ['owner_org_id', 'visibility'], unique=False
    )
    op.drop_index('ix_resources_visible', table_name='resources')
