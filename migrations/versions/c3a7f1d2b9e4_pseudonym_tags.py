"""pseudonym tags: names need not be unique; every profile gets a short tag

Revision ID: c3a7f1d2b9e4
Revises: c7d3a91e5b20
Create Date: 2026-11-27 04:10:00

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'c3a7f1d2b9e4'
down_revision = 'c7d3a91e5b20'
branch_labels = None
depends_on = None

# The same alphabet as network.models.types.TAG_ALPHABET (copied: a migration
# must not change when the application code does).
TAG_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"


def _fill_tags() -> None:
    """Give every existing profile a distinct random tag."""
    connection = op.get_bind()
    profiles = sa.table('profiles', sa.column('id'), sa.column('tag'))
    used: set[str] = set()
    for (profile_id,) in connection.execute(sa.select(profiles.c.id)).all():
        tag = ''
        while not tag or tag in used:
            tag = ''.join(secrets.choice(TAG_ALPHABET) for _ in range(4))
        used.add(tag)
        connection.execute(
            profiles.update().where(profiles.c.id == profile_id).values(tag=tag)
        )


def upgrade():
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tag', sa.String(length=4), nullable=True))
    _fill_tags()
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.alter_column('tag', existing_type=sa.String(length=4), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_profiles_tag'), ['tag'])
        batch_op.drop_constraint('uq_profiles_pseudonym_key', type_='unique')
        batch_op.create_index(
            batch_op.f('ix_profiles_pseudonym_key'), ['pseudonym_key'], unique=False
        )


def downgrade():
    # Going back needs unique pseudonyms again; it fails if two profiles share one.
    with op.batch_alter_table('profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_profiles_pseudonym_key'))
        batch_op.create_unique_constraint(
            batch_op.f('uq_profiles_pseudonym_key'), ['pseudonym_key']
        )
        batch_op.drop_constraint(batch_op.f('uq_profiles_tag'), type_='unique')
        batch_op.drop_column('tag')
