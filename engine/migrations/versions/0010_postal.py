"""postal: results sent by post (postal_shipment) and their delivery events (postal_event)

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-27
"""
import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0010'
down_revision = '0009'
branch_labels = None
depends_on = None
ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        "postal_shipment",
        sa.Column("id", ID, nullable=False),
        sa.Column("dossier_id", ID, nullable=False),
        sa.Column("direction", sa.String(10), nullable=False),
        sa.Column("recipient_name", sa.String(255), nullable=False),
        sa.Column("recipient_address", sa.String(500), nullable=False),
        sa.Column("recipient_phone", sa.String(30), nullable=True),
        sa.Column("tracking_number", sa.String(40), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("status_at", engine.ground.db.UTCDateTime(), nullable=True),
        sa.Column("created_at", engine.ground.db.UTCDateTime(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("booked_at", engine.ground.db.UTCDateTime(), nullable=True),
        sa.Column("delivered_at", engine.ground.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["dossier_id"], ["dossier.id"], name=op.f("fk_postal_shipment_dossier_id_dossier")),
        sa.ForeignKeyConstraint(["created_by_id"], ["user_account.id"],
                                name=op.f("fk_postal_shipment_created_by_id_user_account")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postal_shipment")),
        sa.UniqueConstraint("tracking_number", name=op.f("uq_postal_shipment_tracking_number")),
    )
    op.create_index(op.f("ix_postal_shipment_dossier_id"), "postal_shipment", ["dossier_id"])
    op.create_index("ix_postal_shipment_status", "postal_shipment", ["status"])
    op.create_table(
        "postal_event",
        sa.Column("id", ID, nullable=False),
        sa.Column("shipment_id", ID, nullable=False),
        sa.Column("event_id", sa.String(100), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("at", engine.ground.db.UTCDateTime(), nullable=False),
        sa.Column("location", sa.String(255), nullable=True),
        sa.Column("note", sa.String(500), nullable=True),
        sa.Column("received_at", engine.ground.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["shipment_id"], ["postal_shipment.id"],
                                name=op.f("fk_postal_event_shipment_id_postal_shipment")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_postal_event")),
        sa.UniqueConstraint("shipment_id", "event_id", name=op.f("uq_postal_event_shipment_id_event_id")),
    )
    op.create_index(op.f("ix_postal_event_shipment_id"), "postal_event", ["shipment_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_postal_event_shipment_id"), table_name="postal_event")
    op.drop_table("postal_event")
    op.drop_index("ix_postal_shipment_status", table_name="postal_shipment")
    op.drop_index(op.f("ix_postal_shipment_dossier_id"), table_name="postal_shipment")
    op.drop_table("postal_shipment")
