"""worklist search (issue 17): the applicant's name folded (no diacritics), indexed, for the worklist's search

Revision ID: 0013_worklist_search
Revises: 0012
Create Date: 2026-12-02
"""
import sqlalchemy as sa
from alembic import op

revision = '0013_worklist_search'
down_revision = '0012'
branch_labels = None
depends_on = None


def upgrade() -> None:
    from engine.ground.search_text import fold

    with op.batch_alter_table('dossier') as batch:
        batch.add_column(sa.Column('applicant_name_folded', sa.String(length=255), nullable=True))
        batch.create_index('ix_dossier_applicant_name_folded', ['applicant_name_folded'], unique=False)
    bind = op.get_bind()
    dossier = sa.table('dossier', sa.column('id', sa.BigInteger), sa.column('applicant_name', sa.String),
                       sa.column('applicant_name_folded', sa.String))
    rows = bind.execute(sa.select(dossier.c.id, dossier.c.applicant_name)).all()
    for start in range(0, len(rows), 1000):
        bind.execute(dossier.update().where(dossier.c.id == sa.bindparam('row_id'))
                     .values(applicant_name_folded=sa.bindparam('folded')),
                     [{'row_id': i, 'folded': fold(name)[:255]} for i, name in rows[start:start + 1000]])


def downgrade() -> None:
    with op.batch_alter_table('dossier') as batch:
        batch.drop_index('ix_dossier_applicant_name_folded')
        batch.drop_column('applicant_name_folded')
