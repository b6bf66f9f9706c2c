"""handover (issue 17): batches of paper dossiers handed between the desk and a division (danh sách bàn giao)

Revision ID: 0016_handover
Revises: 0015
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0016_handover'
down_revision = '0015'
branch_labels = None
depends_on = None
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        "handover_batch",
        sa.Column("id", ID, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("direction", sa.String(20), nullable=False),
        sa.Column("from_unit_id", sa.Integer(), nullable=False),
        sa.Column("from_role", sa.String(40), nullable=False),
        sa.Column("to_unit_id", sa.Integer(), nullable=False),
        sa.Column("to_role", sa.String(40), nullable=False),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("created_at", engine.ground.db.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("received_at", engine.ground.db.UTCDateTime(), nullable=True),
        sa.Column("received_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["from_unit_id"], ["unit.id"], name=op.f("fk_handover_batch_from_unit_id_unit")),
        sa.ForeignKeyConstraint(["to_unit_id"], ["unit.id"], name=op.f("fk_handover_batch_to_unit_id_unit")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_handover_batch_created_by_id_user_account")),
        sa.ForeignKeyConstraint(["received_by_id"], ["user_account.id"],
                                name=op.f("fk_handover_batch_received_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_batch")),
        sa.UniqueConstraint("from_unit_id", "year", "sequence",
                            name=op.f("uq_handover_batch_from_unit_id_year_sequence")),
    )
    op.create_index(op.f("ix_handover_batch_from_unit_id"), "handover_batch", ["from_unit_id"])
    op.create_index("ix_handover_batch_to", "handover_batch", ["to_unit_id", "to_role", "received_at"])
    op.create_table(
        "handover_item",
        sa.Column("id", ID, nullable=False),
        sa.Column("batch_id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("note", sa.String(255), nullable=True),
        sa.ForeignKeyConstraint(["batch_id"], ["handover_batch.id"], name=op.f("fk_handover_item_batch_id_handover_batch")),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name=op.f("fk_handover_item_dossier_id_dossier")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_item")),
        sa.UniqueConstraint("batch_id", "dossier_id", name=op.f("uq_handover_item_batch_id_dossier_id")),
    )
    op.create_index(op.f("ix_handover_item_dossier_id"), "handover_item", ["dossier_id"])


def downgrade() -> None:
    op.drop_table("handover_item")
    op.drop_table("handover_batch")
