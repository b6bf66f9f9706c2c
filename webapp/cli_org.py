"""`motcua org …`: the organisation tree from the command line."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from engine.ground.errors import DomainError


@click.group("org")
def org() -> None:
    """Tổ chức: đơn vị hành chính và cây tổ chức."""


@org.command("import")
@click.option("--province", "province_code", required=True, help="Mã tỉnh, thành phố (danh mục 2025), ví dụ 01 là Hà Nội")
@click.option("--code", "agency_code", default=None,
              help="Mã định danh cơ quan của tỉnh nếu chưa có đơn vị tỉnh (mặc định: H26 cho Hà Nội, T<mã> cho tỉnh khác)")
@with_appcontext
def import_units(province_code: str, agency_code: str | None) -> None:
    """Import a province and all its communes and wards, each with desk, division and leadership (idempotent)."""
    from engine.org.provinces import import_province, province_of, wards_of

    with current_app.extensions["motcua"]["sessions"]() as session:
        try:
            province = province_of(province_code)
            with click.progressbar(length=len(wards_of(province)), label=province.name,
                                   item_show_func=lambda ward: ward.name if ward else None) as bar:
                result = import_province(session, None, province_code, current_app.config["NOW"](), agency_code,
                                         progress=lambda ward: bar.update(1, ward))
        except DomainError as err:
            raise click.ClickException(err.message) from err
        session.commit()
    click.echo(f"{province.name} ({result.province.code}): {len(result.communes)} xã, phường; "
               f"tạo mới {result.created} đơn vị, giữ nguyên {result.existing} đơn vị đã có.")
