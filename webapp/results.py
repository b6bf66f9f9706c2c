"""Giấy tờ kết quả on the web: the draft's preview, the signing adapter handed to approvals, /xac-thuc.

The approval itself stays the step's form (webapp/officials.py); it passes `issuer()` down, so the
leader's "Phê duyệt" numbers the result and queues its signing (the scheduler signs it seconds later), and
the desk's return step signs it first if it is still queued. When that fails the step is rolled back and
`record_failure` logs the failure in a transaction of its own.
"""
from __future__ import annotations

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required

from engine.ground import events
from engine.ground.errors import Invalid
from engine.integrations.pades import load_roots
from engine.integrations.signing import SigningError
from engine.models import HumanTask
from engine.printing import issuance, result_register, results, verification
from webapp.adapters import adapters_of
from webapp.db import get_session, now
from webapp.helpers import storage_dir, viewable_dossier
from webapp.security import csp_nonce

bp = Blueprint("results", __name__)
MAX_CHECK_BYTES = 20 * 1024 * 1024


def base_url() -> str:
    """The public address printed on results (MOTCUA_PUBLIC_URL, else this request's)."""
    return current_app.config.get("PUBLIC_URL") or request.url_root


def issuer() -> issuance.ResultIssuer:
    """What a step needs to issue the signed result: the signing adapter, the storage, the address."""
    return issuance.ResultIssuer(adapters_of(current_app).signer, storage_dir(), base_url())


def record_failure(task_id: int, err: SigningError, user) -> None:
    """Log a failed signature (after the step's rollback): who, which dossier, what went wrong."""
    session = get_session()
    session.rollback()
    task = session.get(HumanTask, task_id)
    events.record(session, "result.signing_failed", now(), dossier=task.dossier if task else None, user=user,
                  task=task.element_id if task else None, error=err.code, message=err.message)
    session.commit()
    current_app.logger.warning("signing failed for task %s: %s", task_id, err.message)


def result_panel(dossier) -> dict:
    """What the result card of a dossier shows: whether it has a template, and what was issued."""
    session = get_session()
    spec = result_register.result_spec(dossier)
    return {"spec": spec, "issued": results.issued_results(session, dossier) if spec else [],
            "pending": [m.payload for m in issuance.pending(session, dossier)] if spec else []}


@bp.get("/dossiers/<code>/result-draft")
@login_required
def draft(code: str):
    """Dự thảo giấy tờ kết quả: the result filled from the declaration, marked draft, without a number."""
    dossier = viewable_dossier(code)
    toolbar = render_template("results/_draft_toolbar.html", dossier=dossier)
    return results.preview_html(get_session(), dossier, now(), base_url=base_url(),
                                font_url=url_for("printing.font", filename=""), toolbar=toolbar, nonce=csp_nonce())


@bp.route("/xac-thuc", methods=["GET", "POST"])
def verify():
    """Xác thực giấy tờ: a public check of an uploaded result, or of a dossier code and a SHA-256."""
    check, errors, status = None, {}, 200
    values = {"code": request.values.get("ma", request.form.get("code", "")), "sha256": request.form.get("sha256", "")}
    if request.method == "POST":
        session = get_session()
        upload = request.files.get("file")
        try:
            if upload and upload.filename:
                content = upload.read(MAX_CHECK_BYTES + 1)
                if len(content) > MAX_CHECK_BYTES:
                    raise Invalid(_("Tệp quá lớn"), {"file": _("Tệp kiểm tra tối đa 20 MB.")})
                roots = load_roots(list(adapters_of(current_app).trust_roots))
                check = verification.check_file(session, content, roots)
            else:
                check = verification.check_code_hash(session, values["code"], values["sha256"])
        except Invalid as err:
            errors, status = err.fields or {"file": err.message}, 422
        if check is not None and check.outcome != verification.VALID:
            events.record(session, "result.verification_failed", now(), outcome=check.outcome, sha256=check.sha256)
            session.commit()
    return render_template("results/verify.html", check=check, errors=errors, values=values), status


def init_app(app: Flask) -> None:
    """The result card's reader, for the task and dossier pages."""
    app.jinja_env.globals["result_panel"] = result_panel
