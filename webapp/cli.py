"""The `motcua` command: a Flask CLI group with the project's commands."""
from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from webapp import create_app


def _session():
    return current_app.extensions["motcua"]["sessions"]()


def _now():
    return current_app.config["NOW"]()


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """Một Cửa: hồ sơ thủ tục hành chính theo cơ chế một cửa."""


@main.group()
def db() -> None:
    """Cơ sở dữ liệu."""


@db.command("upgrade")
@with_appcontext
def db_upgrade() -> None:
    """Migrate the database to the newest schema."""
    from engine.ground.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"])
    click.echo(f"Cơ sở dữ liệu đã cập nhật: {_safe_url(current_app.config['DATABASE_URL'])}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.group()
def demo() -> None:
    """Dữ liệu mẫu."""


@demo.command("load")
@with_appcontext
def demo_load() -> None:
    """Load the demo organisation, users and procedures (idempotent; refused in production)."""
    from engine.ground.errors import DomainError
    from engine.operations.demo import DEMO_PASSWORD, DEMO_USERS, load_demo

    if current_app.config["ENV_NAME"] == "production":
        raise click.ClickException("Không nạp dữ liệu mẫu khi MOTCUA_ENV=production")
    with _session() as session:
        try:
            lines = load_demo(session, _now())
        except DomainError as err:
            raise click.ClickException(err.message) from err
        session.commit()
    for line in lines:
        click.echo(f"Thủ tục {line}")
    from pathlib import Path

    from engine.operations.demo import demo_signing_keys, demo_ward
    from engine.printing.unit_documents import agency_of

    with _session() as session:
        ward = demo_ward(session)
        name = agency_of(ward).name if ward else "Ủy ban nhân dân (mẫu)"
    keys, created = demo_signing_keys(Path(current_app.instance_path) / "signing", name, _now())
    click.echo(("Đã tạo" if created else "Giữ nguyên") + " CA mô phỏng và chứng thư số ký kết quả cho phường mẫu "
               f"(chỉ dùng thử, hết hạn {keys.not_after:%d/%m/%Y}):")
    click.echo(f"  CA tin cậy:  {keys.ca_pem}")
    click.echo(f"  Khóa ký số:  {keys.pkcs12} (mật khẩu {keys.passphrase}) · {keys.subject}")
    click.echo(f"Tài khoản mẫu (mật khẩu {DEMO_PASSWORD}):")
    from engine.operations.lien_thong import USERS as LIEN_THONG_USERS

    for username, full_name, role, _where in DEMO_USERS + LIEN_THONG_USERS:
        click.echo(f"  {username:<12} {role:<12} {full_name}")


@main.group()
def procedures() -> None:
    """Thủ tục và quy trình."""


@procedures.command("check")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--organisation", "--to-chuc", "organisation", is_flag=True,
              help="Cũng kiểm tra vai trò và mã đơn vị theo tổ chức trong cơ sở dữ liệu (như khi công bố)")
def procedures_check(paths: tuple[str, ...], organisation: bool) -> None:
    """Check procedure folders or .bpmn files; one line per problem, exit 1 if any."""
    from engine.catalogue.procedures import check_notes, check_path

    problems = [p for path in paths for p in check_path(path)]
    if organisation:
        problems += _organisation_problems(paths)
    if not problems:
        problems += _group_problems(paths)
    for problem in problems:
        click.echo(str(problem))
    for note in (n for path in paths for n in check_notes(path)):
        click.echo(f"ghi chú: {note}")
    if problems:
        click.echo(f"{len(problems)} lỗi.", err=True)
        sys.exit(1)
    click.echo(f"Không có lỗi ({len(paths)} mục đã kiểm tra).")


def _group_problems(paths: tuple[str, ...]) -> list:
    """A procedure group's members against the database: each published, not a group, its agency in the
    organisation, as publishing checks them (engine.catalogue.groups)."""
    from flask.cli import ScriptInfo

    from engine.catalogue.groups import folder_group, group_problems

    groups = [(path, folder_group(path)) for path in paths if Path(path).is_dir()]
    groups = [(path, catalogue) for path, catalogue in groups if catalogue is not None]
    if not groups:
        return []
    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    with app.app_context(), app.extensions["motcua"]["sessions"]() as session:
        return [p for path, catalogue in groups for p in group_problems(session, catalogue, str(path))]


