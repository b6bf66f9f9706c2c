"""portal notices: how far each applicant account has read its messages (applicant_notice_mark)

Revision ID: 0027_portal_notices
Revises: 0024_portal_trust
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0027_portal_notices'
down_revision = '0024_portal_trust'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'applicant_notice_mark',
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('read_up_to', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('read_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['applicant_account.id'],
                                name=op.f('fk_applicant_notice_mark_account_id_applicant_account')),
        sa.PrimaryKeyConstraint('account_id', name=op.f('pk_applicant_notice_mark')),
    )


def downgrade() -> None:
    op.drop_table('applicant_notice_mark')
