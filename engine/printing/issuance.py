"""Ký số kết quả: the leader's approval numbers the result; its signed file is issued right after it.

The approval is the legal decision. In its transaction `reserve` checks that the result can be issued (a
template, a register pattern, a usable signing key), takes the register's next number
(engine.printing.result_register) and queues an outbox message of kind `result_issuance` that holds it.
The scheduler's `issue_results` job (every few seconds, `issue_queued`) then renders the PDF (WeasyPrint),
signs it (engine.integrations.signing), stores it as a Document of kind "result", records the IssuedResult
and tells the applicant, as a remote signing service answers seconds after it is asked. A failure is
retried with the outbox's back-off and listed at /admin/outbox. Whatever needs the signed file before the
job has run issues it on demand (`issue_pending`: the desk's return step), under the message's row lock, so
that a result is signed once whoever comes first; the number stays the one the approval took.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.calendar.working import TZ
from engine.dossier.documents import store
from engine.dossier.workflow import lock_dossier
from engine.ground import events
from engine.ground.errors import Invalid
from engine.ground.search_text import fold
from engine.integrations.signing import Signed, Signer, SigningKeyMissing
from engine.messaging import notices, outbox
from engine.models import Document, Dossier, IssuedResult, OutboxMessage, User
from engine.printing import result_register as register
from engine.printing.results import result_context, template_of
from forms.printing.result import ResultTemplateError, render_pdf_of, render_result

KIND = outbox.RESULT_ISSUANCE
NO_KEY = ("Chưa cấu hình ký số cho đơn vị (tệp PKCS#12 hoặc dịch vụ ký số từ xa); kết quả chưa thể phê duyệt "
          "và cấp số")


def check_signer(signer: Signer | None, now: datetime) -> Signer:
    """The signer, when it can sign now: SigningKeyMissing without one; a PKCS#12 file that is gone, unreadable
    or expired raises its own SigningError (a remote service is only known to be down when asked)."""
    if signer is None:
        raise SigningKeyMissing(NO_KEY)
    check = getattr(signer, "check", None)
    if check is not None:
        check(now)
    return signer


def reserve(session: Session, dossier: Dossier, user: User | None, now: datetime, signer: Signer | None,
            base_url: str) -> dict:
    """At approval: check, take the next number, queue the signing; the number's payload. Raises before
    anything is written when the result cannot be issued (the approval then stays open). The template itself
    is read when the result is rendered, not here."""
    spec = register.result_spec(dossier)
    if spec is None:
        raise Invalid(f"Thủ tục {dossier.version.procedure.name} không có mẫu giấy tờ kết quả")
    procedure_code = dossier.version.procedure.code
    pattern = register.check_pattern(register.number_pattern(dossier.unit, procedure_code, spec), spec.register)
    check_signer(signer, now)
    year = now.astimezone(TZ).year
    serial = register.next_serial(session, dossier.unit, procedure_code, year)
    number = register.format_number(pattern, serial, year, dossier.unit.code)
    if not number.strip():
        raise Invalid(f"{spec.register} không cấp được số cho kết quả; kết quả chưa được phê duyệt")
    payload = {"number": number, "serial": serial, "year": year, "title": spec.title, "approved_at": now.isoformat(),
               "user_id": user.id if user else None, "base_url": base_url}
    outbox.write_all(session, [outbox.Message(KIND, dossier.code, f"Ký số {spec.title} số {number}", "",
                                              f"{KIND}:{dossier.unit_id}:{procedure_code}:{year}:{serial}",
                                              dossier_id=dossier.id, payload=payload)], now)
    return payload


def pending(session: Session, dossier: Dossier) -> list[OutboxMessage]:
    """The dossier's results approved and not signed yet (their numbers are in the payloads)."""
    return list(session.scalars(select(OutboxMessage).where(
        OutboxMessage.kind == KIND, OutboxMessage.dossier_id == dossier.id, OutboxMessage.state != "sent")
        .order_by(OutboxMessage.id)))


def issue_pending(session: Session, dossier: Dossier, now: datetime, signer: Signer | None,
                  storage_dir: str) -> list[IssuedResult]:
    """Issue now what the dossier's approval queued and nobody signed yet. The rows are locked first: a
    scheduler signing one at this moment is waited for, and its result is then not signed again."""
    query = (select(OutboxMessage).where(OutboxMessage.kind == KIND, OutboxMessage.dossier_id == dossier.id,
                                         OutboxMessage.state != "sent")
             .order_by(OutboxMessage.id).execution_options(populate_existing=True))
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    issued = []
    for message in session.scalars(query).all():
        kept = _kept(session, dossier, message.payload)
        issued.append(kept if kept is not None and _sent(message, now) else
                      keep(session, message, signed_file(session, message, signer, now), storage_dir, now))
    return issued


def _sent(message: OutboxMessage, now: datetime) -> bool:
    message.attempts += 1
    message.state, message.sent_at = "sent", now
    return True


def _kept(session: Session, dossier: Dossier, p: dict) -> IssuedResult | None:
    """The result of that number, when it was issued already."""
    return session.scalar(select(IssuedResult).where(
        IssuedResult.unit_id == dossier.unit_id, IssuedResult.procedure_code == dossier.version.procedure.code,
        IssuedResult.year == p["year"], IssuedResult.serial == p["serial"]))


