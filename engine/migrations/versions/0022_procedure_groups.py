"""procedure groups (một cửa liên thông): a group dossier and its member dossiers

Revision ID: 0022_procedure_groups
Revises: 0021_task_candidates
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from alembic import op

import engine.ground.db

revision = '0022_procedure_groups'
down_revision = '0021_task_candidates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'dossier_group',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('code', sa.String(length=40), nullable=False),
        sa.Column('procedure_code', sa.String(length=40), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('applicant', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('applicant_name', sa.String(length=255), nullable=False),
        sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('stage', sa.Integer(), nullable=False),
        sa.Column('submitted_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('due_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('completed_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_dossier_group_unit_id_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dossier_group')),
        sa.UniqueConstraint('code', name=op.f('uq_dossier_group_code')))
    with op.batch_alter_table('dossier') as batch:
        batch.add_column(sa.Column('group_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch.add_column(sa.Column('group_member', sa.Integer(), nullable=True))
        batch.create_foreign_key(op.f('fk_dossier_group_id_dossier_group'), 'dossier_group', ['group_id'], ['id'])
        batch.create_index(op.f('ix_dossier_group_id'), ['group_id'])


def downgrade() -> None:
    with op.batch_alter_table('dossier') as batch:
        batch.drop_index(op.f('ix_dossier_group_id'))
        batch.drop_constraint(op.f('fk_dossier_group_id_dossier_group'), type_='foreignkey')
        batch.drop_column('group_member')
        batch.drop_column('group_id')
    op.drop_table('dossier_group')
