"""The result register gives numbers without gaps or duplicates when leaders approve at the same moment,
and a failed signature gives its number back; on SQLite and PostgreSQL, each thread its own connection."""
from __future__ import annotations

from sqlalchemy import select

from engine.dossier import lifecycle
from engine.integrations.pades import load_roots, verify_pdf
from engine.integrations.signing import Pkcs12Signer, SigningUnavailable
from engine.models import HumanTask, IssuedResult, ResultRegister
from engine.printing.results import ResultIssuer
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


class FailsAfterNumbering:
    """A signer whose service goes down: the register already gave a number when it is called."""

    def sign_pdf(self, pdf: bytes, **_kw):
        raise SigningUnavailable("Dịch vụ ký số từ xa không phản hồi")


def test_concurrent_approvals_number_their_results_without_gaps_or_duplicates(sessions, session, clock, tmp_path,
                                                                              signing_keys):
    tasks = at_approval(session, clock, 4)
    signer = Pkcs12Signer(signing_keys.pkcs12, signing_keys.passphrase)
    issuer = ResultIssuer(signer, str(tmp_path), "https://motcua.example.vn")
    failing = ResultIssuer(FailsAfterNumbering(), str(tmp_path), "https://motcua.example.vn")

    def approve(s, i):
        chosen = failing if i == 0 else issuer
        lifecycle.complete_task(s, tasks[i], user(s, "leader1"), DATA["approve"], clock(), issue=chosen)
        return tasks[i]

    results = race(sessions, 4, approve)
    assert isinstance(results[0], SigningUnavailable) and all(isinstance(r, int) for r in results[1:]), results
    session.expire_all()
    numbers = sorted(r.number for r in session.scalars(select(IssuedResult)))
    assert numbers == ["001/2026/KS", "002/2026/KS", "003/2026/KS"]  # the failed one gave its number back
    assert session.scalar(select(ResultRegister.last_value)) == 3
    assert [t.id for t in ready_tasks(session, lifecycle.get_dossier(session, _code_of(session, tasks[0])))] == [tasks[0]]

    lifecycle.complete_task(session, tasks[0], user(session, "leader1"), DATA["approve"], clock(), issue=issuer)
    session.commit()
    last = session.scalars(select(IssuedResult).order_by(IssuedResult.id.desc())).first()
    assert last.number == "004/2026/KS"
    roots = load_roots([signing_keys.ca_pem])
    for result in session.scalars(select(IssuedResult)):
        blob = (tmp_path / result.sha256[:2] / result.sha256).read_bytes()
        assert verify_pdf(blob, roots).valid


def _code_of(session, task_id: int) -> str:
    return session.get(HumanTask, task_id).dossier.code


def test_a_new_year_opens_a_new_book(session, clock, tmp_path, signing_keys):
    issuer = ResultIssuer(Pkcs12Signer(signing_keys.pkcs12, signing_keys.passphrase), str(tmp_path), "http://x")
    [first] = at_approval(session, clock, 1)
    lifecycle.complete_task(session, first, user(session, "leader1"), DATA["approve"], clock(), issue=issuer)
    session.commit()
    clock.set(2027, 1, 4, 9, 0)
    [second] = at_approval(session, clock, 1)
    lifecycle.complete_task(session, second, user(session, "leader1"), DATA["approve"], clock(), issue=issuer)
    session.commit()
    assert sorted(session.scalars(select(IssuedResult.number))) == ["001/2026/KS", "001/2027/KS"]
