"""payments: fees of dossiers, paid online through the gateway or at the desk

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None
BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        "payment",
        sa.Column("id", BIG_ID, nullable=False),
        sa.Column("dossier_id", BIG_ID, nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("channel", sa.String(20), nullable=True),
        sa.Column("gateway_txn_id", sa.String(100), nullable=True),
        sa.Column("receipt_number", sa.String(60), nullable=True),
        sa.Column("requested_at", engine.ground.db.UTCDateTime(), nullable=False),
        sa.Column("paid_at", engine.ground.db.UTCDateTime(), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("raw_callback", engine.ground.db.JSONType, nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name=op.f("fk_payment_dossier_id_dossier")),
        sa.ForeignKeyConstraint(["recorded_by_id"], ["user_account.id"],
                                name=op.f("fk_payment_recorded_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_payment")),
        sa.UniqueConstraint("gateway_txn_id", name=op.f("uq_payment_gateway_txn_id")),
    )
    op.create_index("ix_payment_dossier_status", "payment", ["dossier_id", "status"])


def downgrade() -> None:
    op.drop_index("ix_payment_dossier_status", table_name="payment")
    op.drop_table("payment")
