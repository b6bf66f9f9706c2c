"""Timer events read time from the clock attached to the workflow, and survive save/restore."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from SpiffWorkflow.util.task import TaskState

from bpmn.folder import read_folder
from bpmn.process import parse_process
from bpmn.timers import CycleTimer, DurationTimer, TimerClock, attach_clock, pending_timers

TIMER_PROCEDURE = Path(__file__).resolve().parents[1] / "data" / "timer"
START = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội


class FakeClock(TimerClock):
    """Time stands still until a test moves it; working time counts double, to be seen."""

    zone = UTC

    def __init__(self, now: datetime) -> None:
        self.moment = now

    def now(self) -> datetime:
        return self.moment

    def after(self, start: datetime, duration: str, working_time: bool) -> datetime:
        end = super().after(start, duration, False)
        return start + (end - start) * 2 if working_time else end


def ready_names(workflow) -> list[str]:
    return [t.task_spec.bpmn_id for t in workflow.get_tasks(state=TaskState.READY, manual=True)]


def run_user_task(workflow, name: str, data: dict) -> None:
    [task] = [t for t in workflow.get_tasks(state=TaskState.READY, manual=True) if t.task_spec.bpmn_id == name]
    task.data.update(data)
    task.run()
    workflow.do_engine_steps()


def started(clock: FakeClock):
    process = parse_process(read_folder(TIMER_PROCEDURE).bpmn_files)
    workflow = process.new_workflow()
    attach_clock(workflow, clock)
    workflow.do_engine_steps()
    run_user_task(workflow, "Task_Intake", {"intake_decision": "receive"})
    return process, workflow


def test_the_working_time_property_is_read_from_the_event():
    process = parse_process(read_folder(TIMER_PROCEDURE).bpmn_files)
    definitions = {s.bpmn_id: s.event_definition for s in process.spec.task_specs.values()
                   if hasattr(s, "event_definition") and isinstance(s.event_definition, DurationTimer)}
    assert definitions["Timer_Escalate"].working_time is True
    assert definitions["Timer_Wait"].working_time is False
    assert process.has_timers


def test_a_boundary_timer_waits_for_the_attached_clock_not_the_wall_clock():
    clock = FakeClock(START)
    process, workflow = started(clock)
    [pending] = pending_timers(workflow)
    assert pending.element_id == "Timer_Escalate" and pending.fire_at == START + timedelta(hours=4)
    clock.moment = START + timedelta(hours=3, minutes=59)
    workflow.refresh_timers()
    assert ready_names(workflow) == ["Task_Appraise"]
    clock.moment = START + timedelta(hours=4)
    workflow.refresh_timers()
    workflow.do_engine_steps()
    assert ready_names(workflow) == ["Task_Escalated"] and pending_timers(workflow) == []


def test_a_waiting_timer_survives_a_save_and_restore_without_its_spec():
    clock = FakeClock(START)
    process, workflow = started(clock)
    state = process.dump(workflow)
    assert "spec" not in state
    restored = process.restore(state)
    attach_clock(restored, clock)
    assert pending_timers(restored) == pending_timers(workflow)
    clock.moment = START + timedelta(hours=5)
    restored.refresh_timers()
    restored.do_engine_steps()
    assert ready_names(restored) == ["Task_Escalated"]


def test_without_a_clock_timers_use_the_wall_clock():
    process = parse_process(read_folder(TIMER_PROCEDURE).bpmn_files)
    workflow = process.new_workflow()
    workflow.do_engine_steps()
    run_user_task(workflow, "Task_Intake", {"intake_decision": "receive"})
    [pending] = pending_timers(workflow)
    expected = datetime.now(UTC) + timedelta(hours=2)
    assert abs(pending.fire_at - expected) < timedelta(minutes=1)


CYCLE = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="D" targetNamespace="http://bpmn.io/schema/bpmn">
  <bpmn:process id="P" isExecutable="true">
    <bpmn:startEvent id="StartEvent_1"><bpmn:outgoing>F1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:userTask id="Task_Work" camunda:candidateGroups="chuyen_vien" camunda:formRef="f">
      <bpmn:incoming>F1</bpmn:incoming><bpmn:outgoing>F2</bpmn:outgoing>
    </bpmn:userTask>
    <bpmn:boundaryEvent id="Timer_Remind" attachedToRef="Task_Work" cancelActivity="false">
      <bpmn:outgoing>F3</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeCycle>R2/PT1H</bpmn:timeCycle></bpmn:timerEventDefinition>
    </bpmn:boundaryEvent>
    <bpmn:scriptTask id="Script_Count" scriptFormat="python">
      <bpmn:incoming>F3</bpmn:incoming><bpmn:outgoing>F4</bpmn:outgoing>
      <bpmn:script>reminded = True</bpmn:script>
    </bpmn:scriptTask>
    <bpmn:endEvent id="End_Remind"><bpmn:incoming>F4</bpmn:incoming></bpmn:endEvent>
    <bpmn:endEvent id="EndEvent_Done"><bpmn:incoming>F2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Task_Work" />
    <bpmn:sequenceFlow id="F2" sourceRef="Task_Work" targetRef="EndEvent_Done" />
    <bpmn:sequenceFlow id="F3" sourceRef="Timer_Remind" targetRef="Script_Count" />
    <bpmn:sequenceFlow id="F4" sourceRef="Script_Count" targetRef="End_Remind" />
  </bpmn:process>
</bpmn:definitions>"""


