"""separation requests: a separation always names an account (issue 9.2)

A separation by a name nobody held used to bind itself to whoever later took
that name (a lookup). Such rows become confidential requests in the protected
member's own organization's lead queue ("asked"): nothing is lost, and nothing
is shared with other organizations until a lead decides to file it.

Revision ID: c7d3a91e5b20
Revises: c7a1e0f2b9d4
Create Date: 2026-12-02 10:00:00.000000

"""

import secrets
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "c7d3a91e5b20"
down_revision = "c7a1e0f2b9d4"
branch_labels = None
depends_on = None


def _create_requests_table() -> None:
    op.create_table(
        "separation_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("public_id", sa.String(length=24), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=True),
        sa.Column("protected_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("name_key", sa.String(length=160), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("details", sa.String(length=500), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=True),
        sa.Column("attached_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("filed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["attached_by_id"],
            ["accounts.id"],
            name=op.f("fk_separation_requests_attached_by_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"],
            ["accounts.id"],
            name=op.f("fk_separation_requests_filed_by_id_accounts"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f("fk_separation_requests_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["protected_id"],
            ["accounts.id"],
            name=op.f("fk_separation_requests_protected_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_separation_requests")),
        sa.UniqueConstraint("public_id", name=op.f("uq_separation_requests_public_id")),
    )
    with op.batch_alter_table("separation_requests", schema=None) as batch_op:
        batch_op.create_index(
            "ix_separation_requests_status",
            ["status", "organization_id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_separation_requests_protected", ["protected_id"], unique=False
        )


def _pending_rows_become_requests() -> None:
    """Every separation still waiting for a name moves to its lead queue."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.text(
            "SELECT s.id, s.protected_id, s.other_name, s.other_key, s.created_at, "
            "m.organization_id FROM separations s "
            "LEFT JOIN memberships m ON m.account_id = s.protected_id "
            "WHERE s.other_id IS NULL"
        )
    ).all()
    insert = sa.text(
        "INSERT INTO separation_requests (public_id, organization_id, protected_id, "
        "name, name_key, note, details, status, created_at) VALUES (:public_id, "
        ":org, :protected, :name, :key, '', '', 'asked', :created)"
    )
    for row in rows:
        bind.execute(
            insert,
            {
                "public_id": secrets.token_urlsafe(12),
                "org": row.organization_id,
                "protected": row.protected_id,
                "name": row.other_name,
                "key": row.other_key,
                "created": row.created_at
                or datetime.now(timezone.utc).replace(tzinfo=None),
            },
        )
    bind.execute(sa.text("DELETE FROM separations WHERE other_id IS NULL"))


def upgrade():
    _create_requests_table()
    _pending_rows_become_requests()
    with op.batch_alter_table("separations", schema=None) as batch_op:
        batch_op.drop_index("ix_separations_key")
        batch_op.drop_column("other_key")
        batch_op.alter_column("other_id", existing_type=sa.Integer(), nullable=False)
        batch_op.add_column(sa.Column("request_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_separations_request_id"), ["request_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_separations_request_id_separation_requests"),
            "separation_requests",
            ["request_id"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade():
    with op.batch_alter_table("separations", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_separations_request_id_separation_requests"),
            type_="foreignkey",
        )
        batch_op.drop_index(batch_op.f("ix_separations_request_id"))
        batch_op.drop_column("request_id")
        batch_op.alter_column("other_id", existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(
            sa.Column(
                "other_key", sa.String(length=160), nullable=False, server_default=""
            )
        )
        batch_op.create_index("ix_separations_key", ["other_key"], unique=False)
    # Requests are not turned back into name bindings: that was the lookup.
    with op.batch_alter_table("separation_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_separation_requests_protected")
        batch_op.drop_index("ix_separation_requests_status")
    op.drop_table("separation_requests")
