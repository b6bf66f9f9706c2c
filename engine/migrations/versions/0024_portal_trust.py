"""portal trust: the satisfaction survey's scores of a rating

Revision ID: 0024_portal_trust
Revises: 0021_task_candidates
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0024_portal_trust'
down_revision = '0021_task_candidates'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('dossier_rating') as batch:
        batch.add_column(sa.Column('scores', engine.ground.db.JSONType, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('dossier_rating') as batch:
        batch.drop_column('scores')
