"""A small quarter of dossiers, built by hand, whose supervision numbers are worked out in the tests.

Quarter 1/2026; the present is Friday 13 March 2026 09:00. Office hours are the default
07:30–11:30 and 13:00–17:00 (8 working hours a day); there is no holiday from 2 to 13 March.
Ward A is Hoàn Kiếm (H26.70), ward B is Cửa Nam (H26.73); both sit under the city H26.

| dossier | ward | procedure | channel | story |
|---|---|---|---|---|
| D1 | A | birth (1.001193) | in person | received Mon 2/3 08:00, released 10:00 early, returned at the desk; rated satisfied; scanned |
| D2 | A | birth | online | received Tue 3/3 08:00, released 16:00 on time, returned electronically; scanned |
| D3 | A | building (1.013225) | post | received Mon 2/3 08:00; supplement Wed 4/3 08:00 → Thu 5/3 08:00; extended; the appraisal and approval overran; released Wed 11/3 08:00 late; returned by post; rated not satisfied |
| D4 | B | birth | in person | received Wed 11/3, due Thu 12/3 17:00, still at the leader's approval: overdue |
| D5 | B | birth | in person | received Fri 13/3 08:00, due 17:00 today, appraisal held by desk2: due soon |
| D6 | A | birth | in person | received, released and returned in December 2025: outside the quarter |
| D7 | A | birth | in person | received Mon 9/3, waiting for a supplement (clock paused), due date passed: not overdue |
| D8 | A | household business (1.001612) | in person | received Mon 2/3 08:00, intake and return only (wholly at the desk), released 09:00 early |
"""
from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select

from engine.calendar.working import TZ
from engine.models import Document, Dossier, Event, HumanTask, Procedure, Unit, User

NOW = datetime(2026, 3, 13, 9, 0, tzinfo=TZ)
KS, BP, HKD = "1.001193", "1.013225", "1.001612"


def at(day: int, hour: int, minute: int = 0, month: int = 3, year: int = 2026) -> datetime:
    """A moment in March 2026 (or another month), Vietnam's time."""
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


class Builder:
    """Adds dossiers, their steps and events straight into the tables."""

    def __init__(self, session) -> None:
        self.s = session
        self.units = {u.code: u for u in session.scalars(select(Unit))}
        self.versions = {p.code: p.current_version_id for p in session.scalars(select(Procedure))}
        self.users = {u.username: u for u in session.scalars(select(User))}
        self.count = 0

    def dossier(self, ward: str, procedure: str, channel: str, status: str, received: datetime, due: datetime,
                **extra) -> Dossier:
        self.count += 1
        code = f"{ward}-{received:%y%m%d}-{self.count:04d}"
        d = Dossier(code=code, procedure_version_id=self.versions[procedure], unit_id=self.units[ward].id,
                    channel=channel, status=status, applicant={"name": f"Nguyễn Văn Bí Mật {self.count}",
                                                               "id_number": f"0010880{self.count:05d}"},
                    applicant_name=f"Nguyễn Văn Bí Mật {self.count}", applicant_id_number=f"0010880{self.count:05d}",
                    data={}, checklist=[], submitted_at=received, received_at=received, due_at=due, **extra)
        self.s.add(d)
        self.s.flush()
        return d

    def step(self, d: Dossier, kind: str, role: str, start: datetime, end: datetime | None, lateness: str | None,
             unit: str | None = None, name: str | None = None, overrun: int | None = None,
             assignee: str | None = None) -> None:
        names = {"intake": "Tiếp nhận hồ sơ", "appraisal": "Thẩm định hồ sơ", "approval": "Phê duyệt kết quả",
                 "return": "Trả kết quả", "supplement": "Nhận hồ sơ bổ sung", "consult": "Lấy ý kiến Sở Xây dựng"}
        self.s.add(HumanTask(
            dossier_id=d.id, task_uuid=str(uuid.uuid4()), element_id=f"Task_{kind}", name=name or names[kind],
            role=role, kind=kind, unit_id=self.units[unit].id if unit else d.unit_id,
            state="completed" if end else "ready", created_at=start, due_at=None, completed_at=end,
            lateness=lateness, overrun_minutes=overrun,
            assignee_id=self.users[assignee].id if assignee else None))

    def event(self, d: Dossier, kind: str, moment: datetime, **payload) -> None:
        self.s.add(Event(kind=kind, at=moment, dossier_id=d.id, unit_id=d.unit_id, payload=payload))

    def scan(self, d: Dossier, kind: str = "scan", reused_from: int | None = None) -> Document:
        document = Document(dossier_id=d.id, kind=kind, title="Tờ khai", filename="to-khai.pdf",
                            content_type="application/pdf", size=1, sha256="0" * 64, uploaded_at=d.received_at,
                            at_intake=kind == "scan", reused_from_id=reused_from)
        self.s.add(document)
        self.s.flush()
        return document

    def desk_steps(self, d: Dossier, start: datetime, end: datetime, lateness: str) -> None:
        """Intake, appraisal, approval and return, all in the dossier's ward, all of one class."""
        self.step(d, "intake", "mot_cua", start, start, lateness)
        self.step(d, "appraisal", "chuyen_vien", start, end, lateness)
        self.step(d, "approval", "lanh_dao", end, end, lateness)
        self.step(d, "return", "mot_cua", end, end, lateness)


