"""A populated demo world for the access matrix: dossiers, steps, scans and accounts in two wards.

Objects come in pairs: `A` lives in ward H26.70 (desk1, specialist1, leader1's ward), `B` in ward
H26.73 (desk2's ward). Each actor is logged in once, as a browser session and, for officials, with
an API bearer token.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from tests.applicant_helpers import Applicant
from tests.conftest import Browser
from tests.web.test_desk_pages import receive

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
OFFICIALS = ("desk1", "specialist1", "leader1", "desk2", "consult1", "analyst1", "admin1", "supervisor1",
             "wardadmin")
ACTORS = ("anonymous", "applicant", *OFFICIALS)
WARD_A, WARD_B = "H26.70", "H26.73"
WARD_PROCEDURES = {"A": "1.001612", "B": "1.013225"}  # each offered by that side's ward alone


@dataclass
class World:
    app: object
    web: dict = field(default_factory=dict)      # actor → test client (logged in)
    tokens: dict = field(default_factory=dict)   # official → bearer token
    csrf: dict = field(default_factory=dict)     # actor → CSRF token of its session
    ids: dict = field(default_factory=dict)      # "A"/"B" → placeholders for URL templates

    def relogin(self, actor: str) -> None:
        """Log the actor in again: a logout ends every session and token of the account (issue 23)."""
        if actor == "anonymous":
            return
        if actor == "applicant":
            applicant = Applicant(self.app, register=False)
            applicant.post("/cong-dan/dang-nhap", {"email": "an@example.vn", "password": "matkhau123"})
            self.web[actor], self.csrf[actor] = applicant.client, applicant.token
            return
        browser = Browser(self.app, actor)
        self.web[actor], self.csrf[actor] = browser.client, browser.token
        res = browser.client.post("/api/v1/auth/token", json={"username": actor, "password": "demo1234"})
        self.tokens[actor] = res.json["token"]

    def fresh_grant(self, side: str) -> dict:
        """Give the side's throwaway official their role back (a revoke uses it up)."""
        from engine.models import Unit, User
        from engine.org.accounts import grant_role

        with self.app.extensions["motcua"]["sessions"]() as session:
            user = session.get(User, self.ids[side]["user_id"])
            unit = session.scalar(select(Unit).where(Unit.code == self.ids[side]["unit_code"]))
            grant_id = grant_role(session, user, unit, "chuyen_vien").id
            session.commit()
        return {"grant_id": grant_id}

    def feedback(self, side: str) -> dict:
        """An unanswered feedback of the applicant to the side's unit (an answer uses it up)."""
        from engine.models import ApplicantAccount, Feedback, Unit

        with self.app.extensions["motcua"]["sessions"]() as session:
            unit = session.scalar(select(Unit).where(Unit.code == self.ids[side]["unit_code"]))
            account = session.scalar(select(ApplicantAccount).where(ApplicantAccount.email == "an@example.vn"))
            item = Feedback(account_id=account.id, unit_id=unit.id, kind="phan_anh", content="Thử",
                            created_at=self.app.config["NOW"]())
            session.add(item)
            session.commit()
            return {"feedback": item.id}

    def calendar_day(self, side: str) -> dict:
        """A day off of the side's unit on 2026-12-31 (a removal uses it up)."""
        from engine.clock.calendar_days import add_day, find_day
        from engine.models import Unit

        with self.app.extensions["motcua"]["sessions"]() as session:
            unit = session.scalar(select(Unit).where(Unit.code == self.ids[side]["unit_code"]))
            if find_day(session, date(2026, 12, 31), unit) is None:
                add_day(session, "2026-12-31", "off", None, self.app.config["NOW"](), "Nghỉ thử", unit)
            session.commit()
        return {}


def _csrf(client, page: str = "/login") -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(page).get_data(as_text=True)).group(1)


def _receive(desk: Browser) -> str:
    res = receive(desk, files=[(io.BytesIO(PDF), "giay-chung-sinh.pdf")])
    assert res.status_code == 302, res.get_data(as_text=True)
    return re.search(r"H26\.\d+-\d{6}-\d{4}", res.headers["Location"]).group(0)


def _extra_accounts(app) -> None:
    """An admin of ward A only, one throwaway official in each ward for the user pages, and one procedure
    offered by each ward alone (whose draft that ward's admin may edit)."""
    from engine.models import Procedure, ProcedureUnit, Unit
    from engine.org.accounts import create_user, grant_role

    with app.extensions["motcua"]["sessions"]() as session:
        now = app.config["NOW"]()
        unit = {c: session.scalar(select(Unit).where(Unit.code == c)) for c in (WARD_A, WARD_B)}
        for side, ward in (("A", WARD_A), ("B", WARD_B)):
            procedure = session.scalar(select(Procedure).where(Procedure.code == WARD_PROCEDURES[side]))
            session.add(ProcedureUnit(procedure_id=procedure.id, unit_id=unit[ward].id, since=now))
            procedure.units_listed = True  # the ward's list decides who offers it
        grant_role(session, create_user(session, "wardadmin", "Quản trị phường", "demo1234", now), unit[WARD_A],
                   "admin")
        for ward, name in ((WARD_A, "staffa"), (WARD_B, "staffb")):
            grant_role(session, create_user(session, name, f"Cán bộ {name}", "demo1234", now), unit[ward],
                       "chuyen_vien")
        session.commit()


