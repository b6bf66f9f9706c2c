"""Xưởng quy trình (studio): drafts of procedure folders, their checks, publication and versions.

A draft is the studio's working copy of one procedure's folder (procedure.yaml, process.bpmn,
*.form). Dossiers never use drafts: only `publish_draft` turns one into an immutable
ProcedureVersion, through the same checks as `motcua procedures check` (engine.catalogue.procedures.check_files).
Analysts and admins edit drafts; only admins publish; each only for a procedure within their scope
(engine.catalogue.scope says who owns which procedure).
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from bpmn.check import Problem, schema_problems, unreadable
from bpmn.diff import VersionDiff, diff_folders
from bpmn.folder import CATALOGUE_FILE, FolderError, parse_catalogue
from engine.catalogue.admin import folder_entries, slug
from engine.catalogue.procedures import check_files, notes_of, publish_files
from engine.catalogue.publish_org import organisation_problems
from engine.catalogue.scope import check_edit, check_publish
from engine.ground import events
from engine.ground.errors import Forbidden, Invalid, NotFound
from engine.models import Procedure, ProcedureDraft, ProcedureVersion, User
from engine.org.accounts import has_role

FILE_NAME = re.compile(r"^[\w.-]+\.(bpmn|form|yaml|html)$")  # .html: a result template (rendered in a sandbox)
EDITORS = ("analyst", "admin")
MAX_FILE_BYTES = 5 * 1024 * 1024


def may_edit(user: User | None) -> bool:
    """Analysts and admins edit drafts."""
    return user is not None and any(has_role(user, role) for role in EDITORS)


def _require_editor(user: User | None) -> None:
    if not may_edit(user):
        raise Forbidden("Chỉ chuyên viên phân tích quy trình hoặc quản trị viên được sửa bản nháp")


def get_draft(session: Session, code: str) -> ProcedureDraft | None:
    """The draft of a procedure, if someone saved one."""
    return session.scalar(select(ProcedureDraft).where(ProcedureDraft.code == code))


def open_draft(session: Session, code: str, user: User | None, now: datetime) -> ProcedureDraft:
    """The procedure's draft; the first time, a copy of its current version's folder.

    Forbidden unless the user may edit this procedure (engine.catalogue.scope).
    """
    _require_editor(user)
    check_edit(session, user, code)
    draft = get_draft(session, code)
    if draft is not None:
        return draft
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    if procedure is None or procedure.current_version is None:
        raise NotFound(f"Không có thủ tục mã {code}")
    version = procedure.current_version
    draft = ProcedureDraft(code=code, files=dict(version.files), base_version_id=version.id,
                           updated_by=user.username if user else None, updated_at=now)
    session.add(draft)
    session.flush()
    return draft


def revert_draft(session: Session, code: str, user: User | None, now: datetime) -> ProcedureDraft | None:
    """Bỏ bản nháp: the draft goes back to the published version's folder (every unpublished change is lost);
    a procedure never published loses its draft altogether (None). Recorded as an event."""
    _require_editor(user)
    check_edit(session, user, code)
    draft = get_draft(session, code)
    if draft is None:
        raise NotFound(f"Thủ tục {code} không có bản nháp")
    procedure = session.scalar(select(Procedure).where(Procedure.code == code))
    version = procedure.current_version if procedure is not None else None
    events.record(session, "studio.draft_reverted", now, user=user, message=code, code=code,
                  version=version.number if version else None)
    if version is None:
        session.delete(draft)
        session.flush()
        return None
    draft.files, draft.base_version_id = dict(version.files), version.id
    draft.updated_by, draft.updated_at = (user.username if user else None), now
    session.flush()
    return draft


def as_text(data: bytes) -> str:
    """Uploaded bytes as text to keep in a draft: bad UTF-8 and NUL (which PostgreSQL cannot store in
    JSON) become U+FFFD, so the check reports the file instead of the database refusing it."""
    return data.decode("utf-8", errors="replace").replace("\x00", "\ufffd")


def save_draft(session: Session, code: str, changed: dict[str, str], user: User | None,
               now: datetime) -> ProcedureDraft:
    """Store changed files (name -> text) into the draft; other files stay as they were."""
    draft = open_draft(session, code, user, now)
    for name, text in changed.items():
        if not isinstance(name, str) or not FILE_NAME.match(name):
            raise Invalid(f"Tên tệp '{name}' không hợp lệ", {"files": "Chỉ tệp .bpmn, .form và procedure.yaml."})
        if not isinstance(text, str) or "\x00" in text:
            raise Invalid(f"Tệp '{name}' không phải văn bản", {"files": f"Nội dung tệp {name} phải là văn bản."})
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise Invalid(f"Tệp '{name}' quá lớn", {"files": "Tối đa 5 MB mỗi tệp."})
    if CATALOGUE_FILE in changed:
        try:
            catalogue = parse_catalogue(changed[CATALOGUE_FILE], CATALOGUE_FILE)
        except FolderError as err:
            raise Invalid(str(err), {"files": str(err)}) from err
        if catalogue["code"] != code:
            raise Invalid("Không được đổi mã thủ tục trong bản nháp", {"files": f"Mã phải là {code}."})
    draft.files = {**draft.files, **changed}
    draft.updated_by, draft.updated_at = (user.username if user else None), now
    session.flush()
    return draft


def check_draft(draft: ProcedureDraft) -> list[Problem]:
    """Every problem of the draft: the same checks as `motcua procedures check`, and (a draft in the database)
    the roles and unit codes against the organisation, as publishing checks them."""
    return check_draft_files(object_session(draft), draft.code, draft.files)


def check_draft_files(session: Session | None, code: str, files: dict[str, str]) -> list[Problem]:
    """The problems of a draft's files as they would be saved (the studio checks the canvas before saving)."""
    application_form = None
    try:
        application_form = parse_catalogue(files.get(CATALOGUE_FILE, ""), CATALOGUE_FILE).get("application_form")
    except FolderError as err:
        return [Problem(CATALOGUE_FILE, 0, "", str(err))]
    problems = check_files(files, code, application_form)
    if session is not None:
        problems += organisation_problems(session, files, code)
    return [Problem(p.file.removeprefix(f"{code}/"), p.line, p.element, p.message) for p in problems]


