"""Adapters to the national systems (national portal, population database): each a Protocol, a real HTTP
client configured by MOTCUA_<NAME>_URL and keys, chosen by configuration; local simulators live in
webapp/simulators. Outbound calls go through the outbox with the message's dedupe key as idempotency key.
"""
