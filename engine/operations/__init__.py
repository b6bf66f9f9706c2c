"""Operations: running the system.

- jobs: the scheduler's jobs (timers, warnings, outbox, pruning).
- backup: backup and restore of the database and the document store.
- audit: admins search and export the event log.
- demo: the demo organisation, users and procedures.
- lien_thong: the agencies, users, member procedures and groups of the bundled liên thông groups.
- incidents: dossiers whose process stopped on an error, retried or migrated by admins.
"""
