"""online drafts: an applicant's saved, unfinished online submission, one per account and procedure
(engine.dossier.online_drafts)

Revision ID: 0028_online_drafts
Revises: 0027_portal_notices
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0028_online_drafts'
down_revision = '0027_portal_notices'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'online_draft',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('procedure_id', sa.Integer(), nullable=False),
        sa.Column('unit_code', sa.String(length=40), nullable=True),
        sa.Column('data', engine.ground.db.JSONType, nullable=False),
        sa.Column('files', engine.ground.db.JSONType, nullable=False),
        sa.Column('saved_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['applicant_account.id'],
                                name=op.f('fk_online_draft_account_id_applicant_account')),
        sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'], name=op.f('fk_online_draft_procedure_id_procedure')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_online_draft')),
        sa.UniqueConstraint('account_id', 'procedure_id', name=op.f('uq_online_draft_account_id_procedure_id')))
    for column in ('account_id', 'expires_at'):
        op.create_index(op.f(f'ix_online_draft_{column}'), 'online_draft', [column])


def downgrade() -> None:
    op.drop_table('online_draft')
