"""What a unit prints at the top and bottom of its forms: agency name, address, signatory.

Kept in `unit.settings["documents"]`; an admin of the unit (or of a unit above it) edits them
without touching code. Anything left empty falls back to a default derived from the unit's
name and its parent.
"""
from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy.orm import Session

from engine.ground import events
from engine.ground.errors import Forbidden, Invalid
from engine.models import Unit, User
from engine.org.tree import may_administer
from forms.printing import Agency

# key -> label on the admin page; every key is a field of forms.printing.Agency
FIELDS = {
    "agency_name": "Tên cơ quan (dòng in đậm ở đầu văn bản)",
    "parent_agency": "Tên cơ quan chủ quản (dòng trên)",
    "desk_name": "Tên bộ phận tiếp nhận và trả kết quả",
    "address": "Địa chỉ",
    "phone": "Số điện thoại liên hệ",
    "place": "Địa danh (ghi trước ngày tháng)",
    "signatory_title": "Chức danh người ký (mỗi dòng một dòng in)",
    "signatory_name": "Họ và tên người ký",
}
MAX_LENGTH = 300
_PLACE_PREFIX = re.compile(r"^(UBND|Ủy ban nhân dân|Uỷ ban nhân dân)\s+", re.IGNORECASE)
_LEVEL_PREFIX = re.compile(r"^(Phường|Xã|Thị trấn|Đặc khu|Thành phố|Tỉnh|Quận|Huyện|Thị xã)\s+",
                           re.IGNORECASE)


def _expanded(name: str) -> str:
    """`UBND Phường Hoàn Kiếm` -> `Ủy ban nhân dân phường Hoàn Kiếm`.

    Decree 30/2020, Appendix II: in running text the kind of administrative unit (tỉnh, thành phố,
    phường, xã …) is written in lower case before the proper name; headings print it in capitals.
    """
    if not _is_people_committee(name):
        return name.strip()
    rest = _PLACE_PREFIX.sub("", name.strip(), count=1)
    level = _LEVEL_PREFIX.match(rest)
    if level:
        rest = level.group(1).lower() + rest[len(level.group(1)):]
    return "Ủy ban nhân dân " + rest


def _is_people_committee(name: str) -> bool:
    return bool(_PLACE_PREFIX.match(name.strip()))


def _place(unit: Unit) -> str:
    """The place name a unit writes before the date: its own for a People's Committee, else its parent's."""
    if _is_people_committee(unit.name) or unit.parent is None:
        return _LEVEL_PREFIX.sub("", _PLACE_PREFIX.sub("", unit.name.strip()))
    return _place(unit.parent)


def default_settings(unit: Unit) -> dict[str, str]:
    """What a unit prints until an admin says otherwise."""
    committee = _is_people_committee(unit.name)
    return {
        "agency_name": _expanded(unit.name),
        "parent_agency": unit.parent.name if unit.parent is not None else "",
        "desk_name": "Bộ phận Một cửa",
        "address": "",
        "phone": "",
        "place": _place(unit),
        "signatory_title": "TM. Ủy ban nhân dân\nChủ tịch" if committee else "Thủ trưởng cơ quan",
        "signatory_name": "",
    }


def document_settings(unit: Unit) -> dict[str, str]:
    """The unit's settings for printed forms: its own values over the defaults."""
    own = (unit.settings or {}).get("documents") or {}
    defaults = default_settings(unit)
    return {key: str(own.get(key) or "").strip() or default for key, default in defaults.items()}


def agency_of(unit: Unit) -> Agency:
    """The issuing agency of the forms of a unit's dossiers."""
    s = document_settings(unit)
    return Agency(name=s["agency_name"], parent=s["parent_agency"], desk=s["desk_name"], address=s["address"],
                  phone=s["phone"], place=s["place"], signatory_title=s["signatory_title"],
                  signatory_name=s["signatory_name"])


def _cleaned(values: dict) -> dict[str, str]:
    unknown = sorted(set(values) - set(FIELDS))
    if unknown:
        raise Invalid("Có trường không được hỗ trợ", {key: "Không có trường này." for key in unknown})
    cleaned, errors = {}, {}
    for key in FIELDS:
        value = values.get(key)
        text = "" if value is None else str(value).replace("\r\n", "\n").strip()
        if len(text) > MAX_LENGTH:
            errors[key] = f"Tối đa {MAX_LENGTH} ký tự."
        cleaned[key] = text
    if errors:
        raise Invalid("Thông tin in trên biểu mẫu chưa hợp lệ", errors)
    return cleaned


def set_document_settings(session: Session, unit: Unit, values: dict, user: User | None,
                          now: datetime) -> dict:
    """An admin of the unit (or above) sets what its forms print; empty values go back to the default.

    Records a `unit.documents_updated` event with the values before and after; returns the
    settings now in force. Forbidden for anyone else, Invalid for unknown keys or too-long text.
    """
    if not may_administer(user, unit):
        raise Forbidden(f"Chỉ quản trị của {unit.name} hoặc đơn vị cấp trên mới được sửa thông tin này")
    cleaned = _cleaned(values)
    before = dict((unit.settings or {}).get("documents") or {})
    after = {key: value for key, value in cleaned.items() if value}
    unit.settings = {**(unit.settings or {}), "documents": after}
    events.record(session, "unit.documents_updated", now, user=user, unit_id=unit.id,
                  unit=unit.code, before=before, after=after)
    return document_settings(unit)
