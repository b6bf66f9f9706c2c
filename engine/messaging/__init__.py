"""Messaging: what leaves the system, written in the transaction that causes it, delivered later.

- outbox: outbound messages (idempotent by dedupe key), delivery with retries.
- delivery: the email (SMTP) and SMS senders of outbox messages.
- notices: the applicant's notices at each change of their dossier.
- portal_status: the national portal's status record of a dossier.
- due_warnings: warnings to officials and leaders before a due time.
- lien_thong_records: a group member's records to the national civil-status, residence and interconnection systems.
- connectors: what the named connectors of a serviceTask (bpmn.connectors) do, through the outbox.
"""
