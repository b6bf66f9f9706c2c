"""`motcua storage gc [--dry-run]`: collect the document store (engine.dossier.blob_gc)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group()
def storage() -> None:
    """Kho tệp: the stored scans and results."""


@storage.command("gc")
@click.option("--dry-run", is_flag=True, help="Only count what would be removed")
@with_appcontext
def storage_gc(dry_run: bool) -> None:
    """Drop expired staged uploads and delete files no document refers to."""
    from engine.dossier.blob_gc import collect

    with current_app.extensions["motcua"]["sessions"]() as session:
        result = collect(session, current_app.config["STORAGE_DIR"], current_app.config["NOW"](), dry_run)
        session.commit()
    verb = "Sẽ xoá" if dry_run else "Đã xoá"
    click.echo(f"{verb} {result.files} tệp không còn hồ sơ nào dùng ({result.bytes} byte) và "
               f"{result.expired_staged} tệp chờ nộp đã hết hạn.")
