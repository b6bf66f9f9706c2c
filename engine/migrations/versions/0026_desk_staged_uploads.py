"""desk staged uploads: scans the desk uploaded with a refused intake form, kept for its next try
(engine.dossier.desk_staging)

Revision ID: 0026_desk_staged_uploads
Revises: 0021_task_candidates
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0026_desk_staged_uploads'
down_revision = '0021_task_candidates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'desk_staged_upload',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('field', sa.String(length=40), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('created_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_desk_staged_upload_user_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_desk_staged_upload')))
    for column in ('user_id', 'sha256', 'expires_at'):
        op.create_index(op.f(f'ix_desk_staged_upload_{column}'), 'desk_staged_upload', [column])


def downgrade() -> None:
    op.drop_table('desk_staged_upload')