def unsaved_files(draft: ProcedureDraft, changed: dict[str, str]) -> dict[str, str]:
    """The draft's files with the editor's unsaved changes over them (names and sizes as saving checks them)."""
    for name, text in changed.items():
        if not isinstance(name, str) or not FILE_NAME.match(name) or not isinstance(text, str):
            raise Invalid(f"Tên tệp '{name}' không hợp lệ", {"files": "Chỉ tệp .bpmn, .form và procedure.yaml."})
        if len(text.encode("utf-8")) > MAX_FILE_BYTES:
            raise Invalid(f"Tệp '{name}' quá lớn", {"files": "Tối đa 5 MB mỗi tệp."})
    return {**draft.files, **changed}


def draft_notes(draft: ProcedureDraft) -> list[Problem]:
    """What the check inferred about the draft's diagrams (bpmn.kinds), as notes beside its problems."""
    return [Problem(p.file.removeprefix(f"{draft.code}/"), p.line, p.element, p.message)
            for p in notes_of(draft.files, draft.code)]


def import_bpmn(session: Session, code: str, filename: str, data: bytes, user: User | None,
                now: datetime) -> tuple[ProcedureDraft, list[Problem]]:
    """Put a diagram drawn elsewhere into the draft as its process; returns the draft and its problems.

    A file up to MAX_FILE_BYTES (the limit of every file of a draft, however it arrives) that reads as a
    BPMN document replaces the draft's diagram, and what cannot run comes back as problems in words; one that
    cannot be read at all (bpmn.check.unreadable) is refused with Invalid and the draft keeps its diagram.
    """
    if len(data) > MAX_FILE_BYTES:
        raise Invalid(f"Tệp '{filename}' quá lớn", {"file": "Tối đa 5 MB mỗi tệp."})
    text = as_text(data).lstrip("\ufeff")
    refused = unreadable(filename, text)
    if refused:  # the draft keeps its last good diagram
        raise Invalid(f"Không đọc được sơ đồ '{filename}': {refused[0].message}; bản nháp giữ nguyên",
                      {"file": refused[0].message})
    invalid = schema_problems(filename, text)
    if invalid:  # bpmn-js may draw nothing of it: refused whole, with the first reasons in words
        said = "; ".join(f"dòng {p.line}: {p.message}" if p.line else p.message for p in invalid[:3])
        raise Invalid(f"Sơ đồ '{filename}' không đúng chuẩn BPMN 2.0 nên không nhập được ({said}); bản nháp giữ "
                      "nguyên. Hãy sửa trong trình vẽ đã tạo ra tệp rồi nhập lại.", {"file": invalid[0].message})
    draft = open_draft(session, code, user, now)
    bpmn_names = [n for n in draft.files if n.endswith(".bpmn")] or ["process.bpmn"]
    files = {n: t for n, t in draft.files.items() if not n.endswith(".bpmn")}
    files[bpmn_names[0]] = text
    draft.files = files
    draft.updated_by, draft.updated_at = (user.username if user else None), now
    session.flush()
    events.record(session, "studio.bpmn_imported", now, user=user, message=code, code=code, filename=filename)
    return draft, check_draft(draft)


