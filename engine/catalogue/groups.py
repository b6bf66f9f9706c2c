"""Nhóm thủ tục liên thông: a procedure group as data (the `group:` section of procedure.yaml), checked and published.

A group folder holds only procedure.yaml. Its `group:` section names the members in order:

    group:
      on_member_refused: stop        # or continue: what a refused or stopped member does to the others
      members:
        - procedure: "1.001193"      # a published procedure's code
          unit_kind: commune         # commune: the receiving commune; another kind: its child unit of that
          unit: H26.BHXH             #   level (commune police), unless `unit` names a fixed unit
          stage: 1                   # same stage: in parallel; the next stage opens when this one has ended
          budget: {value: 1, unit: working_days}
          data: {key: declaration.field | results.<procedure code>.<code|result|unit|completed_at>}
          register: {system: civil_status, event: khai_sinh}   # the national register its approved result goes to

The check refuses a member procedure that is not published, a fixed unit missing from the organisation,
a unit kind no unit has, and member budgets whose longest path through the stages exceeds the group's
time limit. Published, a group is a procedure whose version holds procedure.yaml alone (process id GROUP).
"""
from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bpmn.check import Problem
from bpmn.folder import CATALOGUE_FILE, FolderError, parse_catalogue
from engine.calendar.hours import MINUTES_PER_WORKING_DAY
from engine.ground.errors import Invalid
from engine.models import Procedure, ProcedureVersion, Unit

GROUP_PROCESS = "GROUP"
ON_REFUSED = ("continue", "stop")
RECEIVING_KIND = "commune"
SOURCES = ("declaration", "results")
MINUTES = {"working_days": MINUTES_PER_WORKING_DAY, "working_hours": 60}
# register: the national register an approved member's record goes to (engine.messaging.lien_thong_records)
REGISTER_EVENTS = {"civil_status": ("khai_sinh", "khai_tu"),
                   "residence": ("dang_ky_thuong_tru", "xoa_dang_ky_thuong_tru")}


def register_problem(register: object) -> str | None:
    """What is wrong with a member's `register:` entry (None when it is absent or right)."""
    if register is None:
        return None
    if not isinstance(register, dict) or register.get("system") not in REGISTER_EVENTS:
        return "register phải có dạng {system: civil_status|residence, event: …}"
    if register.get("event") not in REGISTER_EVENTS[register["system"]]:
        return f"register.event của {register['system']} phải là một trong: " \
               + ", ".join(REGISTER_EVENTS[register["system"]])
    return None


def is_group(catalogue: dict | None) -> bool:
    """Whether a procedure's catalogue entry is a group."""
    return isinstance((catalogue or {}).get("group"), dict)


def members_of(catalogue: dict) -> list[dict]:
    """The members of a group's catalogue entry, in order (each with `stage` defaulted to its position)."""
    members = (catalogue.get("group") or {}).get("members") or []
    return [{**m, "stage": int(m.get("stage", i + 1))} for i, m in enumerate(members)]


def stages_of(catalogue: dict) -> list[int]:
    """The group's stages, in order."""
    return sorted({m["stage"] for m in members_of(catalogue)})


def _minutes(budget: object) -> float | None:
    if not isinstance(budget, dict) or budget.get("unit") not in MINUTES \
            or not isinstance(budget.get("value"), (int, float)) or budget["value"] < 0:
        return None
    return budget["value"] * MINUTES[budget["unit"]]


def shape_problems(catalogue: dict, where: str) -> list[Problem]:
    """Problems of the group section alone, without the database."""
    name = f"{where}/{CATALOGUE_FILE}"
    group = catalogue.get("group")
    if not isinstance(group, dict):
        return [Problem(name, 0, "group", "group phải là một bảng khóa: giá trị")]
    problems = []
    if group.get("on_member_refused", "stop") not in ON_REFUSED:
        problems.append(Problem(name, 0, "group.on_member_refused", "on_member_refused phải là continue hoặc stop"))
    members = group.get("members")
    if not isinstance(members, list) or not members:
        return problems + [Problem(name, 0, "group.members", "nhóm liên thông cần ít nhất một thủ tục thành viên")]
    seen = set()
    for i, member in enumerate(members):
        at = f"group.members[{i}]"
        if not isinstance(member, dict) or not member.get("procedure"):
            problems.append(Problem(name, 0, at, "thành viên cần mã thủ tục (procedure)"))
            continue
        code = str(member["procedure"])
        if code in seen:
            problems.append(Problem(name, 0, at, f"thủ tục {code} có hai lần trong nhóm"))
        seen.add(code)
        if not member.get("unit_kind") and not member.get("unit"):
            problems.append(Problem(name, 0, at, f"thành viên {code} cần loại đơn vị (unit_kind) hoặc đơn vị (unit)"))
        if _minutes(member.get("budget")) is None:
            problems.append(Problem(name, 0, at, f"thành viên {code}: budget phải có dạng "
                                                 "{value: số ≥ 0, unit: working_days|working_hours}"))
        if not isinstance(member.get("stage", i + 1), int):
            problems.append(Problem(name, 0, at, f"thành viên {code}: stage phải là số nguyên"))
        if register_problem(member.get("register")):
            problems.append(Problem(name, 0, f"{at}.register", f"thành viên {code}: "
                                    + register_problem(member.get("register"))))
        for key, source in (member.get("data") or {}).items():
            if str(source).split(".", 1)[0] not in SOURCES:
                problems.append(Problem(name, 0, f"{at}.data.{key}",
                                        "nguồn dữ liệu phải bắt đầu bằng declaration. hoặc results."))
    if problems:
        return problems
    limit = _minutes(catalogue.get("time_limit"))
    path = sum(max(_minutes(m["budget"]) for m in members_of(catalogue) if m["stage"] == s)
               for s in stages_of(catalogue))
    if limit is not None and path > limit:
        problems.append(Problem(name, 0, "group.members", "tổng thời hạn của các thành viên (theo thứ tự giải quyết) "
                                                          "vượt thời hạn của nhóm"))
    return problems


