"""reliability: applicants' logins are throttled like officials' (failures in a row, a pause)

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-27
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

import engine.ground.db  # noqa: F401

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applicant_account') as batch:
        batch.add_column(sa.Column('failed_logins', sa.Integer(), nullable=False, server_default='0'))
        batch.add_column(sa.Column('locked_until', engine.ground.db.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('applicant_account') as batch:
        batch.drop_column('locked_until')
        batch.drop_column('failed_logins')
