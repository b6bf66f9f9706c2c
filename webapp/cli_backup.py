"""`motcua backup DIR` and `motcua restore DIR`: the database and the document store (engine.operations.backup)."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from engine.operations.backup import BackupError


def _record(kind: str, folder: str, summary: str) -> None:
    from engine.ground import events

    with current_app.extensions["motcua"]["sessions"]() as session:
        events.record(session, kind, current_app.config["NOW"](), message=folder, folder=folder, summary=summary,
                      source="cli")
        session.commit()


@click.command("backup")
@click.argument("folder", type=click.Path(file_okay=False))
@with_appcontext
def backup(folder: str) -> None:
    """Sao lưu cơ sở dữ liệu và kho tài liệu vào FOLDER (mới hoặc rỗng)."""
    from engine.operations.backup import backup as run_backup

    try:
        result = run_backup(current_app.config["DATABASE_URL"], current_app.config["STORAGE_DIR"], folder,
                            current_app.config["NOW"]())
    except BackupError as err:
        raise click.ClickException(err.message) from err
    _record("system.backup", folder, result.summary())
    click.echo(f"Đã sao lưu {result.summary()}")


@click.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--replace", is_flag=True, help="Ghi đè cơ sở dữ liệu đã có dữ liệu")
@with_appcontext
def restore(folder: str, replace: bool) -> None:
    """Phục hồi cơ sở dữ liệu và kho tài liệu từ bản sao lưu FOLDER, rồi kiểm tra mã băm."""
    from engine.operations.backup import restore as run_restore

    current_app.extensions["motcua"]["engine"].dispose()  # no pooled connection across the restore
    try:
        result = run_restore(current_app.config["DATABASE_URL"], current_app.config["STORAGE_DIR"], folder, replace)
    except BackupError as err:
        raise click.ClickException(err.message) from err
    _record("system.restored", folder, result.summary())
    click.echo(f"Đã phục hồi {result.summary()}")
