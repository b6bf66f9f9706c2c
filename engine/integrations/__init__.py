"""Integrations: adapters to systems outside ours, each a Protocol and an HTTP client, nothing more.

Built from configuration at the edge (the app factory, the scheduler) and passed in; local simulators
live in webapp/simulators. Outbound calls go through the outbox with the message's dedupe key as
idempotency key.

- http: the small JSON-over-HTTP client they share.
- national_portal: Cổng DVC quốc gia (status records out, submissions in).
- population: CSDL quốc gia về dân cư (citizen ID and name check at intake).
- payment_gateway: the payment platform (payment requests, signed callbacks).
- postal_service: the public postal service (bookings, delivery reports).
- signing: ký số of issued results (a PKCS#12 file or a remote signing service, PAdES).
- pades: validating a PDF's signature with pyHanko (integrity, trusted chain, signing time).
- certificates: a demo CA and a unit's demo signing certificate (`motcua demo load`, tests).
- national_registries: liên thông's national systems (CSDL hộ tịch, CSDL cư trú, phần mềm liên thông).
- vneid: sign-in with VNeID (OpenID Connect, authorization code with PKCE; the ID token verified).
"""
