"""The corpus of foreign diagrams (issue 19): every diagram is refused at check with a clear reason, or it is
published and a dossier driven to its end, which ends the dossier. Never a crash, never a dossier left
waiting for something that cannot come.

The corpus: the BPMN MIWG test suite as Camunda Modeler exports it (read from ../shared/bpmn-corpus, CC BY 3.0,
attribution to the OMG BPMN Model Interchange Working Group; not copied here), the diagrams drawn in the
Camunda 7 style under tests/data/camunda7 and the foreign exports under tests/data/foreign_bpmn.
The counts (run to end, refused by reason) are written to test-artifacts/bpmn-corpus.txt.
"""
from __future__ import annotations

import os
import re
import shutil
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import select

from engine.catalogue.procedures import check_path, forms_of, publish_folder
from engine.dossier import lifecycle as dossiers
from engine.dossier.messages import deliver_message
from engine.dossier.workflow import load_workflow
from engine.ground.vocabulary import ENDED
from engine.models import RoleGrant, Timer, User
from engine.operations.jobs import fire_due_timers
from tests.procedures.drive import APPLICANT, DATA, ready_tasks, user

ROOT = Path(__file__).resolve().parents[2]
# ../shared beside the checkout; MOTCUA_BPMN_CORPUS or the workplace's /work/shared when the checkout is elsewhere
_CORPORA = [Path(os.environ["MOTCUA_BPMN_CORPUS"])] if os.environ.get("MOTCUA_BPMN_CORPUS") else []
_CORPORA += [ROOT.parent / "shared" / "bpmn-corpus", Path("/work/shared/bpmn-corpus")]
MIWG = next((c for c in _CORPORA if c.is_dir()), _CORPORA[0]) / "miwg-camunda-modeler-18.6.1"
DATA_DIR = ROOT / "tests" / "data"
FORMS = ROOT / "procedures" / "1.001193-dang-ky-khai-sinh"  # the standard forms, for a lone diagram
ANSWERS = {k: v for key in ("receive", "propose_approve", "consult", "approve", "return", "paid")
           for k, v in DATA[key].items()}
MAX_STEPS = 40
REASONS = (  # the reason a refused diagram is counted under: the first pattern any of its problems matches
    ("không có quy trình thực thi", r"không có quy trình nào có thể thực thi"),
    ("Camunda 8 (Zeebe)", r"Camunda 8|zeebe:"),
    ("không phải BPMN / XML hỏng", r"không phải sơ đồ BPMN|XML không hợp lệ|trang HTML|lược đồ BPMN"),
    ("serviceTask/sendTask/DMN không có bộ kết nối", r"tác vụ dịch vụ|tác vụ gửi|DMN"),
    ("chờ message không tên/signal/điều kiện không ai gửi", r"thông điệp \(message\)|tín hiệu \(signal\)|"
                                                          r"chờ điều kiện|nhiều sự kiện bắt đầu"),
    ("mã Java/JUEL/biểu mẫu nhúng của Camunda", r"camunda:(class|delegateExpression|expression|formKey|assignee|"
                                                 r"candidateUsers|taskListener|executionListener|formData)|JUEL"),
    ("bước người dùng thiếu vai trò/biểu mẫu", r"chưa có vai trò|chưa có biểu mẫu|biểu mẫu '.*' không có"),
    ("hẹn giờ/điều kiện chưa ghi", r"hẹn giờ|điều kiện"),
    ("liên kết/bù trừ chưa hỗ trợ", r"liên kết|bù trừ"),
    ("cấu trúc luồng", r"luồng|không thể tới được|callActivity|gọi tiến trình|tiến trình con|cổng|mã phần tử"),
)


def _corpus() -> list[tuple[str, Path]]:
    items = [(f"miwg/{p.name}", p) for p in sorted(MIWG.glob("*.bpmn"))]
    items += [(f"camunda7/{p.name}", p) for p in sorted((DATA_DIR / "camunda7").iterdir()) if p.is_dir()]
    items += [(f"foreign/{p.name}", p) for p in sorted((DATA_DIR / "foreign_bpmn").glob("*.bpmn"))]
    return items


CORPUS = _corpus()


def folder_of(path: Path, where: Path, number: int) -> Path:
    """A procedure folder around one corpus item: a folder as it is, a lone diagram with the standard forms."""
    folder = where / path.stem
    if path.is_dir():
        shutil.copytree(path, folder)
        return folder
    folder.mkdir()
    shutil.copy(path, folder / "process.bpmn")
    for form in FORMS.glob("*.form"):
        shutil.copy(form, folder)
    (folder / "procedure.yaml").write_text(f'code: "9.2{number:05d}"\nname: "Sơ đồ mẫu {path.stem}"\n'
                                           "time_limit: {value: 2, unit: working_days}\n", encoding="utf-8")
    return folder


def reason(messages: list[str]) -> str:
    """The reason a refused diagram is counted under."""
    for label, pattern in REASONS:
        if any(re.search(pattern, m) for m in messages):
            return label
    return "khác: " + messages[0][:60]


