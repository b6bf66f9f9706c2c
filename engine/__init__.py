"""Một Cửa domain core. Imports no web framework; callers own the SQLAlchemy session and pass it in.

Packages in a one-way order, bottom to top (tests/unit/test_layers.py checks it); each package's
`__init__` says in a line what each of its modules holds:

ground, models, migrations < calendar < org < clock < catalogue < integrations < messaging < dossier
< applicants, printing, supervision, operations
"""
