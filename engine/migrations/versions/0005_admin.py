"""admin: the units' published procedure lists, and an index for the audit's unit filter

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'procedure_unit',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('procedure_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('since', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'],
                                name=op.f('fk_procedure_unit_procedure_id_procedure')),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_procedure_unit_unit_id_unit')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_procedure_unit')),
        sa.UniqueConstraint('procedure_id', 'unit_id', name=op.f('uq_procedure_unit_procedure_id_unit_id')),
    )
    op.create_index(op.f('ix_procedure_unit_procedure_id'), 'procedure_unit', ['procedure_id'])
    op.create_index(op.f('ix_procedure_unit_unit_id'), 'procedure_unit', ['unit_id'])
    op.create_index(op.f('ix_event_unit_id'), 'event', ['unit_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_event_unit_id'), table_name='event')
    op.drop_index(op.f('ix_procedure_unit_unit_id'), table_name='procedure_unit')
    op.drop_index(op.f('ix_procedure_unit_procedure_id'), table_name='procedure_unit')
    op.drop_table('procedure_unit')
