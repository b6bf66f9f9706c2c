"""Thủ tục mới: a new procedure's first draft, from the studio's wizard answers and the template folder.

The template (engine/catalogue/template/) is the standard one-stop process: the desk receives (or asks for
papers, or refuses), a specialist appraises, a leader approves, the desk returns; with its step forms. The
catalogue entry (procedure.yaml) is written from the answers. Nothing is published: the analyst edits the
draft in the studio and an admin publishes it after the check and the diff.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from xml.sax.saxutils import escape

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalogue.scope import check_edit
from engine.catalogue.studio import get_draft, may_edit
from engine.ground import events
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.models import Procedure, ProcedureDraft, User

TEMPLATE = Path(__file__).with_name("template")
CODE = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-]{2,39}$")
AUTHORITIES = {"commune": "Cấp xã", "district": "Cấp huyện", "province": "Cấp tỉnh"}
LIMIT_UNITS = {"working_days": "ngày làm việc", "working_hours": "giờ làm việc"}
CHANNELS = {"in_person": "Trực tiếp", "post": "Qua bưu chính", "online": "Trực tuyến"}
NAME_LIMIT = 255


@dataclass
class NewProcedure:
    """What the wizard asks: code, name, field, authority, legal time limit and channels."""

    code: str = ""
    name: str = ""
    field: str = ""
    authority: str = "commune"
    limit_value: str = "1"
    limit_unit: str = "working_days"
    channels: list[str] = dataclasses.field(default_factory=lambda: ["in_person"])


def check_answers(answers: NewProcedure) -> dict:
    """The catalogue entry the answers make; Invalid naming every bad answer at once."""
    errors: dict[str, str] = {}
    code, name, area = answers.code.strip(), " ".join(answers.name.split()), " ".join(answers.field.split())
    if not CODE.match(code):
        errors["code"] = "Mã thủ tục gồm 3–40 chữ, số, dấu chấm hoặc gạch ngang, ví dụ 1.001193."
    if not name:
        errors["name"] = "Hãy nhập tên thủ tục."
    elif len(name) > NAME_LIMIT:
        errors["name"] = f"Tên thủ tục dài quá {NAME_LIMIT} ký tự."
    if len(area) > NAME_LIMIT:
        errors["field"] = f"Lĩnh vực dài quá {NAME_LIMIT} ký tự."
    if answers.authority not in AUTHORITIES:
        errors["authority"] = "Chọn cấp thẩm quyền: xã, huyện hoặc tỉnh."
    value = answers.limit_value.strip()
    if not value.isdigit() or int(value) > 365:
        errors["limit_value"] = "Thời hạn là một số nguyên từ 0 đến 365."
    if answers.limit_unit not in LIMIT_UNITS:
        errors["limit_unit"] = "Chọn đơn vị: ngày làm việc hoặc giờ làm việc."
    channels = [c for c in CHANNELS if c in answers.channels]
    if not channels or len(channels) != len(set(answers.channels)):
        errors["channels"] = "Chọn ít nhất một cách nộp: trực tiếp, qua bưu chính hoặc trực tuyến."
    if errors:
        raise Invalid("Thông tin thủ tục mới chưa hợp lệ", errors)
    catalogue = {"code": code, "name": name, "field": area, "authority": answers.authority,
                 "time_limit": {"value": int(value), "unit": answers.limit_unit}, "channels": channels,
                 "one_stop": True, "supplement_clock": "pause", "documents": [], "results": []}
    if "online" in channels:
        catalogue["online"] = "full"
    return catalogue


def template_files(catalogue: dict) -> dict[str, str]:
    """The template folder filled in for this procedure: its diagram, its step forms and procedure.yaml."""
    files = {path.name: path.read_text(encoding="utf-8") for path in sorted(TEMPLATE.iterdir())
             if path.suffix in (".bpmn", ".form")}
    process_id = "Process_" + re.sub(r"[^0-9A-Za-z_]", "_", catalogue["code"])
    files["process.bpmn"] = (files["process.bpmn"].replace("{{PROCESS_ID}}", process_id)
                             .replace("{{NAME}}", escape(catalogue["name"], {'"': "&quot;"})))
    header = (f"# Catalogue entry for procedure {catalogue['code']}, made by the studio's wizard "
              "(Thủ tục mới); complete it before publishing.\n")
    files["procedure.yaml"] = header + yaml.safe_dump(catalogue, allow_unicode=True, sort_keys=False)
    return files


def create_draft(session: Session, user: User | None, answers: NewProcedure, now: datetime) -> ProcedureDraft:
    """The new procedure's draft; Conflict when the code is a procedure or a draft already."""
    if not may_edit(user):
        raise Forbidden("Chỉ chuyên viên phân tích quy trình hoặc quản trị viên được tạo thủ tục mới")
    catalogue = check_answers(answers)
    code = catalogue["code"]
    if session.scalar(select(Procedure.id).where(Procedure.code == code)) is not None or get_draft(session, code):
        raise Conflict(f"Mã thủ tục {code} đã có trong danh mục hoặc đang có bản nháp",
                       {"code": "Mã này đã dùng; mở thủ tục đó trong xưởng hoặc chọn mã khác."})
    check_edit(session, user, code)
    draft = ProcedureDraft(code=code, files=template_files(catalogue), base_version_id=None,
                           updated_by=user.username if user else None, updated_at=now)
    session.add(draft)
    session.flush()
    events.record(session, "studio.procedure_created", now, user=user, message=code, code=code,
                  name=catalogue["name"])
    return draft
