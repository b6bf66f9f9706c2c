"""sessions: a per-account session version (bumping it ends every session and token of the account), and
the login rate limit's hits, shared by every worker

Revision ID: 0014
Revises: 0013_worklist_search
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0014'
down_revision = '0013_worklist_search'
branch_labels = None
depends_on = None


def upgrade() -> None:
    for table in ('user_account', 'applicant_account'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('session_version', sa.Integer(), nullable=False, server_default='0'))
    op.create_table(
        'rate_limit_hit',
        sa.Column('key', sa.String(length=200), nullable=False),
        sa.Column('window_start', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('key', 'window_start', name=op.f('pk_rate_limit_hit')))


def downgrade() -> None:
    op.drop_table('rate_limit_hit')
    for table in ('user_account', 'applicant_account'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('session_version')