def signed_file(session: Session, message: OutboxMessage, signer: Signer | None, now: datetime) -> Signed:
    """The result a message holds, rendered and signed; nothing is written."""
    p = message.payload
    dossier = session.get(Dossier, message.dossier_id)
    spec, text = template_of(dossier)
    check_signer(signer, now)
    user = session.get(User, p["user_id"]) if p.get("user_id") else None
    context = result_context(session, dossier, number=p["number"], issued_at=datetime.fromisoformat(p["approved_at"]),
                             draft=False, base_url=p["base_url"], signer_name=user.full_name if user else "")
    try:
        pdf = render_pdf_of(render_result(text, context))
    except ResultTemplateError as err:
        raise Invalid(str(err)) from err
    return signer.sign_pdf(pdf, reason=f"Cấp {spec.title} số {p['number']}", location=dossier.unit.name,
                           reference=f"{dossier.code}:{p['number']}", now=now)


def keep(session: Session, message: OutboxMessage, signed: Signed, storage_dir: str, now: datetime) -> IssuedResult:
    """Store the signed file of a message's result, record the IssuedResult, tell the applicant, mark the
    message sent. The caller holds the dossier's and the message's locks."""
    p = message.payload
    dossier = session.get(Dossier, message.dossier_id)
    kept = _kept(session, dossier, p)
    if kept is not None and _sent(message, now):
        return kept
    spec = register.result_spec(dossier)
    user = session.get(User, p["user_id"]) if p.get("user_id") else None
    number = p["number"]
    digest = store(storage_dir, signed.pdf)
    filename = f"{fold(spec.title).replace(' ', '-')}-{dossier.code}.pdf"  # plain letters: every system opens it
    document = Document(dossier_id=dossier.id, kind="result", title=f"{spec.title} số {number} (bản điện tử có ký số)",
                        filename=filename[:255], content_type="application/pdf", size=len(signed.pdf),
                        sha256=digest, uploaded_by_id=user.id if user else None, uploaded_at=now)
    session.add(document)
    session.flush()
    issued = IssuedResult(dossier_id=dossier.id, document_id=document.id, unit_id=dossier.unit_id,
                          procedure_code=dossier.version.procedure.code, year=p["year"], serial=p["serial"],
                          number=number, title=spec.title, sha256=digest, signer=signed.signer[:500], signed_at=now,
                          issued_by_id=user.id if user else None)
    session.add(issued)
    session.flush()
    payload = {"number": number, "title": spec.title, "document": document.id, "sha256": digest,
               "signer": issued.signer}
    events.record(session, "result.issued", now, dossier=dossier, user=user, **payload)
    notices.notify_applicant(session, dossier, "result.issued", payload, now)
    _sent(message, now)
    return issued


@dataclass(frozen=True)
class ResultIssuer:
    """What a step needs to issue results (engine.dossier.step): the web edge builds it with its signing
    adapter, its document store and the public address printed on the result."""

    signer: Signer | None
    storage_dir: str
    base_url: str

    def reserve(self, session: Session, dossier: Dossier, user: User | None, now: datetime) -> dict | None:
        """At approval: the result's number, its signing queued; None when the procedure has no result template."""
        if register.result_spec(dossier) is None:
            return None
        return reserve(session, dossier, user, now, self.signer, self.base_url)

    def issue_pending(self, session: Session, dossier: Dossier, now: datetime) -> list[IssuedResult]:
        """Sign now what the dossier's approval queued and the scheduler has not signed yet."""
        return issue_pending(session, dossier, now, self.signer, self.storage_dir)


def issue_queued(session: Session, now: datetime, signer: Signer | None, storage_dir: str, limit: int = 100) -> int:
    """The scheduler's `issue_results` job: each queued result rendered and signed holding no lock (a slow
    signing service delays no official), then kept in a transaction of its own under its dossier's lock and
    then its message's (the order the return step takes them in). A dossier someone holds is left for the
    next run, and a result the return step issued meanwhile is not kept twice: the signature made here is
    dropped. A failure is kept on the message and retried
    with the outbox's back-off (engine.messaging.outbox)."""
    session.rollback()
    due = session.execute(select(OutboxMessage.id, OutboxMessage.dossier_id).where(
        OutboxMessage.kind == KIND, OutboxMessage.state == "pending", OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id).limit(limit)).all()
    issued = 0
    for message_id, dossier_id in due:
        failure: Exception | None = None
        if _busy(session, dossier_id):  # a step of it is being completed: its return step may be signing it now
            continue
        message = session.get(OutboxMessage, message_id)
        if message is None or message.state != "pending":
            continue
        try:
            signed = signed_file(session, message, signer, now)
        except Exception as err:  # noqa: BLE001 - any failure is kept on the message and retried
            failure, signed = err, None
        session.rollback()
        lock_dossier(session, dossier_id)
        message = session.scalar(select(OutboxMessage).where(OutboxMessage.id == message_id)
                                 .with_for_update().execution_options(populate_existing=True))
        if message is not None and message.state == "pending":
            if failure is not None:
                outbox.attempt(message, _raise(failure), now)
            else:
                keep(session, message, signed, storage_dir, now)
                issued += 1
        session.commit()
    return issued


def _busy(session: Session, dossier_id: int) -> bool:
    """On PostgreSQL, whether someone holds the dossier's lock at this moment (the probe's own lock is let go)."""
    if session.get_bind().dialect.name != "postgresql":
        return False
    free = session.scalar(select(Dossier.id).where(Dossier.id == dossier_id).with_for_update(skip_locked=True))
    session.rollback()
    return free is None


def _raise(err: Exception):
    def handler(_message: OutboxMessage) -> None:
        raise err
    return handler
