"""dossier_group.returned_at: when the receiving desk handed a liên thông group's results to the applicant
(engine.dossier.group_return); indexed with the unit for the desk's list of results waiting

Revision ID: 0031_group_returned_at
Revises: 0030_searchable_names
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0031_group_returned_at'
down_revision = '0030_searchable_names'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier_group') as batch:
        batch.add_column(sa.Column('returned_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True))
        batch.create_index('ix_dossier_group_unit_returned', ['unit_id', 'returned_at'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('dossier_group') as batch:
        batch.drop_index('ix_dossier_group_unit_returned')
        batch.drop_column('returned_at')
