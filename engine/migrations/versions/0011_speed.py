"""speed: keep the visibility map of the big tables fresh (PostgreSQL autovacuum settings)

The supervision dashboard counts a quarter's dossiers with index-only scans
(ix_dossier_unit_received_facts, ix_dossier_unit_completed, ix_dossier_unit_returned). They stay
index-only only while the table's visibility map is current: at 1,000,000 dossiers the city's
quarter took 1.3 s with an empty map and 0.17 s after a VACUUM (bench/scale.py, on a busy machine). The default
autovacuum waits for 20 % of a table to change (200,000 dossiers at that size); these settings
vacuum after 2 % of the dossiers and steps change, and after 2 % new rows of the append-only event
log (which is otherwise vacuumed late, as nothing in it is updated). Storage parameters only: no
change of schema, nothing on SQLite.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-27
"""
import sqlalchemy as sa  # noqa: F401
from alembic import op

import engine.ground.db  # noqa: F401

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None

UPDATED = ("dossier", "human_task", "workflow_state")
APPENDED = ("event", "outbox")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in UPDATED:
        op.execute(f"ALTER TABLE {table} SET (autovacuum_vacuum_scale_factor = 0.02, "
                   "autovacuum_analyze_scale_factor = 0.02)")
    for table in APPENDED:
        op.execute(f"ALTER TABLE {table} SET (autovacuum_vacuum_insert_scale_factor = 0.02, "
                   "autovacuum_analyze_scale_factor = 0.02)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in UPDATED:
        op.execute(f"ALTER TABLE {table} RESET (autovacuum_vacuum_scale_factor, autovacuum_analyze_scale_factor)")
    for table in APPENDED:
        op.execute(f"ALTER TABLE {table} RESET (autovacuum_vacuum_insert_scale_factor, "
                   "autovacuum_analyze_scale_factor)")
