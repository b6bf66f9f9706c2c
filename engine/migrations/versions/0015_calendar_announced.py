"""calendar announced: the shipped legal calendar (engine/data/calendar_vn.toml) in calendar_day

Each row says where it comes from (`source`: admin or announced) and, for announced days, the
document that announced it (number, date, issuer). The upgrade loads the shipped days of 2025
and 2026; an admin's everywhere row for the same day is kept (`motcua calendar sync` reports it).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02
"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import engine.ground.db

revision = '0015'
down_revision = '0014'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('calendar_day') as batch:
        batch.add_column(sa.Column('source', sa.String(length=20), nullable=False, server_default='admin'))
        batch.add_column(sa.Column('document_number', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('document_date', sa.Date(), nullable=True))
        batch.add_column(sa.Column('document_issuer', sa.String(length=200), nullable=True))
    from engine.clock.announced import rows_for_migration

    table = sa.table('calendar_day', sa.column('day', sa.Date()), sa.column('kind', sa.String()),
                     sa.column('note', sa.String()), sa.column('unit_id', sa.Integer()),
                     sa.column('created_at', engine.ground.db.UTCDateTime(timezone=True)), sa.column('source', sa.String()),
                     sa.column('document_number', sa.String()), sa.column('document_date', sa.Date()),
                     sa.column('document_issuer', sa.String()))
    bind = op.get_bind()
    taken = {row[0] for row in bind.execute(sa.text('SELECT day FROM calendar_day WHERE unit_id IS NULL'))}
    rows = [r for r in rows_for_migration(datetime.now(UTC)) if r['day'] not in taken]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.execute("DELETE FROM calendar_day WHERE source = 'announced'")
    with op.batch_alter_table('calendar_day') as batch:
        batch.drop_column('document_issuer')
        batch.drop_column('document_date')
        batch.drop_column('document_number')
        batch.drop_column('source')
