"""results: the unit's result register (sổ cấp) per procedure and year, and the signed results issued

Revision ID: 0019_results
Revises: 0018_case_file
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0019_results'
down_revision = '0018_case_file'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        'result_register',
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('unit.id'), primary_key=True),
        sa.Column('procedure_code', sa.String(length=40), primary_key=True),
        sa.Column('year', sa.Integer(), primary_key=True),
        sa.Column('last_value', sa.Integer(), nullable=False),
    )
    op.create_table(
        'issued_result',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), primary_key=True),
        sa.Column('dossier_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.ForeignKey('dossier.id'),
                  nullable=False),
        sa.Column('document_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), sa.ForeignKey('document.id'),
                  nullable=False, unique=True),
        sa.Column('unit_id', sa.Integer(), sa.ForeignKey('unit.id'), nullable=False),
        sa.Column('procedure_code', sa.String(length=40), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('serial', sa.Integer(), nullable=False),
        sa.Column('number', sa.String(length=80), nullable=False),
        sa.Column('title', sa.String(length=500), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('signer', sa.String(length=500), nullable=False),
        sa.Column('signed_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('issued_by_id', sa.Integer(), sa.ForeignKey('user_account.id'), nullable=True),
        sa.UniqueConstraint('unit_id', 'procedure_code', 'year', 'serial'),
    )
    op.create_index('ix_issued_result_dossier_id', 'issued_result', ['dossier_id'])
    op.create_index('ix_issued_result_sha256', 'issued_result', ['sha256'])


def downgrade() -> None:
    op.drop_table('issued_result')
    op.drop_table('result_register')