def rate(session, d: Dossier, satisfied: bool) -> None:
    """The applicant's rating through the applicants' portal tables."""
    from engine.models.applicant import ApplicantAccount, DossierRating

    account = ApplicantAccount(email=f"{d.code}@example.vn", full_name=d.applicant_name, created_at=NOW)
    session.add(account)
    session.flush()
    session.add(DossierRating(dossier_id=d.id, account_id=account.id, satisfied=satisfied, created_at=NOW))


def build_quarter(session) -> dict[str, Dossier]:
    """The eight dossiers of the module docstring, committed; returns them by name."""
    b, A, B = Builder(session), "H26.70", "H26.73"
    d1 = b.dossier(A, KS, "in_person", "returned", at(2, 8), at(2, 17), completed_at=at(2, 10),
                   returned_at=at(2, 10, 30), lateness="early", result="approved")
    b.desk_steps(d1, at(2, 8), at(2, 10), "early")
    b.event(d1, "dossier.returned", at(2, 10, 30), method="desk")
    d2 = b.dossier(A, KS, "online", "returned", at(3, 8), at(3, 17), completed_at=at(3, 16),
                   returned_at=at(3, 16, 30), lateness="on_time", result="approved")
    b.desk_steps(d2, at(3, 8), at(3, 16), "on_time")
    b.event(d2, "dossier.returned", at(3, 16, 30), method="electronic")
    b.scan(d2, kind="result")  # the signed certificate the applicant downloads
    d3 = b.dossier(A, BP, "post", "returned", at(2, 8), at(9, 8), completed_at=at(11, 8), returned_at=at(11, 9),
                   lateness="late", result="approved", original_due_at=at(6, 8), extended_at=at(5, 9))
    b.step(d3, "intake", "mot_cua", at(2, 8), at(2, 8), "early")
    b.step(d3, "appraisal", "chuyen_vien", at(2, 8), at(4, 8), "late", overrun=480)
    b.step(d3, "supplement", "mot_cua", at(4, 8), at(5, 8), None)
    b.step(d3, "consult", "chuyen_vien", at(5, 8), at(6, 8), "on_time", unit="H26.39")
    b.step(d3, "approval", "lanh_dao", at(6, 8), at(11, 8), "late", overrun=960)
    b.step(d3, "return", "mot_cua", at(11, 8), at(11, 9), "on_time")
    b.event(d3, "dossier.supplement_requested", at(4, 8), stage="handling", items="Bản vẽ mặt bằng\nGiấy tờ đất")
    b.event(d3, "dossier.extended", at(5, 9), reason="Chờ ý kiến Sở Xây dựng", procedure="Cấp giấy phép xây dựng",
            original_due_at=at(6, 8).isoformat(), new_due_at=at(9, 8).isoformat(), signed_by="Lê Hoàng Nam")
    b.event(d3, "dossier.returned", at(11, 9), method="post")
    d4 = b.dossier(B, KS, "in_person", "in_progress", at(11, 8), at(12, 17))
    b.step(d4, "intake", "mot_cua", at(11, 8), at(11, 8), "early")
    b.step(d4, "approval", "lanh_dao", at(11, 9), None, None)
    d5 = b.dossier(B, KS, "in_person", "received", at(13, 8), at(13, 17))
    b.step(d5, "appraisal", "chuyen_vien", at(13, 8), None, None, assignee="desk2")
    d6 = b.dossier(A, KS, "in_person", "returned", at(1, 8, month=12, year=2025), at(1, 17, month=12, year=2025),
                   completed_at=at(1, 9, month=12, year=2025), returned_at=at(1, 10, month=12, year=2025),
                   lateness="early")
    b.desk_steps(d6, d6.received_at, d6.completed_at, "early")
    d7 = b.dossier(A, KS, "in_person", "supplement_requested", at(9, 8), at(10, 17), paused_at=at(9, 10))
    b.event(d7, "dossier.supplement_requested", at(9, 10), stage="handling", items=["Bản sao giấy tờ"])
    d8 = b.dossier(A, HKD, "in_person", "returned", at(2, 8), at(5, 8), completed_at=at(2, 9), returned_at=at(2, 9),
                   lateness="early", result="approved")
    b.step(d8, "intake", "mot_cua", at(2, 8), at(2, 8, 30), "early")
    b.step(d8, "return", "mot_cua", at(2, 8, 30), at(2, 9), "early")
    b.event(d8, "dossier.returned", at(2, 9), method="desk")
    first = b.scan(d1)
    b.scan(d2, reused_from=first.id)  # D2 took D1's scan from the citizen's store
    rate(session, d1, True)
    rate(session, d3, False)
    session.commit()
    return {"D1": d1, "D2": d2, "D3": d3, "D4": d4, "D5": d5, "D6": d6, "D7": d7, "D8": d8}
