"""Ground: what every other package stands on. Imports nothing else from engine but the models.

- errors: domain errors with Vietnamese messages (NotFound, Forbidden, Invalid, Conflict).
- db: the declarative base, column types (UTC times, JSON, StrEnumType), engines and sessions.
- events: the append-only event log (one row per action).
- db_errors: what a database error means for the user (a lock wait ran out, too slow, gone).
- text: names in NFC, bounded, without bidi controls.
- migrate: Alembic migrations run from code (`motcua db upgrade`).
- vocabulary: dossier statuses, task, outbox and timer states, channels, lateness, roles, step kinds,
  decision fields, and the named sets of statuses (HANDLING, ENDED, …).
- search_text: names folded for searching without diacritics, and LIKE patterns with `%` and `_` literal.
"""
