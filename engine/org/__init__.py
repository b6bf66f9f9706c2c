"""Organisation: units, accounts and who may do what where.

- accounts: units, users, role grants, authentication.
- tree: walking the unit tree; who administers which part of it.
- passwords: argon2 hashing.
- own_password: an official changes their own password; one an admin set must be changed first.
- office_hours: a unit's office hours, cut-off and warning lead.
- unit_admin: admins create, edit and move units in their part of the tree.
- user_admin: admins keep accounts and role grants in their part of the tree.
- throttle: rate limits shared by every worker (hits per key and window, in the database).
- provinces: importing a province and its communes from `vietnam-provinces`.
"""
