"""the statutory clock: admin calendar days, timers, outbox, postmark, extension and lateness

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27
"""
from alembic import op
import sqlalchemy as sa

import engine.ground.db

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table(
        'calendar_day',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('day', sa.Date(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('note', sa.String(length=500), nullable=True),
        sa.Column('unit_id', sa.Integer(), nullable=True),
        sa.Column('created_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['unit_id'], ['unit.id'], name=op.f('fk_calendar_day_unit_id_unit')),
        sa.ForeignKeyConstraint(['created_by_id'], ['user_account.id'],
                                name=op.f('fk_calendar_day_created_by_id_user_account')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_day')),
        sqlite_autoincrement=True,
    )
    op.create_index('uq_calendar_day_unit', 'calendar_day', ['day', 'unit_id'], unique=True,
                    postgresql_where=sa.text('unit_id IS NOT NULL'), sqlite_where=sa.text('unit_id IS NOT NULL'))
    op.create_index('uq_calendar_day_everywhere', 'calendar_day', ['day'], unique=True,
                    postgresql_where=sa.text('unit_id IS NULL'), sqlite_where=sa.text('unit_id IS NULL'))

    op.create_table(
        'timer',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('dossier_id', BIG_ID, nullable=False),
        sa.Column('task_uuid', sa.String(length=36), nullable=False),
        sa.Column('element_id', sa.String(length=255), nullable=False),
        sa.Column('fire_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('created_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('fired_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_timer_dossier_id_dossier')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_timer')),
        sa.UniqueConstraint('task_uuid', name=op.f('uq_timer_task_uuid')),
    )
    op.create_index(op.f('ix_timer_dossier_id'), 'timer', ['dossier_id'])
    op.create_index('ix_timer_due', 'timer', ['state', 'fire_at'])

    op.create_table(
        'outbox',
        sa.Column('id', BIG_ID, nullable=False),
        sa.Column('kind', sa.String(length=40), nullable=False),
        sa.Column('recipient', sa.String(length=255), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('dossier_id', BIG_ID, nullable=True),
        sa.Column('task_id', BIG_ID, nullable=True),
        sa.Column('subject', sa.String(length=500), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('payload', engine.ground.db.JSONType, nullable=False),
        sa.Column('dedupe_key', sa.String(length=255), nullable=False),
        sa.Column('state', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('created_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', engine.ground.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('sent_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_outbox_user_id_user_account')),
        sa.ForeignKeyConstraint(['dossier_id'], ['dossier.id'], name=op.f('fk_outbox_dossier_id_dossier')),
        sa.ForeignKeyConstraint(['task_id'], ['human_task.id'], name=op.f('fk_outbox_task_id_human_task')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_outbox_dedupe_key')),
    )
    op.create_index(op.f('ix_outbox_dossier_id'), 'outbox', ['dossier_id'])
    op.create_index(op.f('ix_outbox_task_id'), 'outbox', ['task_id'])
    op.create_index('ix_outbox_pending', 'outbox', ['state', 'next_attempt_at'])

    with op.batch_alter_table('dossier') as batch:
        batch.add_column(sa.Column('postmarked_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('resubmitted_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('original_due_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('extended_at', engine.ground.db.UTCDateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('lateness', sa.String(length=10), nullable=True))
    with op.batch_alter_table('human_task') as batch:
        batch.add_column(sa.Column('lateness', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('overrun_minutes', sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('human_task') as batch:
        batch.drop_column('overrun_minutes')
        batch.drop_column('lateness')
    with op.batch_alter_table('dossier') as batch:
        for column in ('lateness', 'extended_at', 'original_due_at', 'resubmitted_at', 'postmarked_at'):
            batch.drop_column(column)
    op.drop_index('ix_outbox_pending', table_name='outbox')
    op.drop_index(op.f('ix_outbox_task_id'), table_name='outbox')
    op.drop_index(op.f('ix_outbox_dossier_id'), table_name='outbox')
    op.drop_table('outbox')
    op.drop_index('ix_timer_due', table_name='timer')
    op.drop_index(op.f('ix_timer_dossier_id'), table_name='timer')
    op.drop_table('timer')
    op.drop_index('uq_calendar_day_everywhere', table_name='calendar_day')
    op.drop_index('uq_calendar_day_unit', table_name='calendar_day')
    op.drop_table('calendar_day')
