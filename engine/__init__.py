"""Một Cửa domain core: dossiers, procedures, organisation, clock and workflow runtime.

This package imports no web framework; the web application and the CLI call its
service functions with a SQLAlchemy session they own.
"""
