"""applicants: accounts on the public portal, their online dossiers, ratings

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

DOSSIER_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'applicant_account',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=255), nullable=False),
        sa.Column('full_name', sa.String(length=255), nullable=False),
        sa.Column('id_number', sa.String(length=20), nullable=True),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('address', sa.String(length=500), nullable=True),
        sa.Column('password_hash', sa.String(length=255), nullable=True),
        sa.Column('provider', sa.String(length=20), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('created_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_applicant_account')),
        sa.UniqueConstraint('email', name=op.f('uq_applicant_account_email')),
    )
    op.create_table(
        'applicant_dossier',
        sa.Column('dossier_id', DOSSIER_ID, nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('supplement_pending', sa.Boolean(), nullable=False),
        sa.Column('withdrawal_asked_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('withdrawal_reason', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['account_id'], ['applicant_account.id'],
                                name=op.f('fk_applicant_dossier_account_id_applicant_account')),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_applicant_dossier_dossier_id_dossier')),
        sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_applicant_dossier')),
    )
    op.create_index(op.f('ix_applicant_dossier_account_id'), 'applicant_dossier', ['account_id'])
    op.create_table(
        'dossier_rating',
        sa.Column('dossier_id', DOSSIER_ID, nullable=False),
        sa.Column('account_id', sa.Integer(), nullable=False),
        sa.Column('satisfied', sa.Boolean(), nullable=False),
        sa.Column('comment', sa.Text(), nullable=True),
        sa.Column('created_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['applicant_account.id'],
                                name=op.f('fk_dossier_rating_account_id_applicant_account')),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_dossier_rating_dossier_id_dossier')),
        sa.PrimaryKeyConstraint('dossier_id', name=op.f('pk_dossier_rating')),
    )
    op.create_index(op.f('ix_dossier_rating_account_id'), 'dossier_rating', ['account_id'])


def downgrade() -> None:
    op.drop_index(op.f('ix_dossier_rating_account_id'), table_name='dossier_rating')
    op.drop_table('dossier_rating')
    op.drop_index(op.f('ix_applicant_dossier_account_id'), table_name='applicant_dossier')
    op.drop_table('applicant_dossier')
    op.drop_table('applicant_account')