def import_zip_draft(session: Session, data: bytes, user: User | None, now: datetime) -> ProcedureDraft:
    """A zipped procedure folder as the draft of its procedure (created or replaced); nothing is published."""
    _require_editor(user)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _name, raw = folder_entries(archive)
    except zipfile.BadZipFile as err:
        raise Invalid("Tệp tải lên không phải tệp .zip hợp lệ", {"file": "Cần một tệp .zip."}) from err
    too_big = sorted(n for n, b in raw.items() if len(b) > MAX_FILE_BYTES)
    if too_big:
        raise Invalid(f"Tệp '{too_big[0]}' quá lớn", {"file": "Tối đa 5 MB mỗi tệp."})
    files = {n: as_text(b) for n, b in raw.items() if FILE_NAME.match(n)}
    try:
        code = parse_catalogue(files.get(CATALOGUE_FILE, ""), CATALOGUE_FILE)["code"]
    except FolderError as err:
        raise Invalid(str(err), {"file": str(err)}) from err
    check_edit(session, user, code)
    draft = get_draft(session, code)
    if draft is None:
        procedure = session.scalar(select(Procedure).where(Procedure.code == code))
        draft = ProcedureDraft(code=code, files={}, updated_at=now,
                               base_version_id=procedure.current_version_id if procedure else None)
        session.add(draft)
    draft.files, draft.updated_by, draft.updated_at = files, (user.username if user else None), now
    session.flush()
    events.record(session, "studio.zip_imported", now, user=user, message=code, code=code)
    return draft


def export_draft_zip(draft: ProcedureDraft) -> tuple[str, bytes]:
    """The draft's folder zipped as `<code>-<slug>/…` (the same layout as the catalogue's export)."""
    try:
        name = parse_catalogue(draft.files.get(CATALOGUE_FILE, ""), CATALOGUE_FILE)["name"]
    except FolderError:
        name = "ban-nhap"
    folder = f"{draft.code}-{slug(name)}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for filename in sorted(draft.files):
            archive.writestr(zipfile.ZipInfo(f"{folder}/{filename}", date_time=draft.updated_at.timetuple()[:6]),
                             draft.files[filename])
    return f"{folder}.zip", buffer.getvalue()


def publish_draft(session: Session, code: str, user: User | None, now: datetime,
                  note: str | None = None) -> tuple[ProcedureVersion, bool]:
    """Công bố: publish the draft as a new immutable version (admins only); the draft is then closed.

    The admin must administer every unit the procedure reaches, and every unit code the diagram names
    (engine.catalogue.scope.check_publish).

    New dossiers use the new version; running dossiers keep theirs until an admin migrates them.
    """
    if user is None or not has_role(user, "admin"):
        raise Forbidden("Chỉ quản trị viên được công bố phiên bản quy trình")
    draft = get_draft(session, code)
    if draft is None:
        raise NotFound(f"Thủ tục {code} không có bản nháp")
    check_publish(session, user, code, draft.files)
    version, created = publish_files(session, draft.files, code, now, user.username, (note or "").strip() or None)
    session.delete(draft)
    session.flush()
    events.record(session, "procedure.published", now, user=user, message=code, code=code,
                  version=version.number, created=created, source="studio", note=note)
    return version, created


def versions_of(session: Session, code: str) -> list[ProcedureVersion]:
    """Every published version of a procedure, newest first."""
    return list(session.scalars(select(ProcedureVersion).join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
                                .where(Procedure.code == code).order_by(ProcedureVersion.number.desc())))


def version_by_number(session: Session, code: str, number: int) -> ProcedureVersion:
    """One published version of a procedure; NotFound otherwise."""
    version = session.scalar(select(ProcedureVersion).join(Procedure, Procedure.id == ProcedureVersion.procedure_id)
                             .where(Procedure.code == code, ProcedureVersion.number == number))
    if version is None:
        raise NotFound(f"Thủ tục {code} không có phiên bản {number}")
    return version


def diff_versions(session: Session, code: str, old: int, new: int) -> VersionDiff:
    """What changed from version `old` to version `new` of a procedure (elements, form fields, catalogue)."""
    return diff_folders(version_by_number(session, code, old).files, version_by_number(session, code, new).files)
