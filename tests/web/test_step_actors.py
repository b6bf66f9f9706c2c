"""Who is offered a step's form: the officials who may complete it (their role in its unit and, when the
step names its officials, one of them); a leader reading another role's step, or an official the step
does not name, sees it read-only, and the engine refuses them the same way."""
from __future__ import annotations

import re

from sqlalchemy import select

from engine.models import HumanTask, HumanTaskCandidate, User
from tests.web.test_desk_pages import code_from, receive

FORM = 'action="/tasks/{id}"'


def appraisal(app, code) -> int:
    with app.extensions["motcua"]["sessions"]() as s:
        return s.scalar(select(HumanTask.id).where(HumanTask.dossier.has(code=code), HumanTask.kind == "appraisal",
                                                   HumanTask.state == "ready"))


def test_a_leader_reads_the_specialists_step_without_its_form(browser, app):
    code = code_from(receive(browser("desk1")))
    task = appraisal(app, code)
    leader = browser("leader1")
    page = leader.get(f"/tasks/{task}").get_data(as_text=True)
    assert FORM.format(id=task) not in page and "data-read-only" in page and "chỉ xem được bước này" in page
    assert leader.post(f"/tasks/{task}", {"appraisal_decision": "propose_approve",
                                          "appraisal_opinion": "x"}).status_code == 403
    page = browser("specialist1").get(f"/tasks/{task}").get_data(as_text=True)
    assert FORM.format(id=task) in page and "data-read-only" not in page


def test_a_step_naming_its_officials_is_offered_to_them_alone(browser, app):
    code = code_from(receive(browser("desk1")))
    task = appraisal(app, code)
    with app.extensions["motcua"]["sessions"]() as s:  # as camunda:candidateUsers="leader1" would name them
        s.add(HumanTaskCandidate(task_id=task, user_id=s.scalar(select(User.id).where(User.username == "leader1"))))
        s.commit()
    specialist = browser("specialist1")
    page = specialist.get(f"/tasks/{task}").get_data(as_text=True)
    assert FORM.format(id=task) not in page and "data-read-only" in page
    assert not re.search(rf'/tasks/{task}/claim', page)
    assert specialist.post(f"/tasks/{task}", {"appraisal_decision": "propose_approve",
                                              "appraisal_opinion": "x"}).status_code == 403
