"""studio: procedure drafts edited in the studio

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'procedure_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('files', engine.ground.db.JSONType, nullable=False),
        sa.Column('base_version_id', sa.Integer(), nullable=True),
        sa.Column('updated_by', sa.String(length=80), nullable=True),
        sa.Column('updated_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['base_version_id'], ['procedure_version.id'],
                                name=op.f('fk_procedure_draft_base_version_id_procedure_version')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure_draft')),
        sa.UniqueConstraint('code', name=op.f('uq_procedure_draft_code')),
    )


def downgrade() -> None:
    op.drop_table('procedure_draft')
