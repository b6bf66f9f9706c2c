"""Officials' pages: the worklist, a step's page, a dossier's page and its documents."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required
from sqlalchemy import select

from engine.calendar.working import local_date
from engine.catalogue.procedures import forms_of, list_procedures
from engine.clock.online_answer import online_answer
from engine.dossier import lifecycle, worklist
from engine.dossier.diagram import dossier_diagram
from engine.dossier.documents import documents_of, get_document
from engine.ground.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from engine.ground.vocabulary import STATUS_LABELS
from engine.integrations.signing import SigningError
from engine.models import Dossier, DossierGroup, Event, HumanTask, User
from engine.org.accounts import grants_of, has_role
from forms.render import form_data_from_request, render_form, visible_state
from webapp.auth import official
from webapp.case_file import case_panels, prefill
from webapp.db import get_session, now
from webapp.errors import status_of
from webapp.helpers import dossier_panels, home_url, safe_next, send_document, storage_dir, viewable_dossier

bp = Blueprint("officials", __name__)
INTAKE_SLIPS = {"receive": "01", "supplement": "02", "refuse": "03"}
WORKLIST_TABS = {"": _l("Tổng số"), "new": _l("Mới hôm nay"), "sent_back": _l("Bị trả lại"),
                 "waiting": _l("Chờ người nộp"), "due_soon": _l("Sắp đến hạn"), "overdue": _l("Quá hạn")}


@bp.get("/worklist")
@login_required
def worklist_page():
    """Hồ sơ cần xử lý: the user's steps by due time, with counts, search, filters and paging."""
    args = request.args
    query = worklist.WorklistQuery(search=args.get("q", ""), procedure=args.get("procedure", ""),
                                   status=args.get("status", ""), kind=args.get("kind", ""),
                                   tab=args.get("tab", ""), page=args.get("page", 1, type=int) or 1)
    result = worklist.worklist(get_session(), official(), query, now())
    template = "officials/_worklist_table.html" if request.headers.get("HX-Request") else "officials/worklist.html"
    return render_template(template, result=result, query=query, now=now(), statuses=STATUS_LABELS,
                           procedures=list_procedures(get_session()), tabs=WORKLIST_TABS,
                           online_answer=online_answer, group_hit=_group_hit(query.search),
                           dossier_hit=_dossier_hit(query.search, result))


def _group_hit(search: str):
    """The liên thông group whose code was typed in the search, when the viewer's desk received it (its page is
    the desk's, not a step of the worklist)."""
    from engine.dossier import group as groups

    if not groups.is_group_code(search):
        return None
    found = get_session().scalar(select(DossierGroup).where(DossierGroup.code == search.strip().upper()))
    return found if found is not None and has_role(official(), "mot_cua", found.unit_id) else None


def _dossier_hit(search: str, result):
    """The dossier whose whole code was typed, when the viewer may read it but it is not in their list (it has
    moved on to a specialist, a leader or another agency): where it is now, and a link to its page."""
    from engine.dossier.codes import normalise_code

    code = normalise_code(search)
    if code is None or any(row.dossier.code == code for row in result.rows):
        return None
    session = get_session()
    found = session.scalar(select(Dossier).where(Dossier.code == code))
    if found is None or not lifecycle.can_view(official(), found, session):
        return None
    steps = [t for t in lifecycle.dossier_tasks(session, found) if t.state == "ready"]
    return {"dossier": found, "steps": steps}


@bp.get("/")
def index():
    return redirect(home_url())


def _task(task_id: int) -> HumanTask:
    task = get_session().get(HumanTask, task_id)
    if task is None:
        abort(404)
    if (task.role, task.unit_id) not in grants_of(official()) and not has_role(official(), "lanh_dao", task.unit_id):
        abort(403)
    return task


def _history(dossier) -> list[tuple[Event, User | None]]:
    session = get_session()
    rows = session.execute(select(Event, User).outerjoin(User, Event.user_id == User.id)
                           .where(Event.dossier_id == dossier.id).order_by(Event.at, Event.id)).all()
    return [(event, user) for event, user in rows]


def _render_task(task: HumanTask, values=None, errors=None, status: int = 200):
    from webapp.leader import may_act, proposal, send_back

    session = get_session()
    form = forms_of(task.dossier.version).get(task.form_id or "")
    steps = lifecycle.dossier_tasks(session, task.dossier)
    context = {"declaration": dict(task.dossier.data or {})}  # the step's conditions read the declaration
    if values is None and form is not None:
        values = prefill(form, task.dossier.data or {})
    return render_template(
        "officials/task.html", task=task, dossier=task.dossier, form=form, steps=steps,
        fields=render_form(form, values, errors, today=local_date(now()), context=context) if form else "",
        errors=errors or {},
        documents=documents_of(session, task.dossier), history=_history(task.dossier),
        forms=forms_of(task.dossier.version), statuses=STATUS_LABELS, now=now(),
        colleagues=worklist.colleagues(session, task) if has_role(official(), "lanh_dao", task.unit_id) else [],
        can_act=task.state == "ready" and may_act(task), proposal=proposal(task), sent_back=send_back(task, steps),
        **case_panels(task.dossier, task)), status


@bp.get("/tasks/<int:task_id>")
@login_required
def task_page(task_id: int):
    """A step: the dossier, its documents and history, and the step's form."""
    return _render_task(_task(task_id))


