"""The result register gives numbers without gaps or duplicates when leaders approve at the same moment; a
signature that fails keeps its number and is signed later, once, whether by the job or the desk's return
step; on SQLite and PostgreSQL, each thread its own connection."""
from __future__ import annotations

from sqlalchemy import select

from engine.dossier import lifecycle
from engine.integrations.pades import load_roots, verify_pdf
from engine.integrations.signing import Pkcs12Signer, SigningUnavailable
from engine.messaging import outbox
from engine.models import HumanTask, IssuedResult, OutboxMessage, ResultRegister
from engine.printing.issuance import ResultIssuer, issue_queued
from tests.procedures.drive import DATA, new_dossier, ready_tasks, step, user
from tests.race import race


def at_approval(session, clock, count: int) -> list[int]:
    """`count` birth registrations waiting for the leader; their approval step ids."""
    ids = []
    for _ in range(count):
        dossier = new_dossier(session, clock)
        step(session, clock, dossier, "Task_Intake", "receive")
        step(session, clock, dossier, "Task_Appraise", "propose_approve")
        ids.append(ready_tasks(session, dossier)[0].id)
    return ids


class ServiceDown:
    """A signer whose service is down."""

    def sign_pdf(self, pdf: bytes, **_kw):
        raise SigningUnavailable("Dịch vụ ký số từ xa không phản hồi")


def sign_queued(session, signer, storage, clock) -> int:
    """The scheduler's issue_results job: the queued results handed to the signer."""
    return issue_queued(session, clock(), signer, storage)


def test_concurrent_approvals_number_their_results_without_gaps_or_duplicates(sessions, session, clock, tmp_path,
                                                                              signing_keys):
    tasks = at_approval(session, clock, 4)
    signer = Pkcs12Signer(signing_keys.pkcs12, signing_keys.passphrase)
    issuer = ResultIssuer(signer, str(tmp_path), "https://motcua.example.vn")

    def approve(s, i):
        lifecycle.complete_task(s, tasks[i], user(s, "leader1"), DATA["approve"], clock(), issue=issuer)
        return tasks[i]

    assert sorted(race(sessions, 4, approve)) == sorted(tasks)
    session.expire_all()
    queued = session.scalars(select(OutboxMessage).where(OutboxMessage.kind == outbox.RESULT_ISSUANCE)).all()
    assert sorted(m.payload["number"] for m in queued) == ["001/2026/KS", "002/2026/KS", "003/2026/KS", "004/2026/KS"]
    assert session.scalar(select(ResultRegister.last_value)) == 4

    assert sign_queued(session, ServiceDown(), str(tmp_path), clock) == 0  # down: every one waits, numbers kept
    assert session.scalars(select(IssuedResult)).all() == []
    for message in queued:
        outbox.retry(session, message.id, clock())
    session.commit()

    def sign(s, _i):  # two schedulers at once: each result signed once
        return sign_queued(s, signer, str(tmp_path), clock)

    race(sessions, 2, sign)
    session.expire_all()
    for message in session.scalars(select(OutboxMessage).where(OutboxMessage.state != "sent")):
        outbox.retry(session, message.id, clock())  # on SQLite the second scheduler may have found it busy
    session.commit()
    sign_queued(session, signer, str(tmp_path), clock)
    session.expire_all()
    assert sorted(session.scalars(select(IssuedResult.number))) == [m.payload["number"] for m in
                                                                     sorted(queued, key=lambda m: m.payload["number"])]
    roots = load_roots([signing_keys.ca_pem])
    for result in session.scalars(select(IssuedResult)):
        blob = (tmp_path / result.sha256[:2] / result.sha256).read_bytes()
        assert verify_pdf(blob, roots).valid


def test_the_return_step_and_the_job_sign_a_result_once(sessions, session, clock, tmp_path, signing_keys):
    signer = Pkcs12Signer(signing_keys.pkcs12, signing_keys.passphrase)
    issuer = ResultIssuer(signer, str(tmp_path), "http://x")
    [approval] = at_approval(session, clock, 1)
    lifecycle.complete_task(session, approval, user(session, "leader1"), DATA["approve"], clock(), issue=issuer)
    session.commit()
    dossier = session.get(HumanTask, approval).dossier
    [ret] = ready_tasks(session, dossier)

    def race_them(s, i):
        if i == 0:
            return sign_queued(s, signer, str(tmp_path), clock)
        lifecycle.complete_task(s, ret.id, user(s, "desk1"), DATA["return"], clock(), issue=issuer)
        return -1

    outcomes = race(sessions, 2, race_them)
    assert all(isinstance(r, int) for r in outcomes), outcomes
    session.expire_all()
    assert [r.number for r in session.scalars(select(IssuedResult))] == ["001/2026/KS"]
    assert session.get(HumanTask, ret.id).state == "completed"


def test_a_new_year_opens_a_new_book(session, clock, tmp_path, signing_keys):
    issuer = ResultIssuer(Pkcs12Signer(signing_keys.pkcs12, signing_keys.passphrase), str(tmp_path), "http://x")
    [first] = at_approval(session, clock, 1)
    lifecycle.complete_task(session, first, user(session, "leader1"), DATA["approve"], clock(), issue=issuer)
    session.commit()
    clock.set(2027, 1, 4, 9, 0)
    [second] = at_approval(session, clock, 1)
    lifecycle.complete_task(session, second, user(session, "leader1"), DATA["approve"], clock(), issue=issuer)
    session.commit()
    assert sign_queued(session, issuer.signer, str(tmp_path), clock) == 2
    assert sorted(session.scalars(select(IssuedResult.number))) == ["001/2026/KS", "001/2027/KS"]
