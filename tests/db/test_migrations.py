"""The migrations build exactly the schema the models describe, on both databases."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from engine.ground.db import include_object_for, make_engine
from engine.models import Base


def test_the_migrated_schema_matches_the_models(db_url):
    engine = make_engine(db_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={
            "compare_type": False, "include_object": include_object_for(conn.dialect.name)})
        differences = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert differences == []