def _over_own_limit(member: dict, catalogue: dict | None) -> bool:
    """A member's budget in the group longer than its own procedure's time limit ("trong ngày" counts as one day)."""
    own = _minutes((catalogue or {}).get("time_limit"))
    return own is not None and _minutes(member["budget"]) > (own or MINUTES_PER_WORKING_DAY)


def group_problems(session: Session, catalogue: dict, where: str) -> list[Problem]:
    """Every problem of a group: its shape, then its members against the catalogue and the organisation."""
    problems = shape_problems(catalogue, where)
    if problems:
        return problems
    name = f"{where}/{CATALOGUE_FILE}"
    for i, member in enumerate(members_of(catalogue)):
        at, code = f"group.members[{i}]", str(member["procedure"])
        procedure = session.scalar(select(Procedure).where(Procedure.code == code))
        if procedure is None or procedure.current_version_id is None:
            problems.append(Problem(name, 0, at, f"thủ tục thành viên {code} chưa được công bố"))
        elif is_group(procedure.catalogue):
            problems.append(Problem(name, 0, at, f"thủ tục thành viên {code} là một nhóm liên thông"))
        elif _over_own_limit(member, procedure.catalogue):
            problems.append(Problem(name, 0, f"{at}.budget", f"thời hạn của thủ tục {code} trong nhóm vượt thời hạn "
                                                             "giải quyết của chính thủ tục đó"))
        if member.get("unit"):
            if session.scalar(select(Unit.id).where(Unit.code == str(member["unit"]))) is None:
                problems.append(Problem(name, 0, at, f"không có đơn vị {member['unit']} trong cơ cấu tổ chức"))
        elif member["unit_kind"] != RECEIVING_KIND and \
                session.scalar(select(Unit.id).where(Unit.level == member["unit_kind"]).limit(1)) is None:
            problems.append(Problem(name, 0, at, f"cơ cấu tổ chức chưa có đơn vị loại {member['unit_kind']} "
                                                 f"để giải quyết thủ tục {code}"))
    return problems


def folder_group(path: str | Path) -> dict | None:
    """The catalogue of a folder that is a group (its procedure.yaml has `group:`); None for any other path."""
    target = Path(path) / CATALOGUE_FILE
    if not target.is_file():
        return None
    try:
        catalogue = parse_catalogue(target.read_text(encoding="utf-8"), str(target))
    except (OSError, UnicodeDecodeError, FolderError):
        return None
    return catalogue if "group" in catalogue else None


def publish_group_folder(session: Session, path: str | Path, now: datetime,
                         published_by: str | None = None) -> tuple[ProcedureVersion, bool]:
    """Publish a group folder (procedure.yaml with `group:`) after its check; unchanged returns the existing one."""
    target = Path(path) / CATALOGUE_FILE
    try:
        text = target.read_text(encoding="utf-8")
        catalogue = parse_catalogue(text, str(target))
    except (OSError, FolderError) as err:
        raise Invalid(str(err)) from err
    return publish_group(session, {CATALOGUE_FILE: text}, catalogue, str(path), now, published_by)


def publish_group(session: Session, files: dict[str, str], catalogue: dict, where: str, now: datetime,
                  published_by: str | None = None) -> tuple[ProcedureVersion, bool]:
    """Publish a checked group as a procedure whose version is its catalogue alone."""
    problems = group_problems(session, catalogue, where)
    if problems:
        raise Invalid("Nhóm liên thông có lỗi, chưa thể công bố:\n" + "\n".join(map(str, problems)))
    digest = hashlib.sha256(files[CATALOGUE_FILE].encode()).hexdigest()
    procedure = session.scalar(select(Procedure).where(Procedure.code == catalogue["code"]))
    if procedure is None:
        procedure = Procedure(code=catalogue["code"], name=catalogue["name"])
        session.add(procedure)
    procedure.name, procedure.field = catalogue["name"], catalogue.get("field")
    procedure.authority, procedure.catalogue = catalogue.get("authority"), catalogue
    session.flush()
    existing = session.scalar(select(ProcedureVersion).where(
        ProcedureVersion.procedure_id == procedure.id, ProcedureVersion.content_hash == digest))
    if existing is not None:
        return existing, False
    number = (session.scalar(select(func.max(ProcedureVersion.number))
                             .where(ProcedureVersion.procedure_id == procedure.id)) or 0) + 1
    version = ProcedureVersion(procedure_id=procedure.id, number=number, content_hash=digest,
                               process_id=GROUP_PROCESS, files=dict(files), published_at=now,
                               published_by=published_by, note="Nhóm liên thông")
    session.add(version)
    session.flush()
    procedure.current_version = version
    session.flush()
    return version, True
