"""sessions: a per-account session version; bumping it ends every session and token of the account

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0013'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('user_account', 'applicant_account'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))


def downgrade() -> None:
    for table in ('user_account', 'applicant_account'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('session_version')
