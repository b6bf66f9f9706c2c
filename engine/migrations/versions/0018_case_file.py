"""case file: a document names its checklist item, the step it came with, where it was reused from,
and (for an agency's letter) its number and date

Revision ID: 0018_case_file
Revises: 0017_worklist_trigram
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0018_case_file'
down_revision = '0017_worklist_trigram'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('document') as batch:
        batch.add_column(sa.Column('checklist_index', sa.Integer(), nullable=True))
        batch.add_column(sa.Column('task_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True))
        batch.add_column(sa.Column('reused_from_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'),
                                   nullable=True))
        batch.add_column(sa.Column('at_intake', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('reference_number', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('reference_date', sa.Date(), nullable=True))
        batch.create_foreign_key('fk_document_task_id_human_task', 'human_task', ['task_id'], ['id'])
        batch.create_foreign_key('fk_document_reused_from_id_document', 'document', ['reused_from_id'], ['id'])
        batch.create_index('ix_document_sha256', ['sha256'])
    op.execute("UPDATE document SET at_intake = TRUE WHERE kind = 'scan'")


def downgrade() -> None:
    with op.batch_alter_table('document') as batch:
        batch.drop_index('ix_document_sha256')
        batch.drop_constraint('fk_document_reused_from_id_document', type_='foreignkey')
        batch.drop_constraint('fk_document_task_id_human_task', type_='foreignkey')
        for column in ('reference_date', 'reference_number', 'at_intake', 'reused_from_id', 'task_id',
                       'checklist_index'):
            batch.drop_column(column)
