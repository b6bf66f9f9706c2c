"""Bàn giao hồ sơ: the desk hands paper dossiers to a division and back, in printed, signed batches.

`/handover` lists the batches waiting for the user's signature and the unit's recent ones; `/handover/new`
lets the desk (or a division, `?direction=to_desk`) tick the dossiers it may hand over; a new batch opens
as a printable list (same print path as forms 01–07) where the receiving side confirms receipt.
The rules are in engine.dossier.handover; this module only serves them.
"""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_required

from engine.dossier import handover
from engine.ground.errors import Conflict, Forbidden, Invalid
from engine.printing.handover import handover_context
from webapp.auth import official
from webapp.db import get_session, now
from webapp.printing import _page, _pdf

bp = Blueprint("handover", __name__, url_prefix="/handover")
HANDING_ROLES = ("mot_cua", "chuyen_vien", "lanh_dao")
BUTTONS = {handover.TO_DIVISION: _l("Giao hồ sơ cho bộ phận giải quyết"),
           handover.TO_DESK: _l("Giao lại hồ sơ cho Bộ phận Một cửa")}


def _direction() -> str:
    direction = request.values.get("direction") or default_direction()
    if direction not in handover.DIRECTIONS:
        abort(404)
    return direction


def default_direction() -> str:
    """The desk hands to divisions; everyone else hands back to the desk."""
    return handover.TO_DIVISION if any(g.role == handover.DESK for g in official().grants) else handover.TO_DESK


def _may_hand(direction: str) -> bool:
    desk = any(g.role == handover.DESK for g in official().grants)
    others = any(g.role in HANDING_ROLES and g.role != handover.DESK for g in official().grants)
    return desk if direction == handover.TO_DIVISION else others


@bp.get("")
@login_required
def batches_page():
    """The batches waiting for the user's signature, then the newest of the user's units."""
    if not any(g.role in HANDING_ROLES for g in official().grants):
        abort(403)
    waiting, recent = handover.batches_for(get_session(), official())
    return render_template("handover/list.html", waiting=waiting, recent=recent, buttons=BUTTONS,
                           may_hand={d: _may_hand(d) for d in handover.DIRECTIONS}, side=handover.Side)


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_batch():
    """Tick the dossiers to hand over (grouped by receiving side), write a note, create and print the list."""
    direction = _direction()
    if not _may_hand(direction):
        abort(403)
    session = get_session()
    chosen, note, errors, status = [], "", {}, 200
    if request.method == "POST":
        chosen, note = request.form.getlist("codes"), request.form.get("note", "")
        item_notes = {code: request.form.get(f"note_{code}", "") for code in chosen}
        try:
            batch = handover.create_batch(session, official(), direction, chosen, now(), note, item_notes)
            session.commit()
        except Invalid as err:
            session.rollback()
            errors, status = err.fields, 422
            flash(err.message, "danger")
        else:
            flash(_("Đã lập danh sách bàn giao số %(number)s (%(n)s hồ sơ). In danh sách, ký giao và "
                    "chuyển hồ sơ kèm danh sách cho bên nhận.", number=batch.number, n=len(batch.items)), "success")
            return redirect(url_for("handover.batch_page", batch_id=batch.id, print=1))
    groups: dict[str, list] = {}
    for candidate in handover.candidates(session, official(), direction):
        groups.setdefault(candidate.target.label, []).append(candidate)
    return render_template("handover/new.html", direction=direction, directions=handover.DIRECTIONS,
                           groups=groups, chosen=set(chosen), note=note, errors=errors,
                           limit=handover.NOTE_LENGTH), status


def _batch(batch_id: int):
    batch = handover.get_batch(get_session(), batch_id)
    if not handover.may_read(official(), batch):
        raise Forbidden(_("Bạn không có quyền xem danh sách bàn giao này."))
    return batch


@bp.get("/<int:batch_id>", defaults={"fmt": "html"})
@bp.get("/<int:batch_id>.<fmt>")
@login_required
def batch_page(batch_id: int, fmt: str):
    """The printable list of a batch; the receiving side confirms receipt from its toolbar."""
    if fmt not in ("html", "pdf"):
        abort(404)
    batch = _batch(batch_id)
    context = handover_context(get_session(), batch)
    if fmt == "pdf":
        return _pdf(context, f"ban-giao-{batch.from_unit.code}-{batch.year}-{batch.sequence:03d}")
    extra = render_template("handover/_confirm.html", batch=batch,
                            may_confirm=batch.received_at is None and handover.may_receive(official(), batch))
    links = [(_("Về danh sách bàn giao"), url_for("handover.batches_page"))]
    return _page(context, url_for("handover.batch_page", batch_id=batch.id, fmt="pdf"), links, extra)


@bp.post("/<int:batch_id>/receive")
@login_required
def receive(batch_id: int):
    """The receiving side signs for the batch (after counting the papers against the list)."""
    session = get_session()
    batch = _batch(batch_id)
    try:
        handover.confirm_receipt(session, official(), batch, now())
        session.commit()
    except Conflict as err:
        session.rollback()
        flash(err.message, "warning")
        return redirect(url_for("handover.batch_page", batch_id=batch_id)), 303
    flash(_("Đã xác nhận nhận đủ %(n)s hồ sơ theo danh sách số %(number)s.", n=len(batch.items),
            number=batch.number), "success")
    return redirect(url_for("handover.batch_page", batch_id=batch_id)), 303