def test_a_repeating_timer_fires_at_each_interval_of_the_attached_clock():
    process = parse_process({"cycle.bpmn": CYCLE})
    assert any(isinstance(getattr(s, "event_definition", None), CycleTimer) for s in process.spec.task_specs.values())
    clock = FakeClock(START)
    workflow = process.new_workflow()
    attach_clock(workflow, clock)
    workflow.do_engine_steps()
    assert [p.fire_at for p in pending_timers(workflow)] == [START + timedelta(hours=1)]
    fired = []
    for hours in (1, 2, 3):
        clock.moment = START + timedelta(hours=hours)
        workflow.refresh_timers()
        workflow.do_engine_steps()
        fired.append(len([t for t in workflow.get_tasks()
                          if t.task_spec.bpmn_id == "Script_Count" and t.state == TaskState.COMPLETED]))
    assert fired == [1, 2, 2] and ready_names(workflow) == ["Task_Work"]


# --- cron timeCycle, as Camunda 7 writes it (Quartz) ---------------------------------------------------

def test_quartz_cron_expressions_are_read_as_camunda_7_reads_them():
    from zoneinfo import ZoneInfo

    from bpmn.cron import next_fire

    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=hanoi)
    assert next_fire("0 0 9 ? * MON-FRI", saturday, hanoi) == datetime(2026, 3, 9, 9, 0, tzinfo=hanoi)
    assert next_fire("0 0 9 ? * 2-6", saturday, hanoi) == datetime(2026, 3, 9, 9, 0, tzinfo=hanoi)  # 2 = Monday
    assert next_fire("0 0/30 8-17 * * ?", saturday, hanoi) == datetime(2026, 3, 7, 10, 30, tzinfo=hanoi)
    assert next_fire("0 0 8 L * ?", saturday, hanoi) == datetime(2026, 3, 31, 8, 0, tzinfo=hanoi)
    assert next_fire("0 0 8 ? * 2#1", saturday, hanoi) == datetime(2026, 4, 6, 8, 0, tzinfo=hanoi)  # first Monday
    assert next_fire("0 0 8 ? * 6L", saturday, hanoi) == datetime(2026, 3, 27, 8, 0, tzinfo=hanoi)  # last Friday
    assert next_fire("0 0 8 1 JAN ? 2020", saturday, hanoi) is None