def _organisation_problems(paths: tuple[str, ...]) -> list:
    """The roles and unit codes of the folders among `paths` against the database's organisation (the check
    publishing makes, engine.catalogue.publish_org)."""
    from flask.cli import ScriptInfo

    from bpmn.folder import FolderError, read_folder
    from engine.catalogue.publish_org import organisation_problems

    app = click.get_current_context().ensure_object(ScriptInfo).load_app()
    out = []
    with app.app_context(), app.extensions["motcua"]["sessions"]() as session:
        for path in paths:
            try:
                folder = read_folder(path) if Path(path).is_dir() else None
            except FolderError:
                continue  # already a problem of the file check
            if folder is not None:
                out += organisation_problems(session, folder.files, str(path))
    return out


@procedures.command("publish")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--note", default=None, help="Ghi chú phiên bản")
@click.option("--by", "published_by", default=None, help="Người công bố")
@with_appcontext
def procedures_publish(path: str, note: str | None, published_by: str | None) -> None:
    """Publish a procedure folder as a new immutable version (unchanged content: no new version)."""
    from engine.catalogue.groups import folder_group, publish_group_folder
    from engine.catalogue.procedures import publish_folder
    from engine.ground import events
    from engine.ground.errors import DomainError

    with _session() as session:
        try:
            if folder_group(path) is not None:  # a procedure group (liên thông)
                version, created = publish_group_folder(session, Path(path), _now(), published_by)
            else:
                version, created = publish_folder(session, Path(path), _now(), published_by, note)
        except DomainError as err:
            raise click.ClickException(err.message) from err
        events.record(session, "procedure.published", _now(), message=version.procedure.code,
                      code=version.procedure.code, version=version.number, created=created, source="cli")
        session.commit()
        state = "phiên bản mới" if created else "nội dung không đổi, giữ phiên bản"
        click.echo(f"{version.procedure.code} {state} {version.number} ({version.content_hash[:12]})")


@main.group()
def users() -> None:
    """Người dùng."""


@users.command("create")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Họ và tên")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True)
@click.option("--email", default=None)
@click.option("--role", "roles", multiple=True, help="vai_trò@MÃ_ĐƠN_VỊ, ví dụ mot_cua@H26.70")
@with_appcontext
def users_create(username: str, full_name: str, password: str, email: str | None, roles: tuple[str, ...]) -> None:
    """Create a user with roles in units."""
    from engine.ground import events
    from engine.ground.errors import DomainError
    from engine.org.accounts import create_user, get_unit, grant_role

    with _session() as session:
        try:
            user = create_user(session, username, full_name, password, _now(), email)
            for spec in roles:
                role, _, unit_code = spec.partition("@")
                grant_role(session, user, get_unit(session, unit_code), role)
        except DomainError as err:
            raise click.ClickException(f"{err.message} {err.fields or ''}".strip()) from err
        session.refresh(user, ["grants"])
        events.record(session, "user.created", _now(), unit_id=user.grants[0].unit_id if user.grants else None,
                      message=username, username=username, roles=list(roles), source="cli")
        session.commit()
    click.echo(f"Đã tạo người dùng {username}")


@main.command("scheduler")
@click.option("--once", is_flag=True, help="Run due jobs once and exit")
@click.option("--interval", type=float, default=30.0, show_default=True, help="Seconds between runs of each job")
@with_appcontext
def scheduler(once: bool, interval: float) -> None:
    """Run the background scheduler (timers, due-soon warnings, closures, outbox)."""
    from webapp.scheduler import run_scheduler

    if not once:  # a long-running process, like gunicorn's workers
        from webapp.gc_tuning import collect_less

        collect_less()
    run_scheduler(current_app, once=once, interval=interval)


from webapp.cli_calendar import calendar  # noqa: E402

main.add_command(calendar)

from webapp.cli_org import org  # noqa: E402

main.add_command(org)

from webapp.cli_backup import backup, restore  # noqa: E402

main.add_command(backup)
main.add_command(restore)

from webapp.cli_storage import storage  # noqa: E402

main.add_command(storage)
