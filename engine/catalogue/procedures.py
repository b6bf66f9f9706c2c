"""The procedure catalogue: check procedure folders, publish immutable versions, look them up."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from bpmn.budgets import REASON_KEY
from bpmn.check import Problem, check_bpmn, folder_problems
from bpmn.decisions import domain_of
from bpmn.folder import (
    CATALOGUE_FILE,
    FolderError,
    ProcedureFolder,
    diagram_roots,
    parse_catalogue,
    read_folder,
)
from bpmn.kinds import inference_notes
from bpmn.process import ParsedProcess, cached_process
from engine.calendar.working import parse_budget
from engine.catalogue.form_index import extra_forms
from engine.catalogue.groups import folder_group, shape_problems
from engine.catalogue.publish_org import organisation_problems
from engine.ground.errors import Invalid, NotFound
from engine.models import Procedure, ProcedureVersion
from forms import FormDefinition, FormError, parse_form


def check_path(path: str | Path) -> list[Problem]:
    """Every problem of a procedure folder or a single .bpmn file (forms beside it)."""
    target = Path(path)
    group = folder_group(target) if target.is_dir() else None
    if group is not None:  # a procedure group: procedure.yaml alone; its members are checked with the database
        return shape_problems(group, str(target))
    if target.is_dir():
        try:
            folder = read_folder(target)
        except FolderError as err:
            return [Problem(str(target), 0, "", str(err))]
        return check_files(folder.files, str(target), folder.catalogue.get("application_form"))
    if not target.is_file():
        return [Problem(str(target), 0, "", "không tìm thấy tệp hoặc thư mục")]
    if target.suffix != ".bpmn":
        return [Problem(str(target), 0, "", "cần một thư mục thủ tục hoặc một tệp .bpmn")]
    files = {p.name: p.read_text(encoding="utf-8", errors="replace")
             for p in target.parent.glob("*.form")}
    try:
        files[target.name] = target.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return [Problem(str(target), 0, "", "không phải văn bản UTF-8")]
    return check_files(files, str(target.parent), None, only=target.name)


def check_files(files: dict[str, str], where: str, application_form: str | None = None,
                only: str | None = None) -> list[Problem]:
    """Check the forms and diagrams of one procedure; names in problems are relative to `where`."""
    problems: list[Problem] = []
    forms: dict[str, FormDefinition] = {}
    for name, text in sorted(files.items()):
        if name.endswith(".form"):
            try:
                form = parse_form(text, f"{where}/{name}")
            except FormError as err:
                problems.append(Problem(f"{where}/{name}", 0, "", err.message))
                continue
            forms[form.id] = form
            problems += [Problem(f"{where}/{name}", 0, form.id, msg) for msg in form.problems]
    forms.update(extra_forms(files, forms, where))
    keys = {fid: set(f.keys()) for fid, f in forms.items()}
    extra = frozenset(keys.get(application_form or "", set()))
    if application_form and application_form not in forms:
        problems.append(Problem(f"{where}/procedure.yaml", 0, "application_form",
                                f"biểu mẫu '{application_form}' không có trong thư mục"))
    domains = {fid: {f.key: d for f in form.fields if (d := domain_of(f.type, f.values)) is not None}
               for fid, form in forms.items()}
    limit = _budget_limit(files)
    for name, text in sorted(files.items()):
        if name.endswith(".bpmn") and (only is None or name == only):
            problems += check_bpmn(f"{where}/{name}", text, keys, extra, parse_budget, domains, limit,
                                   domains.get(application_form or ""))
    from engine.catalogue.templates import template_problems

    return problems + folder_problems(files, where) + template_problems(files, where)


def _budget_limit(files: dict[str, str]) -> int | None:
    """The legal time limit in working minutes that no path's budgets may pass; None when procedure.yaml is
    absent or unreadable (its own problem) or records why some path may take longer (REASON_KEY)."""
    from engine.catalogue.sandbox import limit_minutes

    try:
        catalogue = parse_catalogue(files[CATALOGUE_FILE], CATALOGUE_FILE)
    except (KeyError, FolderError):
        return None
    if str(catalogue.get(REASON_KEY) or "").strip():
        return None
    return limit_minutes(catalogue)


def check_notes(path: str | Path) -> list[Problem]:
    """What the check inferred about a procedure folder or .bpmn file (bpmn.kinds): notes, not problems."""
    target = Path(path)
    if target.is_dir():
        files = {p.name: p.read_text(encoding="utf-8", errors="replace") for p in target.glob("*.bpmn")}
        return notes_of(files, str(target))
    if target.is_file() and target.suffix == ".bpmn":
        return notes_of({target.name: target.read_text(encoding="utf-8", errors="replace")}, str(target.parent))
    return []


def notes_of(files: dict[str, str], where: str) -> list[Problem]:
    """The inference notes of a procedure's diagrams; names relative to `where`."""
    return [Problem(f"{where}/{name}", line, element, note)
            for name, line, element, note in inference_notes(diagram_roots(files))]


