"""Nhập đơn vị hành chính: a province and its communes from the `vietnam-provinces` package.

Each commune-level unit (phường, xã, đặc khu) becomes a unit under its province, with a one-stop
desk, an office division and a leadership unit, as the demo ward has. Agency codes follow the
demo: the province's agency code, a dot, the commune's national code without leading zeros
(`H26.70` for Phường Hoàn Kiếm). Running the import again creates only what is missing and
keeps what admins edited since (names, codes, office hours): units are found by their national
administrative code first, then by agency code.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from vietnam_provinces import Province, ProvinceCode, Ward

from engine.ground import events
from engine.ground.errors import Forbidden, Invalid
from engine.models import Unit, User
from engine.org.tree import check_admin, is_global_admin

# National agency codes (mã định danh cơ quan) known for provinces; others get T<code> until an admin edits it.
KNOWN_AGENCY_CODES = {1: "H26"}
SUBUNITS = (("MC", "Bộ phận Một cửa", "desk"), ("VP", "Văn phòng HĐND và UBND", "division"),
            ("LD", "Lãnh đạo UBND", "leadership"))


@dataclass
class ImportResult:
    """What an import did: the province unit, its commune units (in national order), and counts."""

    province: Unit
    communes: list[Unit] = field(default_factory=list)
    created: int = 0
    existing: int = 0


def province_of(code: int | str) -> Province:
    """The province with this national code (1 or "01" for Hà Nội); Invalid when there is none."""
    try:
        return Province.from_code(ProvinceCode(int(code)))
    except (ValueError, KeyError) as err:
        raise Invalid(f"Không có tỉnh, thành phố mã {code}", {"province": "Mã tỉnh theo danh mục 2025, ví dụ 01."}) from err


def agency_code(province: Province) -> str:
    """The agency code a newly imported province gets (Hà Nội: H26)."""
    return KNOWN_AGENCY_CODES.get(int(province.code), f"T{int(province.code):02d}")


def wards_of(province: Province) -> list[Ward]:
    """The province's commune-level units, in national code order."""
    return list(Ward.iter_by_province(province.code))


class _Index:
    """The existing units, looked up by agency code, by (parent, administrative code) and (parent, level)."""

    def __init__(self, session: Session) -> None:
        self.by_code: dict[str, Unit] = {}
        self.by_admin: dict[tuple[Unit | None, str], Unit] = {}
        self.by_level: dict[tuple[Unit | None, str], Unit] = {}
        for unit in session.scalars(select(Unit).order_by(Unit.id)):
            self.add(unit)

    def add(self, unit: Unit) -> None:
        self.by_code[unit.code] = unit
        if unit.admin_code:
            self.by_admin.setdefault((unit.parent, unit.admin_code), unit)
        self.by_level.setdefault((unit.parent, unit.level), unit)


def find_province(session: Session, province: Province, code: str | None = None) -> Unit | None:
    """The province's unit: by its administrative code (01 for Hà Nội), else by agency code."""
    admin_code = f"{int(province.code):02d}"
    unit = session.scalar(select(Unit).where(Unit.level == "province", Unit.admin_code == admin_code)
                          .order_by(Unit.id).limit(1))
    return unit or session.scalar(select(Unit).where(Unit.code == (code or agency_code(province))))


def ensure_province(session: Session, province: Province, code: str | None = None) -> tuple[Unit, bool]:
    """The province's unit, created (as a root, level `province`) when missing; (unit, created)."""
    unit = find_province(session, province, code)
    if unit is not None:
        return unit, False
    unit = Unit(code=code or agency_code(province), name=f"UBND {province.name}", level="province",
                admin_code=f"{int(province.code):02d}", settings={})
    session.add(unit)
    session.flush()
    return unit, True


def _child(session: Session, index: _Index, parent: Unit, code: str, name: str, level: str,
           admin_code: str | None, result: ImportResult) -> Unit:
    unit = (index.by_admin.get((parent, admin_code)) if admin_code else index.by_level.get((parent, level))) \
        or index.by_code.get(code)
    if unit is not None:
        result.existing += 1
        return unit
    unit = Unit(code=code, name=name, level=level, parent=parent, admin_code=admin_code, settings={})
    session.add(unit)
    index.add(unit)
    result.created += 1
    return unit


def import_communes(session: Session, province_unit: Unit, wards: list[Ward],
                    progress: Callable[[Ward], None] | None = None) -> ImportResult:
    """Each ward or commune with its desk, division and leadership under the province unit (idempotent)."""
    index, result = _Index(session), ImportResult(province_unit)
    for ward in wards:
        commune = _child(session, index, province_unit, f"{province_unit.code}.{int(ward.code)}",
                         f"UBND {ward.name}", "commune", f"{int(ward.code):05d}", result)
        for suffix, name, level in SUBUNITS:
            _child(session, index, commune, f"{commune.code}.{suffix}", f"{name} {ward.name}", level, None, result)
        result.communes.append(commune)
        if progress is not None:
            progress(ward)
    session.flush()
    return result


def import_province(session: Session, actor: User | None, province_code: int | str, now: datetime,
                    code: str | None = None, progress: Callable[[Ward], None] | None = None) -> ImportResult:
    """Nhập tỉnh: the province and all its communes with their sub-units; records `org.imported`.

    `code` is the province's agency code when it is created (default: agency_code()).
    """
    province = province_of(province_code)
    found = find_province(session, province, code)
    if found is None and not is_global_admin(actor):
        raise Forbidden("Chỉ quản trị viên cấp cao nhất mới được tạo tỉnh, thành phố mới")
    if found is not None:
        check_admin(actor, found)
    unit, created = ensure_province(session, province, code)
    result = import_communes(session, unit, wards_of(province), progress)
    result.created += int(created)
    events.record(session, "org.imported", now, user=actor, unit_id=unit.id, message=province.name,
                  province=f"{int(province.code):02d}", communes=len(result.communes),
                  created=result.created, existing=result.existing)
    return result
