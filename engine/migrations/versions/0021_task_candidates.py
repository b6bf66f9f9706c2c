"""task candidates: the officials who may claim a worklist row (camunda:candidateUsers)

Revision ID: 0021_task_candidates
Revises: 0020_staged_uploads
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0021_task_candidates'
down_revision = '0020_staged_uploads'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'human_task_candidate',
        sa.Column('task_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['task_id'], ['human_task.id'], name=op.f('fk_human_task_candidate_task_id_human_task'),
                                ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'],
                                name=op.f('fk_human_task_candidate_user_id_user_account')),
        sa.PrimaryKeyConstraint('task_id', 'user_id', name=op.f('pk_human_task_candidate')))


def downgrade() -> None:
    op.drop_table('human_task_candidate')
