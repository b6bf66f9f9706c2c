"""integrations: links to national systems' records (national portal submissions)

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None
DOSSIER_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        "integration_ref",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("system", sa.String(40), nullable=False),
        sa.Column("external_id", sa.String(100), nullable=False),
        sa.Column("dossier_id", DOSSIER_ID, nullable=False),
        sa.Column("created_at", engine.ground.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name=op.f("fk_integration_ref_dossier_id_dossier")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integration_ref")),
        sa.UniqueConstraint("system", "external_id", name=op.f("uq_integration_ref_system_external_id")),
    )
    op.create_index(op.f("ix_integration_ref_dossier_id"), "integration_ref", ["dossier_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_integration_ref_dossier_id"), table_name="integration_ref")
    op.drop_table("integration_ref")