def _receive_online(session, code: str, now) -> None:
    """The desk receives the applicant's online dossier, so that its receipt (form 01) exists."""
    from engine.dossier import lifecycle
    from engine.models import Dossier, HumanTask, User

    dossier = session.scalar(select(Dossier).where(Dossier.code == code))
    task = session.scalar(select(HumanTask).where(HumanTask.dossier_id == dossier.id, HumanTask.state == "ready"))
    desk = session.scalar(select(User).where(User.username == "desk1"))
    lifecycle.complete_task(session, task.id, desk, {"intake_decision": "receive"}, now)
    session.commit()


def _handover_batch(session, dossier, desk_name: str, now) -> int:
    """The desk hands the received paper dossier to its specialist division (a handover batch to read)."""
    from engine.dossier import handover
    from engine.models import User

    desk = session.scalar(select(User).where(User.username == desk_name))
    batch = handover.create_batch(session, desk, handover.TO_DIVISION, [dossier.code], now)
    session.commit()
    return batch.id


def _group(session, desk_name: str, now) -> str:
    """A liên thông group (LT.01) received at the desk: its code."""
    from engine.dossier.lifecycle import create_group
    from engine.models import User
    from tests.security.routes import APPLICANT_DATA

    desk = session.scalar(select(User).where(User.username == desk_name))
    code = create_group(session, desk, "LT.01", "in_person", APPLICANT_DATA, {}, now).code
    session.commit()
    return code
def _incident(session, dossier, now) -> int:
    """A timer of the dossier that failed (an incident for the admins of its ward to retry)."""
    from engine.models import Incident

    incident = Incident(dossier_id=dossier.id, source="timer", element_id="Timer_Probe", kind="expression",
                        message="điều kiện không tính được", original="Error evaluating expression", data={},
                        failures=1, first_at=now, last_at=now)
    session.add(incident)
    session.commit()
    return incident.id


def build_world(app) -> World:
    """Log everyone in and create the paired objects; returns the URL placeholders of A and B."""
    from engine.models import Document, Dossier, HumanTask, OutboxMessage, RoleGrant, Unit, User

    _extra_accounts(app)
    world = World(app)
    world.web["anonymous"] = app.test_client()
    world.csrf["anonymous"] = _csrf(world.web["anonymous"])
    for name in OFFICIALS:
        browser = Browser(app, name)
        world.web[name], world.csrf[name] = browser.client, browser.token
        res = browser.client.post("/api/v1/auth/token", json={"username": name, "password": "demo1234"})
        world.tokens[name] = res.json["token"]
    codes = {"A": _receive(Browser(app, "desk1")), "B": _receive(Browser(app, "desk2"))}
    mine = Applicant(app, "an@example.vn")
    other = Applicant(app, "binh@example.vn", "Trần Thị Bình")
    own_codes = {"A": mine.submit_birth(WARD_A), "B": other.submit_birth(WARD_B)}
    world.web["applicant"], world.csrf["applicant"] = mine.client, mine.token
    with app.extensions["motcua"]["sessions"]() as session:
        _receive_online(session, own_codes["A"], app.config["NOW"]())
        for side, ward, staff in (("A", WARD_A, "staffa"), ("B", WARD_B, "staffb")):
            dossier = session.scalar(select(Dossier).where(Dossier.code == codes[side]))
            online = session.scalar(select(Dossier).where(Dossier.code == own_codes[side]))
            user = session.scalar(select(User).where(User.username == staff))
            unit = session.scalar(select(Unit).where(Unit.code == ward))
            world.ids[side] = {
                "dossier": dossier.code, "mine": online.code, "unit_code": ward, "unit_id": unit.id,
                "task": session.scalar(select(HumanTask.id).where(HumanTask.dossier_id == dossier.id,
                                                                  HumanTask.state == "ready")),
                "doc": session.scalar(select(Document.id).where(Document.dossier_id == dossier.id)),
                "my_doc": session.scalar(select(Document.id).where(Document.dossier_id == online.id)),
                "user_id": user.id,
                "grant_id": session.scalar(select(RoleGrant.id).where(RoleGrant.user_id == user.id)),
                "message_id": session.scalar(select(OutboxMessage.id).where(OutboxMessage.dossier_id == dossier.id)
                                             .order_by(OutboxMessage.id).limit(1)),
                "proc": "1.001193", "number": 1, "ward_proc": WARD_PROCEDURES[side],
                "batch": _handover_batch(session, dossier, "desk1" if side == "A" else "desk2", app.config["NOW"]()),
                "group": _group(session, "desk1" if side == "A" else "desk2", app.config["NOW"]()),
                "incident": _incident(session, dossier, app.config["NOW"]()),
            }
    return world