def assert_clear(problem) -> None:
    text = str(problem)
    assert problem.message and problem.file, text
    assert not re.search(r"Traceback|<Element |object at 0x|KeyError|NoneType", text), text
    assert re.search(r"[ạảãáàâấầậơớờợưứừựđếềệôốồộ]", problem.message), f"not in Vietnamese: {text}"


def officer_for(session, task) -> User:
    grant = session.scalar(select(RoleGrant).where(RoleGrant.role == task.role, RoleGrant.unit_id == task.unit_id)
                           .order_by(RoleGrant.id).limit(1))
    assert grant is not None, f"nobody can do step {task.element_id} ({task.role} in {task.unit.code})"
    return session.get(User, grant.user_id)


def answers_for(dossier, task) -> dict:
    """The standard answers, and a plausible value for each other required field (and checkbox) of the form."""
    form = forms_of(dossier.version).get(task.form_id or "")
    answers = dict(ANSWERS)
    for field in form.fields if form else ():
        if field.key in answers or "." in field.key or not (field.required or field.type == "checkbox"):
            continue
        if field.values:
            answers[field.key] = field.values[0]["value"]
        elif field.type == "checkbox":
            answers[field.key] = True
        elif field.type == "number":
            answers[field.key] = max(1, int(field.validate.get("min") or 0))
        elif field.type == "textfield":
            answers[field.key] = "Thử"
    return answers


def drive_to_end(session, clock, dossier) -> list[str]:
    """Complete each ready step (the official who holds it, the standard answers) and fire each timer when
    due, until the dossier ends; the steps done, in order."""
    done = []
    for _ in range(MAX_STEPS):
        session.expire_all()
        if dossier.status in ENDED:
            break
        tasks = ready_tasks(session, dossier)
        if tasks:
            dossiers.complete_task(session, tasks[0].id, officer_for(session, tasks[0]),
                                   answers_for(dossier, tasks[0]), clock())
            session.commit()
            done.append(tasks[0].element_id)
            continue
        _state, workflow = load_workflow(session, dossier)
        messages = [e.name for e in workflow.waiting_events() if "Message" in e.event_type]
        if messages:  # what an integration would send through POST /api/v1/dossiers/{code}/messages/{name}
            deliver_message(session, dossier, messages[0], {}, user(session, "leader1"), clock())
            session.commit()
            done.append(f"message:{messages[0]}")
            continue
        due = session.scalar(select(Timer.fire_at).where(Timer.dossier_id == dossier.id, Timer.state == "pending")
                             .order_by(Timer.fire_at).limit(1))
        assert due is not None, f"{dossier.code} ({dossier.status}) waits with no step, no message and no timer"
        clock.now = max(clock(), due)
        assert fire_due_timers(session, clock()) >= 1
    session.expire_all()
    assert dossier.status in ENDED, f"{dossier.code} still {dossier.status} after {done}"
    assert ready_tasks(session, dossier) == []
    assert session.scalar(select(Timer.id).where(Timer.dossier_id == dossier.id, Timer.state == "pending")) is None
    return done


@pytest.mark.parametrize(("name", "path"), CORPUS, ids=[n for n, _p in CORPUS])
def test_each_diagram_is_refused_clearly_or_runs_its_dossier_to_the_end(session, clock, tmp_path, name, path):
    folder = folder_of(path, tmp_path, CORPUS.index((name, path)))
    problems = check_path(folder)
    for problem in problems:
        assert_clear(problem)
    if problems:
        return
    version, _created = publish_folder(session, folder, clock(), "corpus")
    dossier = dossiers.create_dossier(session, user(session, "desk1"), version.procedure.code, "in_person",
                                      APPLICANT, {}, clock())
    session.commit()
    drive_to_end(session, clock, dossier)  # a diagram with no human step ends at once


def test_the_corpus_counts_are_written(tmp_path):
    """How many diagrams run to their end and how many are refused, by reason (test-artifacts/bpmn-corpus.txt)."""
    assert len([n for n, _p in CORPUS if n.startswith("miwg/")]) == 41, "../shared/bpmn-corpus is not there"
    outcomes: dict[str, str] = {}
    for number, (name, path) in enumerate(CORPUS):
        messages = [p.message for p in check_path(folder_of(path, tmp_path, number))]
        outcomes[name] = reason(messages) if messages else "chạy tới sự kiện kết thúc"
    counts = Counter(outcomes.values())
    lines = [f"{len(CORPUS)} sơ đồ: {counts['chạy tới sự kiện kết thúc']} chạy tới kết thúc, "
             f"{len(CORPUS) - counts['chạy tới sự kiện kết thúc']} bị từ chối", ""]
    lines += [f"{n:4d}  {label}" for label, n in counts.most_common()]
    lines += ["", *(f"{name}: {outcome}" for name, outcome in outcomes.items())]
    out = ROOT / "test-artifacts" / "bpmn-corpus.txt"
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not any(label.startswith("khác") for label in counts), lines
    assert counts["chạy tới sự kiện kết thúc"] >= 5
