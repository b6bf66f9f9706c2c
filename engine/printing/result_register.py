"""Sổ cấp kết quả: the unit's register that numbers the results of one procedure, one book a year.

The pattern comes from the procedure (`result_document.number_pattern` in procedure.yaml) and a unit
may set its own (unit setting `result_registers`: {procedure code: pattern}). `{serial}` is the number
in the year's book (with a format such as `{serial:03d}`), `{year}` the year, `{unit}` the unit's code.
Numbers are issued by one INSERT … ON CONFLICT DO UPDATE that holds the counter row's lock until the
transaction ends: concurrent approvals queue, and one rolled back gives its number back (no gaps).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy import bindparam
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from engine.ground.errors import Invalid
from engine.models import Dossier, ResultRegister, Unit

CATALOGUE_KEY = "result_document"


@dataclass(frozen=True)
class ResultSpec:
    """What a procedure says about its result document."""

    template: str
    title: str
    register: str
    number_pattern: str


_SPECS: dict[str, ResultSpec | None] = {}  # by version content hash: a published version never changes


def result_spec(dossier: Dossier) -> ResultSpec | None:
    """The dossier's result document as its procedure version describes it; None when it has no template.
    Read once per version and process: the version's files (a deferred column) are not loaded at every approval."""
    version = dossier.version
    if version.content_hash not in _SPECS:
        _SPECS[version.content_hash] = _spec_of(version.files or {})
    return _SPECS[version.content_hash]


def _spec_of(files: dict) -> ResultSpec | None:
    from bpmn.folder import CATALOGUE_FILE, parse_catalogue

    catalogue = parse_catalogue(files[CATALOGUE_FILE], CATALOGUE_FILE) if CATALOGUE_FILE in files else {}
    spec = catalogue.get(CATALOGUE_KEY)
    if not isinstance(spec, dict) or not spec.get("template") or spec["template"] not in files:
        return None
    results = catalogue.get("results") or []
    title = str(spec.get("title") or (results[0] if results else "Giấy tờ kết quả"))
    return ResultSpec(str(spec["template"]), title, str(spec.get("register") or f"Sổ cấp {title}"),
                      str(spec.get("number_pattern") or ""))


def number_pattern(unit: Unit, procedure_code: str, spec: ResultSpec) -> str:
    """The unit's own pattern for this procedure's register, else the procedure's."""
    own = ((unit.settings or {}).get("result_registers") or {}).get(procedure_code)
    return str(own or spec.number_pattern or "")


def check_pattern(pattern: str, register: str) -> str:
    """The pattern if it gives a number; Invalid (the approval cannot go on) when it is missing or broken."""
    where = {"approval_decision": f"{register} chưa có mẫu số hiệu; quản trị viên cấu hình sổ trước khi phê duyệt."}
    if not pattern.strip() or "{serial" not in pattern:
        raise Invalid(f"Chưa có sổ cấp số cho kết quả ({register}): kết quả không thể phê duyệt khi chưa có số "
                      "đăng ký", where)
    try:
        pattern.format(serial=1, year=2000, unit="X")
    except (KeyError, ValueError, IndexError) as err:
        raise Invalid(f"Mẫu số hiệu của {register} không hợp lệ ({pattern!r}): {err}", where) from err
    return pattern


def next_serial(session: Session, unit: Unit, procedure_code: str, year: int) -> int:
    """The next number of the unit's register for the procedure and year (locked until commit)."""
    statement = _next_serial(session.get_bind().dialect.name)
    return session.connection().execute(statement, {"unit_id": unit.id, "procedure_code": procedure_code,
                                                    "year": year}).scalar_one()


@lru_cache(maxsize=2)
def _next_serial(dialect: str):
    """INSERT … ON CONFLICT DO UPDATE SET last_value = last_value + 1 RETURNING last_value, built once per dialect."""
    table = ResultRegister.__table__
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return (insert(table).values(unit_id=bindparam("unit_id"), procedure_code=bindparam("procedure_code"),
                                 year=bindparam("year"), last_value=1)
            .on_conflict_do_update(index_elements=["unit_id", "procedure_code", "year"],
                                   set_={"last_value": table.c.last_value + 1})
            .returning(table.c.last_value))


def format_number(pattern: str, serial: int, year: int, unit_code: str) -> str:
    """The number as printed on the result."""
    return pattern.format(serial=serial, year=year, unit=unit_code)
