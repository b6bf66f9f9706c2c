"""Mẫu đơn, tờ khai: blank forms a procedure folder carries for citizens to download from its public page.

A checklist item of procedure.yaml names its template (`template: to-khai-dang-ky-khai-sinh.html`), an HTML file
of the folder written like the result template (forms/printing/result.py: Jinja's sandbox, the standard forms'
`_layout.html`, A4, Noto Serif); the portal renders it to PDF. `template_problems` is part of the folder's check.
A serving process renders them all once at start (`warm_blank_forms`), so no citizen waits the second it takes.
"""
from __future__ import annotations

import threading
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.check import Problem
from bpmn.folder import CATALOGUE_FILE, FolderError, parse_catalogue
from engine.ground.errors import NotFound
from engine.models import Procedure, ProcedureVersion
from forms.printing.result import ResultTemplateError, check_template, render_pdf_of, render_result


def templates_of(catalogue: dict) -> dict[str, str]:
    """File name → the checklist item it is the blank form of, for every item with a `template`."""
    return {str(doc["template"]): str(doc.get("name") or doc["template"])
            for doc in catalogue.get("documents") or [] if isinstance(doc, dict) and doc.get("template")}


def template_problems(files: dict[str, str], where: str) -> list[Problem]:
    """A `template` that names no HTML file of the folder, or one that does not parse."""
    try:
        catalogue = parse_catalogue(files[CATALOGUE_FILE], CATALOGUE_FILE)
    except (KeyError, FolderError):
        return []  # procedure.yaml's own problem
    problems = []
    for name in templates_of(catalogue):
        if not name.endswith(".html") or name not in files:
            problems.append(Problem(f"{where}/{CATALOGUE_FILE}", 0, "template",
                                    f"mẫu '{name}' của thành phần hồ sơ không có trong thư mục (tệp .html)"))
        elif (problem := check_template(files[name])) is not None:
            problems.append(Problem(f"{where}/{name}", 0, "template", f"mẫu không hợp lệ: {problem}"))
    return problems


def template_pdf(version: ProcedureVersion, name: str) -> bytes:
    """The blank form `name` of the published version as PDF; NotFound unless a checklist item names it."""
    catalogue = parse_catalogue(version.files[CATALOGUE_FILE], CATALOGUE_FILE)
    if name not in templates_of(catalogue) or name not in version.files:
        raise NotFound("Không có mẫu này")
    try:
        return _once(version.id, name, version.files[name])
    except ResultTemplateError as err:
        raise NotFound(f"Mẫu {name} chưa dùng được: {err}") from err


def warm_blank_forms(session: Session) -> int:
    """Render the blank forms of every procedure's current version into this process's cache; how many there are.

    A form that does not render is left for its request to report."""
    versions = session.scalars(select(ProcedureVersion).join(Procedure, Procedure.current_version_id
                                                             == ProcedureVersion.id))
    count = 0
    for version in versions:
        catalogue = parse_catalogue(version.files[CATALOGUE_FILE], CATALOGUE_FILE)
        for name in templates_of(catalogue):
            if name in version.files:
                try:
                    _once(version.id, name, version.files[name])
                except ResultTemplateError:
                    continue
                count += 1
    return count


_rendering = threading.Lock()


def _once(version_id: int, name: str, text: str) -> bytes:
    """The cached PDF; a download that comes while the warm-up renders its form waits for it, not renders it again."""
    with _rendering:
        return _rendered(version_id, name, text)


@lru_cache(maxsize=64)
def _rendered(version_id: int, name: str, text: str) -> bytes:
    """A published version never changes, so its blank form is rendered (about a second) once per process."""
    return render_pdf_of(render_result(text, {}))
