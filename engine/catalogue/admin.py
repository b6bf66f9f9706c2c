"""Danh mục thủ tục hành chính: the catalogue as admins keep it.

Procedures come and go as folders (procedure.yaml, process.bpmn, *.form), here zipped: an
import goes through engine.catalogue.procedures.publish_folder, so every check runs and each content is
one immutable version; an export gives back the current version's folder. Each unit keeps its
published list (the procedures it offers, which the public portal shows) in `procedure_unit`.
The catalogue is national, so only an admin of a top-level unit imports; a unit's list is kept
by whoever administers that unit.
"""
from __future__ import annotations

import io
import re
import tempfile
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bpmn.folder import CATALOGUE_FILE
from engine.catalogue.procedures import get_procedure, list_procedures, publish_folder
from engine.ground import events
from engine.ground.errors import Forbidden, Invalid
from engine.models import Procedure, ProcedureUnit, ProcedureVersion, RoleGrant, Unit, User
from engine.org.tree import check_admin, is_global_admin

FOLDER_SUFFIXES = (".bpmn", ".form", ".yaml", ".yml", ".html")  # .html: result templates
MAX_ZIP_FILES = 200
MAX_ZIP_BYTES = 20 * 1024 * 1024
CHANNELS = {"in_person": "Trực tiếp", "post": "Bưu chính", "online": "Trực tuyến"}
ONLINE = {"full": "Toàn trình", "partial": "Một phần", "none": "Không"}
LIMIT_UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc"}


@dataclass
class CatalogueRow:
    """One procedure as the catalogue lists it (the fields of procedure.yaml, and who offers it)."""

    procedure: Procedure
    version: int | None
    time_limit: str
    fees: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    results: list[str]
    channels: list[str]
    online: str
    one_stop: bool
    units: list[Unit] = field(default_factory=list)


def describe_time_limit(limit: dict[str, Any] | None) -> str:
    """`{value: 3, unit: working_days}` as Vietnamese text: "3 ngày làm việc" (0 days: in the day)."""
    if not limit:
        return ""
    value = limit.get("value", 0)
    if not value and limit.get("unit") == "working_days":
        return "Trong ngày"
    number = str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")
    return f"{number} {LIMIT_UNITS.get(limit.get('unit'), limit.get('unit'))}"


def catalogue_rows(session: Session, search: str = "") -> list[CatalogueRow]:
    """Every published procedure with its catalogue fields and the units that offer it (offering_units)."""
    text = search.strip().lower()
    procedures = [p for p in list_procedures(session)
                  if not text or text in p.code.lower() or text in p.name.lower() or text in (p.field or "").lower()]
    offering = units_offering(session, [p.id for p in procedures])
    defaults: dict[str | None, list[Unit]] = {}  # units offering by default, per authority level

    def by_level(procedure: Procedure) -> list[Unit]:
        if procedure.authority not in defaults:
            defaults[procedure.authority] = _units_by_default(session, procedure)
        return defaults[procedure.authority]

    rows = []
    for procedure in procedures:
        cat = procedure.catalogue or {}
        version = session.get(ProcedureVersion, procedure.current_version_id)
        rows.append(CatalogueRow(
            procedure, version.number if version else None, describe_time_limit(cat.get("time_limit")),
            list(cat.get("fees") or []), list(cat.get("documents") or []), [str(r) for r in cat.get("results") or []],
            [CHANNELS.get(c, c) for c in cat.get("channels") or []], ONLINE.get(cat.get("online") or "none", ""),
            bool(cat.get("one_stop")),
            offering.get(procedure.id, []) if procedure.units_listed else by_level(procedure)))
    return rows


def units_offering(session: Session, procedure_ids: list[int]) -> dict[int, list[Unit]]:
    """For each procedure id, the units whose published list holds it."""
    rows = session.execute(select(ProcedureUnit.procedure_id, Unit).join(Unit, Unit.id == ProcedureUnit.unit_id)
                           .where(ProcedureUnit.procedure_id.in_(procedure_ids)).order_by(Unit.code)).all()
    result: dict[int, list[Unit]] = {}
    for procedure_id, unit in rows:
        result.setdefault(procedure_id, []).append(unit)
    return result


def offering_units(session: Session, procedure: Procedure) -> list[Unit]:
    """The units that offer the procedure, as the public portal shows them: those whose published list holds
    it; while no unit has published it, the units at its authority level that have a one-stop officer (so
    that a fresh installation takes dossiers)."""
    if procedure.units_listed:
        return units_offering(session, [procedure.id]).get(procedure.id, [])
    return _units_by_default(session, procedure)


def _units_by_default(session: Session, procedure: Procedure) -> list[Unit]:
    query = (select(Unit).join(RoleGrant, RoleGrant.unit_id == Unit.id).where(RoleGrant.role == "mot_cua")
             .distinct().order_by(Unit.code))
    if procedure.authority:
        query = query.where(Unit.level == procedure.authority)
    return list(session.scalars(query))


def offered_procedures(session: Session, unit: Unit) -> list[Procedure]:
    """Danh mục TTHC của đơn vị: the published procedures the unit offers, by code, exactly as the public
    portal offers them (offering_units)."""
    published = list(session.scalars(select(Procedure).where(Procedure.current_version_id.is_not(None))
                                     .order_by(Procedure.code)))
    listed = units_offering(session, [p.id for p in published])
    has_desk = session.scalar(select(RoleGrant.id).where(RoleGrant.unit_id == unit.id, RoleGrant.role == "mot_cua")
                              .limit(1)) is not None
    return [p for p in published
            if (any(u.id == unit.id for u in listed.get(p.id, [])) if p.units_listed
                else has_desk and (not p.authority or p.authority == unit.level))]


