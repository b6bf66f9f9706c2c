"""the desk: documents, received-documents checklist, login lockout

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'document',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('dossier_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('content_type', sa.String(length=100), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('uploaded_by_id', sa.Integer(), nullable=True),
        sa.Column('uploaded_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_document_dossier_id_dossier')),
        sa.ForeignKeyConstraint(['uploaded_by_id'], ['user_account.id'],
                                name=op.f('fk_document_uploaded_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document')),
    )
    op.create_index(op.f('ix_document_dossier_id'), 'document', ['dossier_id'])
    # the worklist counts read created_at too: keep them index-only
    op.drop_index('ix_human_task_worklist', table_name='human_task')
    op.create_index('ix_human_task_worklist', 'human_task', ['state', 'unit_id', 'role', 'due_at', 'created_at'])
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_until', engine.ground.db.UTCDateTime(timezone=True), nullable=True))
    with op.batch_alter_table('dossier') as batch:
        batch.add_column(sa.Column('checklist', engine.ground.db.JSONType, nullable=False, server_default='[]'))
    # 0001 declared procedure.current_version_id's foreign key with use_alter, which CREATE TABLE
    # skips on every backend: add it now (batch mode rebuilds the table on SQLite, ALTERs elsewhere).
    with op.batch_alter_table('procedure') as batch:
        batch.create_foreign_key('fk_procedure_current_version', 'procedure_version', ['current_version_id'], ['id'])


def downgrade() -> None:
    with op.batch_alter_table('procedure') as batch:
        batch.drop_constraint('fk_procedure_current_version', type_='foreignkey')
    op.drop_index('ix_human_task_worklist', table_name='human_task')
    op.create_index('ix_human_task_worklist', 'human_task', ['state', 'unit_id', 'role', 'due_at'])
    with op.batch_alter_table('dossier') as batch:
        batch.drop_column('checklist')
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('locked_until')
        batch.drop_column('failed_logins')
    op.drop_index(op.f('ix_document_dossier_id'), table_name='document')
    op.drop_table('document')
