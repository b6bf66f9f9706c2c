"""procedure.yaml as a form: the studio edits a draft's catalogue entry field by field, never as raw YAML.

`form_values` reads the entry for the form; `apply_form` checks the answers (the wizard's rules,
engine.catalogue.new_procedure.check_answers, and the keys the wizard does not ask) and writes the entry
back with its other keys (fees, documents, …) kept in their order and Vietnamese letters as they are, not
escaped. A procedure.yaml that does not parse is not touched here: the studio shows its error and its text
to fix, and the diagram and forms of the draft are saved and checked as before.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import yaml

from bpmn.folder import CATALOGUE_FILE, parse_catalogue
from engine.catalogue.new_procedure import AUTHORITIES, CHANNELS, LIMIT_UNITS, NewProcedure, check_answers
from engine.ground.errors import Invalid

ONLINE = {"full": "Toàn trình", "partial": "Một phần", "none": "Không"}
SUPPLEMENT_CLOCKS = {"pause": "Tạm dừng thời hạn khi chờ bổ sung",
                     "restart": "Tính lại thời hạn từ đầu khi nhận đủ bổ sung"}
CUTOFF = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
CHOICES = {"authorities": AUTHORITIES, "limit_units": LIMIT_UNITS, "channels": CHANNELS, "online": ONLINE,
           "supplement_clocks": SUPPLEMENT_CLOCKS}


def form_values(text: str) -> dict[str, Any]:
    """The entry's values as the form shows them (FolderError when procedure.yaml does not parse)."""
    entry = parse_catalogue(text, CATALOGUE_FILE)
    limit = entry.get("time_limit") or {}
    return {"code": entry["code"], "name": entry.get("name", ""), "field": entry.get("field") or "",
            "authority": entry.get("authority") or "commune", "limit_value": str(limit.get("value", "")),
            "limit_unit": limit.get("unit", "working_days"), "channels": list(entry.get("channels") or []),
            "online": entry.get("online") or "none", "one_stop": bool(entry.get("one_stop")),
            "same_day_cutoff": entry.get("same_day_cutoff") or "",
            "supplement_clock": entry.get("supplement_clock") or "pause",
            "results": "\n".join(str(r) for r in entry.get("results") or [])}


def apply_form(text: str, answers: Mapping[str, Any]) -> str:
    """procedure.yaml with the form's answers; Invalid naming every bad answer. The code never changes."""
    entry = yaml.safe_load(text)
    parse_catalogue(text, CATALOGUE_FILE)  # the form edits a valid entry only
    channels = list(answers.get("channels") or [])
    errors: dict[str, str] = {}
    try:
        core = check_answers(NewProcedure(str(entry["code"]), str(answers.get("name", "")),
                                          str(answers.get("field", "")), str(answers.get("authority", "")),
                                          str(answers.get("limit_value", "")), str(answers.get("limit_unit", "")),
                                          channels))
    except Invalid as err:
        errors.update(err.fields)
        core = {}
    online, cutoff = answers.get("online") or "none", str(answers.get("same_day_cutoff") or "").strip()
    clock = answers.get("supplement_clock") or "pause"
    if online not in ONLINE:
        errors["online"] = "Chọn mức dịch vụ công trực tuyến: toàn trình, một phần hoặc không."
    elif online != "none" and "online" not in channels:
        errors["online"] = "Dịch vụ công trực tuyến cần cách nộp «Trực tuyến»."
    if cutoff and not CUTOFF.match(cutoff):
        errors["same_day_cutoff"] = "Giờ chốt nhận trong ngày có dạng HH:MM, ví dụ 15:00."
    if clock not in SUPPLEMENT_CLOCKS:
        errors["supplement_clock"] = "Chọn cách tính thời hạn khi chờ bổ sung."
    if errors:
        raise Invalid("Thông tin thủ tục chưa hợp lệ", errors)
    results = [line.strip() for line in str(answers.get("results") or "").splitlines() if line.strip()]
    changed = {key: core[key] for key in ("name", "field", "authority", "time_limit", "channels")}
    changed |= {"online": online, "one_stop": bool(answers.get("one_stop")), "supplement_clock": clock,
                "results": results}
    entry.update(changed)
    if cutoff:
        entry["same_day_cutoff"] = cutoff
    else:
        entry.pop("same_day_cutoff", None)
    return yaml.safe_dump(entry, allow_unicode=True, sort_keys=False, width=120)