def publish_folder(session: Session, path: str | Path, now: datetime, published_by: str | None = None,
                   note: str | None = None) -> tuple[ProcedureVersion, bool]:
    """Publish a folder as a new immutable version; unchanged content returns the existing one."""
    try:
        folder = read_folder(path)
    except FolderError as err:
        raise Invalid(str(err)) from err
    return publish_files(session, folder.files, str(path), now, published_by, note)


def publish_files(session: Session, files: dict[str, str], where: str, now: datetime,
                  published_by: str | None = None, note: str | None = None) -> tuple[ProcedureVersion, bool]:
    """Publish a procedure's files (name -> text) as a new immutable version, after every check.

    Unchanged content returns the existing version and False; `where` prefixes file names in problems.
    """
    if CATALOGUE_FILE not in files:
        raise Invalid(f"{where}/{CATALOGUE_FILE}: thiếu tệp mô tả thủ tục")
    try:
        folder = ProcedureFolder(where, parse_catalogue(files[CATALOGUE_FILE], f"{where}/{CATALOGUE_FILE}"),
                                 dict(files))
    except FolderError as err:
        raise Invalid(str(err)) from err
    problems = check_files(folder.files, where, folder.catalogue.get("application_form"))
    if not folder.bpmn_files:
        problems.append(Problem(where, 0, "", "thiếu tệp quy trình .bpmn"))
    problems += organisation_problems(session, folder.files, where)
    if problems:
        raise Invalid("Thủ tục có lỗi, chưa thể công bố:\n" + "\n".join(map(str, problems)))
    procedure = _upsert_procedure(session, folder)
    existing = session.scalar(select(ProcedureVersion).where(
        ProcedureVersion.procedure_id == procedure.id, ProcedureVersion.content_hash == folder.content_hash))
    if existing is not None:
        return existing, False
    number = (session.scalar(select(func.max(ProcedureVersion.number))
                             .where(ProcedureVersion.procedure_id == procedure.id)) or 0) + 1
    parsed = cached_process(folder.content_hash, lambda: folder.bpmn_files)
    version = ProcedureVersion(procedure_id=procedure.id, number=number, content_hash=folder.content_hash,
                               process_id=parsed.process_id, files=folder.files, published_at=now,
                               published_by=published_by, note=note)
    session.add(version)
    session.flush()
    procedure.current_version = version
    session.flush()
    return version, True


def _upsert_procedure(session: Session, folder: ProcedureFolder) -> Procedure:
    cat = folder.catalogue
    procedure = session.scalar(select(Procedure).where(Procedure.code == cat["code"]))
    if procedure is None:
        procedure = Procedure(code=cat["code"], name=cat["name"])
        session.add(procedure)
    procedure.name, procedure.field, procedure.authority = cat["name"], cat.get("field"), cat.get("authority")
    procedure.catalogue = cat
    session.flush()
    return procedure


# with its current version in the same statement: whoever asks for a procedure by code opens a dossier of it
_PROCEDURE_BY_CODE = (select(Procedure).where(Procedure.code == bindparam("code"))
                      .options(joinedload(Procedure.current_version)))


def get_procedure(session: Session, code: str) -> Procedure:
    """A published procedure by its national code; NotFound otherwise."""
    procedure = session.scalar(_PROCEDURE_BY_CODE, {"code": code})
    if procedure is None or procedure.current_version_id is None:
        raise NotFound(f"Không có thủ tục mã {code}", {"procedure_code": "Mã thủ tục không tồn tại."})
    return procedure


def list_procedures(session: Session) -> list[Procedure]:
    """Every published procedure, by code, with its current version (in the same round trip, its files left
    to load when read: a list shows the version's number, not its diagram)."""
    return list(session.scalars(select(Procedure).where(Procedure.current_version_id.is_not(None))
                                .options(selectinload(Procedure.current_version).defer(ProcedureVersion.files))
                                .order_by(Procedure.code)))


def process_of(version: ProcedureVersion) -> ParsedProcess:
    """The parsed process of a version (cached per content hash)."""
    return cached_process(version.content_hash,
                          lambda: {n: t for n, t in version.files.items() if n.endswith(".bpmn")})


_FORMS: dict[str, dict[str, FormDefinition]] = {}


def forms_of(version: ProcedureVersion) -> dict[str, FormDefinition]:
    """The forms of a version by id (parsed once per content hash)."""
    forms = _FORMS.get(version.content_hash)
    if forms is None:
        parsed = (parse_form(text, name) for name, text in sorted(version.files.items()) if name.endswith(".form"))
        by_id = {form.id: form for form in parsed}
        forms = _FORMS.setdefault(version.content_hash, {**by_id, **extra_forms(version.files, by_id)})
    return forms
