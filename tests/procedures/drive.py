"""Helpers that drive a dossier through its process the way officials do, through the engine."""
from __future__ import annotations

from sqlalchemy import select

from engine.dossier import lifecycle
from engine.models import HumanTask, User

APPLICANT = {"name": "Phạm Minh Đức", "id_number": "001088011223", "address": "12 Hàng Bạc, Hoàn Kiếm, Hà Nội",
             "phone": "0901234567", "email": "duc@example.vn"}
CODES = {"birth": "1.001193", "business": "1.001612", "permit": "1.013225"}
DATA = {
    "receive": {"intake_decision": "receive"},
    "intake_supplement": {"intake_decision": "supplement", "supplement_items": "1. Bản sao Giấy chứng sinh"},
    "intake_refuse": {"intake_decision": "refuse", "refuse_reason": "Không thuộc thẩm quyền giải quyết"},
    "supplied": {"supplement_received": True, "supplement_note": "Đã nhận đủ"},
    "propose_approve": {"appraisal_decision": "propose_approve", "appraisal_opinion": "Hồ sơ đầy đủ, hợp lệ"},
    "propose_refuse": {"appraisal_decision": "propose_refuse", "appraisal_opinion": "Không đủ điều kiện",
                       "refuse_reason": "Thiếu điều kiện theo luật"},
    "appraisal_supplement": {"appraisal_decision": "supplement", "appraisal_opinion": "Cần bổ sung giấy tờ",
                             "supplement_items": "1. Bản vẽ mặt bằng"},
    "consult": {"consult_opinion": "agree", "consult_note": "Thống nhất với đề xuất"},
    "approve": {"approval_decision": "approve", "approval_note": "Đồng ý"},
    "approval_refuse": {"approval_decision": "refuse", "refuse_reason": "Không đủ điều kiện cấp"},
    "send_back": {"approval_decision": "send_back", "approval_note": "Thẩm định lại"},
    "return": {"return_method": "desk", "receiver_name": "Phạm Minh Đức"},
    "paid": {"receipt_number": "BL-2026-000123", "payment_note": "Nộp tiền mặt tại quầy"},
}
PAYMENT_STEP = "Task_Payment"  # the building permit's fee; paid at the desk at once unless a test waits for it
WHO = {"mot_cua": "desk1", "chuyen_vien": "specialist1", "lanh_dao": "leader1"}


def user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


def new_dossier(session, clock, procedure: str = "birth", channel: str = "in_person"):
    dossier = lifecycle.create_dossier(session, user(session, "desk1"), CODES[procedure], channel, APPLICANT, {},
                                      clock())
    session.commit()
    return dossier


def ready_tasks(session, dossier) -> list[HumanTask]:
    return list(session.scalars(select(HumanTask).where(
        HumanTask.dossier_id == dossier.id, HumanTask.state == "ready").order_by(HumanTask.id)))


def step(session, clock, dossier, element_id: str, data_key: str, username: str | None = None) -> HumanTask:
    """Complete the one ready task, checking it is the expected BPMN element.

    A fee step the test does not name is paid at the desk at the same moment (the clock does not move).
    """
    tasks = ready_tasks(session, dossier)
    if element_id != PAYMENT_STEP and [t.element_id for t in tasks] == [PAYMENT_STEP]:
        step(session, clock, dossier, PAYMENT_STEP, "paid")
        tasks = ready_tasks(session, dossier)
    assert [t.element_id for t in tasks] == [element_id], f"expected {element_id}, ready: {tasks}"
    task = tasks[0]
    who = username or ("consult1" if element_id == "Task_Consult" else WHO[task.role])
    done = lifecycle.complete_task(session, task.id, user(session, who), DATA[data_key], clock())
    session.commit()
    return done