def test_a_cron_that_camunda_7_would_not_take_or_we_do_not_read_is_refused_with_the_reason():
    from bpmn.check import check_bpmn

    def problems(cycle: str) -> list[str]:
        return [p.message for p in check_bpmn("cycle.bpmn", CYCLE.replace("R2/PT1H", cycle)) if "hẹn giờ" in p.message]

    assert problems("0 0 9 ? * MON-FRI") == []
    assert problems("0 9 * * 1-5") == ["hẹn giờ: biểu thức cron của Camunda 7 có 6 hoặc 7 trường, bắt đầu bằng giây "
                                       "(ví dụ '0 0 9 ? * MON-FRI': 9 giờ mỗi ngày thứ Hai đến thứ Sáu)"]
    assert problems("0 0 9 15W * ?")[0].startswith("hẹn giờ: '15W' (ngày làm việc gần nhất, W) chưa được hỗ trợ")
    assert problems("0 0 25 * * ?")[0].startswith("hẹn giờ: biểu thức cron '0 0 25 * * ?' không đọc được")


class WeekdayClock(FakeClock):
    """Saturdays and Sundays are not working days; 9 March 2026 is a day off too (as if announced)."""

    def is_working_day(self, day) -> bool:
        return day.weekday() < 5 and day != datetime(2026, 3, 9).date()


def _cron_workflow(cycle: str, clock: TimerClock, working_time: bool = False):
    text = CYCLE.replace("R2/PT1H", cycle)
    if working_time:
        text = text.replace('cancelActivity="false">',
                            'cancelActivity="false"><bpmn:extensionElements><camunda:properties><camunda:property '
                            'name="working_time" value="true" /></camunda:properties></bpmn:extensionElements>')
    process = parse_process({"cycle.bpmn": text})
    workflow = process.new_workflow()
    attach_clock(workflow, clock)
    workflow.do_engine_steps()
    return workflow


def test_a_cron_timer_fires_at_each_occurrence_until_its_activity_ends():
    clock = FakeClock(START)  # Monday 2 March 2026, 02:00 UTC
    workflow = _cron_workflow("0 0 3 * * ?", clock)  # 03:00 UTC every day
    assert [p.fire_at for p in pending_timers(workflow)] == [START + timedelta(hours=1)]
    for days in (0, 1, 2):
        clock.moment = START + timedelta(days=days, hours=1)
        workflow.refresh_timers()
        workflow.do_engine_steps()
    reminded = [t for t in workflow.get_tasks() if t.task_spec.bpmn_id == "Script_Count" and t.state == TaskState.COMPLETED]
    assert len(reminded) == 3
    assert [p.fire_at for p in pending_timers(workflow)] == [START + timedelta(days=3, hours=1)]
    run_user_task(workflow, "Task_Work", {})
    assert pending_timers(workflow) == [] and workflow.is_completed()


def test_a_cron_timer_counting_working_time_skips_weekends_and_days_off():
    friday = datetime(2026, 3, 6, 4, 0, tzinfo=UTC)
    clock = WeekdayClock(friday)
    workflow = _cron_workflow("0 0 3 * * ?", clock, working_time=True)
    assert [p.fire_at for p in pending_timers(workflow)] == [datetime(2026, 3, 10, 3, 0, tzinfo=UTC)]


def test_an_unbounded_iso_cycle_repeats_until_its_activity_ends():
    clock = FakeClock(START)
    workflow = _cron_workflow("R/PT1H", clock)
    for hours in (1, 2, 3, 4):
        clock.moment = START + timedelta(hours=hours)
        workflow.refresh_timers()
        workflow.do_engine_steps()
    reminded = [t for t in workflow.get_tasks() if t.task_spec.bpmn_id == "Script_Count" and t.state == TaskState.COMPLETED]
    assert len(reminded) == 4 and [p.fire_at for p in pending_timers(workflow)] == [START + timedelta(hours=5)]
