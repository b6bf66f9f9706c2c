"""staged uploads: files an applicant uploaded for an online submission not yet sent, with their expiry,
counted against the account's quota (engine.dossier.staged_uploads)

Revision ID: 0020_staged_uploads
Revises: 0019_results
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0020_staged_uploads'
down_revision = '0019_results'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'staged_upload',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['applicant_account.id'],
                                name=op.f('fk_staged_upload_account_id_applicant_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_staged_upload')))
    for column in ('account_id', 'sha256', 'expires_at'):
        op.create_index(op.f(f'ix_staged_upload_{column}'), 'staged_upload', [column])


def downgrade() -> None:
    op.drop_table('staged_upload')
