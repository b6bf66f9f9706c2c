"""incidents: dossiers whose process stopped on an error, for admins to retry or migrate; procedures whose
offering the units' lists decide (procedure.units_listed)

Revision ID: 0025_incidents
Revises: 0026_desk_staged_uploads
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import engine.ground.db

revision = '0025_incidents'
down_revision = '0026_desk_staged_uploads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'incident',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('dossier_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('element_id', sa.String(length=255), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('message', sa.Text(), nullable=False),
        sa.Column('original', sa.Text(), nullable=False),
        sa.Column('task_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('data', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('first_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('resolved_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('resolved_by_id', sa.Integer(), nullable=True),
        sa.Column('resolution', sa.String(length=20), nullable=True),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_incident_dossier_id_dossier')),
        sa.ForeignKeyConstraint(['task_id'], ['human_task.id'], name=op.f('fk_incident_task_id_human_task'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_incident_user_id_user_account')),
        sa.ForeignKeyConstraint(['resolved_by_id'], ['user_account.id'],
                                name=op.f('fk_incident_resolved_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_incident')))
    op.create_index(op.f('ix_incident_dossier_id'), 'incident', ['dossier_id'])
    op.create_index(op.f('ix_incident_resolved_at'), 'incident', ['resolved_at'])
    with op.batch_alter_table('procedure') as batch:
        batch.add_column(sa.Column('units_listed', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute("UPDATE procedure SET units_listed = "
               "EXISTS (SELECT 1 FROM procedure_unit WHERE procedure_unit.procedure_id = procedure.id)")


def downgrade() -> None:
    with op.batch_alter_table('procedure') as batch:
        batch.drop_column('units_listed')
    op.drop_index(op.f('ix_incident_resolved_at'), table_name='incident')
    op.drop_index(op.f('ix_incident_dossier_id'), table_name='incident')
    op.drop_table('incident')