def set_offered(session: Session, actor: User | None, unit: Unit, codes: list[str], now: datetime) -> list[Procedure]:
    """Set the unit's published list to these procedure codes; records what was added and removed.

    Only this unit's list changes: a procedure that no unit had listed yet, offered by default at every unit
    of its level, is first written into the list of each of those units, so that ticking or unticking it here
    never takes it from another ward's portal page.
    """
    check_admin(actor, unit)
    wanted = {code.strip() for code in codes if code.strip()}
    known = {p.code: p for p in list_procedures(session)}
    unknown = sorted(wanted - known.keys())
    if unknown:
        raise Invalid(f"Không có thủ tục mã {', '.join(unknown)}", {"procedures": "Mã thủ tục không tồn tại."})
    current = {p.code for p in offered_procedures(session, unit)}
    added, removed = sorted(wanted - current), sorted(current - wanted)
    for procedure in known.values():
        if not procedure.units_listed:  # offered by default so far: kept where it is, from now on listed
            for other in _units_by_default(session, procedure):
                session.add(ProcedureUnit(procedure_id=procedure.id, unit_id=other.id, since=now))
            procedure.units_listed = True
    session.flush()
    if removed:
        session.execute(delete(ProcedureUnit).where(
            ProcedureUnit.unit_id == unit.id,
            ProcedureUnit.procedure_id.in_([known[c].id for c in removed])))
    for code in added:
        if session.scalar(select(ProcedureUnit.id).where(ProcedureUnit.unit_id == unit.id,
                                                         ProcedureUnit.procedure_id == known[code].id)) is None:
            session.add(ProcedureUnit(procedure_id=known[code].id, unit_id=unit.id, since=now))
    session.flush()
    if added or removed:
        events.record(session, "unit.procedures_set", now, user=actor, unit_id=unit.id, message=unit.name,
                      added=added, removed=removed)
    return offered_procedures(session, unit)


def slug(text: str) -> str:
    """ASCII slug of a Vietnamese name: "Đăng ký khai sinh" → "dang-ky-khai-sinh"."""
    plain = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    plain = plain.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")


def export_zip(session: Session, code: str) -> tuple[str, bytes]:
    """The current version's folder zipped as `<code>-<slug>/…`; returns (file name, bytes)."""
    procedure = get_procedure(session, code)
    version = session.get(ProcedureVersion, procedure.current_version_id)
    folder = f"{procedure.code}-{slug(procedure.name)}"
    stamp = version.published_at.timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(version.files):
            archive.writestr(zipfile.ZipInfo(f"{folder}/{name}", date_time=stamp), version.files[name])
    return f"{folder}.zip", buffer.getvalue()


def folder_entries(archive: zipfile.ZipFile) -> tuple[str, dict[str, bytes]]:
    """The procedure folder inside a zip (its name and files), refusing oversized or ambiguous archives."""
    infos = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")]
    if len(infos) > MAX_ZIP_FILES or sum(i.file_size for i in infos) > MAX_ZIP_BYTES:
        raise Invalid("Tệp nén quá lớn", {"file": f"Tối đa {MAX_ZIP_FILES} tệp, {MAX_ZIP_BYTES // 2**20} MB."})
    catalogues = [PurePosixPath(i.filename) for i in infos if PurePosixPath(i.filename).name == CATALOGUE_FILE]
    if len(catalogues) != 1:
        raise Invalid("Tệp nén cần đúng một thư mục thủ tục có procedure.yaml",
                      {"file": f"Tìm thấy {len(catalogues)} tệp {CATALOGUE_FILE}."})
    root = catalogues[0].parent
    try:
        files = {PurePosixPath(i.filename).name: archive.read(i) for i in infos
                 if PurePosixPath(i.filename).parent == root and PurePosixPath(i.filename).suffix in FOLDER_SUFFIXES}
    except (zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError) as err:
        # a damaged member, a password, or a compression method Python cannot unpack
        raise Invalid("Không đọc được tệp nén: tệp hỏng, có mật khẩu hoặc nén theo cách không hỗ trợ",
                      {"file": "Hãy nén lại thư mục thủ tục bằng ZIP thông thường, không đặt mật khẩu."}) from err
    return re.sub(r"[^\w.-]", "-", root.name).strip(".") or "thu-tuc", files


def import_zip(session: Session, actor: User | None, data: bytes, now: datetime,
               note: str | None = None) -> tuple[ProcedureVersion, bool]:
    """Nhập thủ tục: publish a zipped procedure folder (checked as `motcua procedures check` does).

    Returns the version and whether it is new; unchanged content keeps the current version.
    """
    if not is_global_admin(actor):
        raise Forbidden("Chỉ quản trị viên cấp tỉnh, thành phố mới được nhập thủ tục vào danh mục")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            name, files = folder_entries(archive)
    except zipfile.BadZipFile as err:
        raise Invalid("Tệp tải lên không phải tệp .zip hợp lệ", {"file": "Cần một tệp .zip."}) from err
    with tempfile.TemporaryDirectory(prefix="motcua-import-") as tmp:
        folder = Path(tmp) / name
        folder.mkdir()
        for filename, content in files.items():
            (folder / filename).write_bytes(content)
        try:
            version, created = publish_folder(session, folder, now, actor.username if actor else None, note)
        except Invalid as err:
            raise Invalid(err.message.replace(f"{tmp}/", ""), {"file": "Thủ tục có lỗi."}) from err
    events.record(session, "procedure.published", now, user=actor, message=version.procedure.code,
                  code=version.procedure.code, version=version.number, created=created, source="zip")
    return version, created
