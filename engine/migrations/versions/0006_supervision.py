"""supervision: indexes for released and returned per unit and period; the stored handling time

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('dossier', sa.Column('handling_minutes', sa.Integer(), nullable=True))
    # covering indexes: the dashboard's counts per unit and period are index-only scans
    op.create_index('ix_dossier_unit_received_facts', 'dossier',
                    ['unit_id', 'received_at', 'channel', 'procedure_version_id'])
    op.create_index('ix_dossier_unit_completed', 'dossier',
                    ['unit_id', 'completed_at', 'lateness', 'procedure_version_id', 'handling_minutes'])
    op.create_index('ix_dossier_unit_returned', 'dossier', ['unit_id', 'returned_at'])


def downgrade() -> None:
    op.drop_index('ix_dossier_unit_returned', table_name='dossier')
    op.drop_index('ix_dossier_unit_completed', table_name='dossier')
    op.drop_index('ix_dossier_unit_received_facts', table_name='dossier')
    with op.batch_alter_table('dossier') as batch:
        batch.drop_column('handling_minutes')
