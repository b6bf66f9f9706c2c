"""portal trust: the satisfaction survey's scores of a rating; feedback and complaints (phản ánh, kiến nghị);
consent to personal-data processing at registration

Revision ID: 0024_portal_trust
Revises: 0025_incidents
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0024_portal_trust'
down_revision = '0025_incidents'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('applicant_account') as batch:
        batch.add_column(sa.Column('consent_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('consent_version', sa.String(length=20), nullable=True))
    with op.batch_alter_table('dossier_rating') as batch:
        batch.add_column(sa.Column('scores', engine.ground.db.JSONType, nullable=True))
    op.create_table(
        'applicant_feedback',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('unit_id', sa.Integer(), nullable=False),
        sa.Column('dossier_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('procedure_id', sa.Integer(), nullable=True),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('content', sa.Text(), nullable=False),
        sa.Column('created_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('answer', sa.Text(), nullable=True),
        sa.Column('answered_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('answered_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['applicant_account.id'],
                                name=op.f('fk_applicant_feedback_account_id_applicant_account')),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_applicant_feedback_unit_id_unit')),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_applicant_feedback_dossier_id_dossier')),
        sa.ForeignKeyConstraint(['procedure_id'], ['procedure.id'],
                                name=op.f('fk_applicant_feedback_procedure_id_procedure')),
        sa.ForeignKeyConstraint(['answered_by_id'], ['user_account.id'],
                                name=op.f('fk_applicant_feedback_answered_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_applicant_feedback')))
    for column in ('account_id', 'unit_id'):
        op.create_index(op.f(f'ix_applicant_feedback_{column}'), 'applicant_feedback', [column])


def downgrade() -> None:
    op.drop_table('applicant_feedback')
    with op.batch_alter_table('applicant_account') as batch:
        batch.drop_column('consent_version')
        batch.drop_column('consent_at')
    with op.batch_alter_table('dossier_rating') as batch:
        batch.drop_column('scores')