@bp.post("/tasks/<int:task_id>/fields")
@login_required
def task_fields(task_id: int):
    """Which fields show for the values chosen so far (motcua.js hides the others; the server stays the judge)."""
    task = _task(task_id)
    form = forms_of(task.dossier.version)[task.form_id]
    return visible_state(form, form_data_from_request(form, request.form), {"declaration": dict(task.dossier.data or {})})


@bp.post("/tasks/<int:task_id>")
@login_required
def complete(task_id: int):
    """Complete the step; back to the worklist with a confirmation, or the form with its errors."""
    session, task = get_session(), _task(task_id)
    form = forms_of(task.dossier.version).get(task.form_id or "")
    data = form_data_from_request(form, request.form) if form else {}
    code, name, kind = task.dossier.code, task.name, task.kind
    from webapp.results import issuer, record_failure

    if kind == "intake" and data.get("intake_decision") == "receive":  # as at the counter: only a complete dossier
        from engine.dossier.counter import missing_required

        missing = missing_required(task.dossier)
        if missing:
            flash(_("Hồ sơ chưa đủ thành phần bắt buộc (chưa nhận: %(items)s). Hãy đánh dấu giấy tờ đã nhận ở khung "
                    "“Cập nhật thành phần hồ sơ đã nhận” rồi lưu, hoặc yêu cầu bổ sung.", items="; ".join(missing)),
                  "danger")
            return _render_task(task, data, {}, 422)
    try:
        lifecycle.complete_task(session, task_id, official(), data, now(), coerce=True, issue=issuer())
        session.commit()
    except SigningError as err:  # the step stays open: nothing of the approval is kept, the failure is logged
        record_failure(task_id, err, official())
        flash(err.message, "danger")
        return _render_task(get_session().get(HumanTask, task_id), data, {}, status_of(err))
    except Invalid as err:
        session.rollback()
        flash(err.message, "danger")
        return _render_task(get_session().get(HumanTask, task_id), data, err.fields, 422)
    except (Conflict, DomainError) as err:
        if isinstance(err, (Forbidden, NotFound)):  # a leader may read another role's step, not complete it
            raise
        session.rollback()
        flash(err.message, "warning")
        return redirect(url_for("officials.worklist_page"))
    if data.get("approval_decision") == "send_back":  # not "completed": the dossier went back for appraisal
        flash(_("Đã trả lại hồ sơ %(code)s để thẩm định lại.", code=code), "success")
    else:
        flash(_("Đã hoàn thành “%(step)s” của hồ sơ %(code)s.", step=name, code=code), "success")
    slip = INTAKE_SLIPS.get(data.get("intake_decision")) if kind == "intake" else None
    if slip:  # the desk hands the applicant form 01, 02 or 03 at once
        return redirect(url_for("printing.dossier_form", code=code, name=slip, print=1))
    return redirect(url_for("officials.worklist_page"))


def _task_action(task_id: int, action, message: str):
    session = get_session()
    try:
        task = action(session)
        session.commit()
        flash(message.format(code=task.dossier.code, step=task.name), "success")
    except (Conflict, Invalid) as err:  # another unit's step, or none, is refused like the step's page
        session.rollback()
        flash(err.message, "warning")
    target = request.form.get("next")
    return redirect(safe_next(target) if target else url_for("officials.task_page", task_id=task_id))


@bp.post("/tasks/<int:task_id>/claim")
@login_required
def claim(task_id: int):
    """Nhận xử lý."""
    return _task_action(task_id, lambda s: lifecycle.claim_task(s, task_id, official(), now()),
                        _("Bạn đã nhận xử lý “{step}” của hồ sơ {code}."))


@bp.post("/tasks/<int:task_id>/unclaim")
@login_required
def unclaim(task_id: int):
    """Trả lại công việc."""
    return _task_action(task_id, lambda s: worklist.unclaim_task(s, task_id, official(), now()),
                        _("Đã trả lại “{step}” của hồ sơ {code}."))


@bp.post("/tasks/<int:task_id>/reassign")
@login_required
def reassign(task_id: int):
    """Giao việc (leaders)."""
    username = request.form.get("assignee", "")
    return _task_action(task_id, lambda s: worklist.reassign_task(s, task_id, official(), username, now()),
                        _("Đã giao “{step}” của hồ sơ {code}."))


@bp.get("/dossiers/<code>")
@login_required
def dossier_page(code: str):
    """A dossier by code, for anyone whose unit touched it; 403 for everyone else."""
    session, dossier = get_session(), viewable_dossier(code)
    return render_template("officials/dossier.html", dossier=dossier, steps=lifecycle.dossier_tasks(session, dossier),
                           diagram=dossier_diagram(session, dossier),
                           documents=documents_of(session, dossier), history=_history(dossier),
                           forms=forms_of(dossier.version), statuses=STATUS_LABELS, now=now(),
                           **dossier_panels(dossier), **case_panels(dossier))


@bp.get("/documents/<int:document_id>")
@login_required
def document(document_id: int):
    """A dossier's file, inline, for those who may see the dossier."""
    session = get_session()
    doc = get_document(session, document_id)
    if not lifecycle.can_view(official(), session.get(Dossier, doc.dossier_id), session):
        abort(403)
    return send_document(session, doc, storage_dir(), as_attachment=False)
