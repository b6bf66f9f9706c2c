"""worklist trigram (issue 17): GIN trigram indexes (pg_trgm) for the worklist's "contains" searches

The folded name, the code and the ID number are searched with LIKE '%…%'; a B-tree index serves only
a search for the start of the text, so on PostgreSQL each gets a trigram index. SQLite keeps its
B-tree indexes (a scan there is the small-office case).

Revision ID: 0017_worklist_trigram
Revises: 0016_handover
Create Date: 2026-12-02
"""
from alembic import op

revision = '0017_worklist_trigram'
down_revision = '0016_handover'
branch_labels = None
depends_on = None
COLUMNS = ("applicant_name_folded", "code", "applicant_id_number")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        op.create_index(f"ix_dossier_{column}_trgm", "dossier", [column], postgresql_using="gin",
                        postgresql_ops={column: "gin_trgm_ops"})


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for column in COLUMNS:
        op.drop_index(f"ix_dossier_{column}_trgm", table_name="dossier")
