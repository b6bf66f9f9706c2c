"""searchable names: the worklist's folded-name column also holds the declaration's names (the child's, the
parents', the business's...; engine.ground.search_text.searchable_names), recomputed here for dossiers written
before; new writes keep it up to date

Revision ID: 0030_searchable_names
Revises: 0029_must_change_password
Create Date: 2026-12-07
"""
import sqlalchemy as sa
from alembic import op

revision = '0030_searchable_names'
down_revision = '0029_must_change_password'
branch_labels = None
depends_on = None

BATCH = 2000


def upgrade() -> None:
    from engine.ground.db import JSONType
    from engine.ground.search_text import searchable_names

    bind = op.get_bind()
    dossier = sa.table('dossier', sa.column('id', sa.BigInteger), sa.column('applicant_name', sa.String),
                       sa.column('data', JSONType), sa.column('applicant_name_folded', sa.String))
    last = 0
    while True:  # in id order, a batch at a time, so a city's million dossiers never sit in memory at once
        rows = bind.execute(sa.select(dossier.c.id, dossier.c.applicant_name, dossier.c.data,
                                      dossier.c.applicant_name_folded)
                            .where(dossier.c.id > last).order_by(dossier.c.id).limit(BATCH)).all()
        if not rows:
            break
        last = rows[-1].id
        changed = [{'row_id': row.id, 'names': names} for row in rows
                   if (names := searchable_names(row.applicant_name, row.data)) != row.applicant_name_folded]
        if changed:
            bind.execute(dossier.update().where(dossier.c.id == sa.bindparam('row_id'))
                         .values(applicant_name_folded=sa.bindparam('names')), changed)


def downgrade() -> None:
    pass  # the applicant's name still comes first in the column; nothing to undo
