"""Biểu mẫu của hồ sơ: the standard forms 01 to 06 of a dossier, filled from it and its events.

This module reads the database and hands plain data to `forms.printing`, which lays the forms
out; the web application only serves the result. Which forms a dossier has follows from what
happened to it: a receipt once received, a supplementation request per request, a refusal, an
extension, a stop notice, and the control slip from the hand-offs.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalogue.admin import describe_time_limit
from engine.catalogue.groups import members_of
from engine.clock.lateness import control_slip
from engine.dossier.documents import documents_of
from engine.dossier.handover import DESK, TO_DIVISION
from engine.ground.errors import NotFound
from engine.ground.vocabulary import LATENESS_LABELS
from engine.models import Dossier, Event, Procedure, Unit, User
from engine.org.tree import ancestors
from engine.printing import handover
from engine.printing.tracking_book import book_entry, issued_due_times
from engine.printing.unit_documents import agency_of
from forms.printing import TITLES, Applicant, DocumentRow, DossierFacts, HandOff, contexts
from forms.printing.text import clock_text

LOOKUP_PATH = "/tra-cuu/{code}"  # the public lookup page (webapp/portal.py)
FORM_EVENTS = {"02": "dossier.supplement_requested", "03": "dossier.refused", "04": "dossier.extended",
               "05": "dossier.stopped"}
STAGES = {"intake": "khi tiếp nhận", "handling": "trong quá trình giải quyết"}
# what the step that asked wrote as its reason (the desk's own "Ghi chú" at intake is not for the applicant)
REASON_KEYS = ("supplement_reason", "appraisal_opinion")


def lookup_url(code: str, base_url: str) -> str:
    """Where the applicant looks the dossier up (the QR code of form 01 carries it)."""
    return base_url.rstrip("/") + LOOKUP_PATH.format(code=quote(code, safe=""))


@dataclass(frozen=True)
class FormLink:
    """A form that a dossier has: its number, its title and, for a repeatable one, its event."""

    form: str
    title: str
    event_id: int | None = None
    note: str = ""


def _events(session: Session, dossier: Dossier, *kinds: str) -> list[Event]:
    return list(session.scalars(select(Event).where(Event.dossier_id == dossier.id, Event.kind.in_(kinds))
                                .order_by(Event.at, Event.id)))


def available_forms(session: Session, dossier: Dossier) -> list[FormLink]:
    """The forms this dossier has so far, in their legal order."""
    found = _events(session, dossier, *FORM_EVENTS.values())
    links = [FormLink("01", TITLES["01"])] if dossier.received_at else []
    requests = [e for e in found if e.kind == FORM_EVENTS["02"]]
    for event in requests:
        note = STAGES.get((event.payload or {}).get("stage"), "") if len(requests) > 1 else ""
        links.append(FormLink("02", TITLES["02"], event.id, note))
    for form in ("03", "04", "05"):
        links += [FormLink(form, TITLES[form], e.id) for e in found if e.kind == FORM_EVENTS[form]][-1:]
    if dossier.received_at:
        links.append(FormLink("06", TITLES["06"]))
    return sorted(links, key=lambda link: link.form)


def facts(dossier: Dossier) -> DossierFacts:
    """What every form says about the dossier: code, procedure, applicant, times."""
    procedure = dossier.version.procedure
    details = dossier.applicant or {}
    applicant = Applicant(**{key: str(details.get(key) or "") for key in (
        "name", "id_number", "address", "phone", "email", "authorised_person")})
    return DossierFacts(code=dossier.code, procedure_code=procedure.code, procedure_name=procedure.name,
                        applicant=applicant, received_at=dossier.received_at, due_at=dossier.due_at,
                        time_limit=_time_limit(procedure.catalogue or {}), postmarked_at=dossier.postmarked_at)


def _time_limit(catalogue: dict) -> str:
    text = describe_time_limit(catalogue.get("time_limit"))
    cutoff = catalogue.get("same_day_cutoff")
    if cutoff and not (catalogue.get("time_limit") or {}).get("value"):
        text += f" (hồ sơ nhận sau {cutoff} trả kết quả trong ngày làm việc tiếp theo)"
    return text


def _name(session: Session, user_id: int | None) -> str:
    user = session.get(User, user_id) if user_id else None
    return user.full_name if user else ""


def _event(session: Session, dossier: Dossier, form: str, event_id: int | None) -> Event:
    found = _events(session, dossier, FORM_EVENTS[form])
    if event_id is not None:
        found = [e for e in found if e.id == event_id]
    if not found:
        raise NotFound(f"Hồ sơ {dossier.code} không có {TITLES[form].lower()}")
    return found[-1]


def dossier_form(session: Session, dossier: Dossier, form: str, *, base_url: str, now: datetime,
                 event_id: int | None = None) -> dict:
    """The context of form `form` (01 to 06) of the dossier, ready for forms.printing.render_html.

    NotFound when the dossier has no such form (no refusal to print, for instance).
    """
    if form == "01":
        return _receipt(session, dossier, base_url)
    if form == "06":
        return _control_slip(session, dossier, now)
    from_event = {"02": _supplement, "03": _refusal, "04": _apology, "05": _stop}
    if form not in from_event:
        raise NotFound(f"Không có mẫu số {form} cho một hồ sơ")
    return from_event[form](session, dossier, _event(session, dossier, form, event_id))


def _receipt(session: Session, dossier: Dossier, base_url: str) -> dict:
    if dossier.received_at is None:
        raise NotFound(f"Hồ sơ {dossier.code} chưa được tiếp nhận nên chưa có giấy tiếp nhận")
    agency = agency_of(dossier.unit)
    received = _events(session, dossier, "dossier.received")
    volume, serial = book_entry(session, dossier)
    officer = _name(session, received[-1].user_id if received else None)
    issued = replace(facts(dossier), due_at=issued_due_times(session, [dossier])[dossier.id])  # as promised
    return contexts.receipt(agency, issued, officer=officer, documents=_documents(session, dossier),
                            collect_at=_collect_at(dossier, agency), book_volume=volume, book_serial=serial,
                            lookup_url=lookup_url(dossier.code, base_url), group=_group(session, dossier))


def _group(session: Session, dossier: Dossier) -> dict | None:
    """A liên thông member's group on its receipt: the group's code and due time, every member procedure."""
    group = dossier.group
    if group is None:
        return None
    procedures = {p.code: p for p in session.scalars(select(Procedure).where(
        Procedure.code.in_([str(m["procedure"]) for m in members_of(_group_catalogue(session, group))])))}
    opened = {m.group_member: m for m in group.members}
    members = []
    for position, member in enumerate(members_of(_group_catalogue(session, group))):
        found, code = opened.get(position), str(member["procedure"])
        members.append({"name": procedures[code].name if code in procedures else code,
                        "unit": found.unit.name if found else UNIT_KINDS.get(member.get("unit_kind"), ""),
                        "code": found.code if found else None})
    return {"code": group.code, "due_at": clock_text(group.due_at), "members": members}


UNIT_KINDS = {"police": "Công an cấp xã", "social_insurance": "Bảo hiểm xã hội", "commune": "UBND cấp xã"}


def _group_catalogue(session: Session, group) -> dict:
    return session.scalar(select(Procedure.catalogue).where(Procedure.code == group.procedure_code)) or {}


def _documents(session: Session, dossier: Dossier) -> list[DocumentRow]:
    rows = [DocumentRow(r.get("name", ""), int(r.get("original") or 0), int(r.get("received_copies") or 0))
            for r in dossier.checklist or [] if r.get("received")]
    return rows or [DocumentRow(f"{d.title} (bản điện tử)", 0, 0) for d in documents_of(session, dossier)]


def _collect_at(dossier: Dossier, agency) -> str:
    delivery = (dossier.data or {}).get("result_delivery")
    if delivery == "post":
        return f"Qua dịch vụ bưu chính công ích, đến địa chỉ: {(dossier.applicant or {}).get('address', '')}"
    if delivery == "electronic":
        return "Nhận kết quả điện tử trên Cổng dịch vụ công"
    return ", ".join(part for part in (f"{agency.desk} {agency.name}", agency.address) if part)


def _contact(agency, officer: str, at_desk: bool = True) -> str:
    """Whom the applicant asks: the officer, of the one-stop desk when the desk asked (else of the agency)."""
    parts = [officer, f"{agency.desk} {agency.name}" if at_desk else agency.name]
    parts += [f"địa chỉ {agency.address}"] if agency.address else []
    parts += [f"số điện thoại {agency.phone}"] if agency.phone else []
    return ", ".join(part for part in parts if part)


def _supplement(session: Session, dossier: Dossier, event: Event) -> dict:
    agency, officer = agency_of(dossier.unit), _name(session, event.user_id)
    step = session.scalar(select(Event).where(Event.dossier_id == dossier.id, Event.kind == "task.completed",
                                              Event.id < event.id).order_by(Event.id.desc()).limit(1))
    data = ((step.payload or {}).get("data") or {}) if step else {}
    reason = next((str(data[k]) for k in REASON_KEYS if data.get(k)), "")
    sequence = [e.id for e in _events(session, dossier, FORM_EVENTS["02"])].index(event.id) + 1
    at_desk = (event.payload or {}).get("stage") != "handling"  # asked at intake by the desk, or by a specialist
    return contexts.supplement_request(agency, facts(dossier), items=(event.payload or {}).get("items"),
                                       reason=reason, officer=officer, contact=_contact(agency, officer, at_desk),
                                       issued_at=event.at, sequence=sequence, online=dossier.channel == "online")


def _refusal(session: Session, dossier: Dossier, event: Event) -> dict:
    reason = (event.payload or {}).get("reason") or ""
    return contexts.refusal(agency_of(dossier.unit), facts(dossier), reason=reason,
                            officer=_name(session, event.user_id), issued_at=event.at)


def _apology(session: Session, dossier: Dossier, event: Event) -> dict:
    """Form 04 from what the extension recorded (engine.dossier.extension.form_04's fields)."""
    payload = event.payload or {}
    original = _moment(payload.get("original_due_at")) or dossier.original_due_at
    new_due = _moment(payload.get("new_due_at")) or dossier.due_at
    signer = payload.get("signed_by") or _name(session, event.user_id)
    return contexts.apology(agency_of(dossier.unit), facts(dossier), reason=payload.get("reason") or "",
                            apology_text=payload.get("apology") or "", original_due_at=original,
                            new_due_at=new_due, signer=signer, issued_at=event.at)


def _stop(session: Session, dossier: Dossier, event: Event) -> dict:
    """Form 05 from the stop event (and the applicant's withdrawal request before it, if recorded)."""
    payload = event.payload or {}
    asked = [e for e in _events(session, dossier, "dossier.withdrawal_asked") if e.id < event.id]
    ask = (asked[-1].payload or {}) if asked else {}
    requested = _moment(payload.get("requested_at")) or (asked[-1].at if asked else None)
    agency = agency_of(dossier.unit)
    return contexts.stop_notice(agency, facts(dossier), requested_at=requested,
                                reason=payload.get("reason") or ask.get("reason") or "", stopped_at=event.at,
                                signer=_name(session, event.user_id),
                                returned=payload.get("returned") or f"{agency.desk} {agency.name}")


def _moment(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


def _control_slip(session: Session, dossier: Dossier, now: datetime) -> dict:
    """Form 06: the hand-off rows of engine.clock.lateness.control_slip, with lead and coordinating units."""
    rows = control_slip(session, dossier)
    units = session.scalars(select(Unit).where(Unit.code.in_({row.unit for row in rows}))).all()
    coordinating = sorted({u.name for u in units if dossier.unit not in ancestors(u)})
    hand_offs = [HandOff(step=r.step, unit=r.unit_name, received_at=r.received_at,
                         handed_over_at=r.handed_over_at, handed_by=r.handed_by or "",
                         received_by=r.received_by or "", due_at=r.due_at,
                         result=LATENESS_LABELS.get(r.result or "", ""), note=r.note) for r in rows]
    hand_offs = _with_handovers(list(zip(hand_offs, [r.role for r in rows], strict=True)), handover.slip_rows(session, dossier))
    return contexts.control_slip(agency_of(dossier.unit), facts(dossier), lead_unit=dossier.unit.name,
                                 coordinating=coordinating, rows=hand_offs, issued_at=now)


def _with_handovers(steps: list[tuple[HandOff, str]], handovers: list[tuple[HandOff, str]]) -> list[HandOff]:
    """The paper's hand-overs (engine.dossier.handover) among the steps: each after the last step of the
    handing side (the desk's for papers going out, a division's for papers coming back) ended before it."""
    rows = list(steps)
    for row, direction in handovers:
        handing = (lambda role: role == DESK) if direction == TO_DIVISION else (lambda role: role not in ("", DESK))
        ended = [i for i, (step, role) in enumerate(rows) if handing(role) and step.handed_over_at
                 and step.handed_over_at <= row.handed_over_at]
        rows.insert(ended[-1] + 1 if ended else len(rows), (row, ""))
    return [row for row, _role in rows]
