"""On PostgreSQL the worklist's "contains" search can be answered from trigram indexes (migration
0017_worklist_trigram): the plan names them as index conditions, for a name part, an ID part and a code part.
SQLite keeps its B-tree indexes; the search finds the same dossiers on both (tests/web/test_worklist_tabs.py)."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select, text

from engine.dossier.worklist import _search
from engine.models import Dossier

FILL = """INSERT INTO dossier (code, procedure_version_id, unit_id, channel, status, applicant, applicant_name,
    applicant_name_folded, applicant_id_number, data, checklist, submitted_at, supplements_in_handling)
    SELECT 'H26.70-260302-' || lpad(g::text, 5, '0'), (SELECT min(id) FROM procedure_version),
           (SELECT min(id) FROM unit), 'in_person', 'received', '{}', 'Người ' || g, 'nguoi thu ' || g,
           lpad((g * 7919)::text, 12, '0'), '{}', '[]', now(), 0
    FROM generate_series(1, 5000) AS g"""


@pytest.mark.parametrize("typed, index", [("thu 123", "applicant_name_folded"), ("0880112", "applicant_id_number"),
                                          ("60302-00", "code")])
def test_a_contains_search_uses_the_trigram_index_on_postgresql(session, typed, index):
    if session.bind.dialect.name != "postgresql":
        pytest.skip("trigram indexes are PostgreSQL's; SQLite scans its rows")
    session.execute(text(FILL))
    session.execute(text("ANALYZE dossier"))
    session.execute(text("SET LOCAL enable_seqscan = off"))  # which index serves the search, not whether to scan
    compiled = select(func.count()).select_from(Dossier).where(_search(typed)).compile(session.bind)
    plan = "\n".join(row[0] for row in session.connection().exec_driver_sql("EXPLAIN " + str(compiled),
                                                                            compiled.params))
    assert f"Bitmap Index Scan on ix_dossier_{index}_trgm" in plan, plan
    session.rollback()


def test_a_text_without_digits_is_looked_for_in_names_only(session):
    where = str(_search("binh").compile(session.bind))
    assert "applicant_name_folded" in where and "code" not in where and "applicant_id_number" not in where
