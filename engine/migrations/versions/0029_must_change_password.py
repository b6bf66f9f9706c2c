"""user_account.must_change_password: a password an admin set is changed by its user at the next login
(engine.org.own_password)

Revision ID: 0029_must_change_password
Revises: 0028_online_drafts
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0029_must_change_password'
down_revision = '0028_online_drafts'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))


def downgrade() -> None:
    with op.batch_alter_table('user_account') as batch:
        batch.drop_column('must_change_password')
