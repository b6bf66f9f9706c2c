"""Cron `timeCycle` timers as Camunda 7 writes them (Quartz syntax), on APScheduler's cron trigger.

Camunda 7 accepts in `timeCycle` either an ISO 8601 repeating interval (`R3/PT1H`, `R/PT1H`,
`R3/2026-03-02T08:00/P1D`, handled by bpmn.timers) or a Quartz cron expression of six or seven fields:
`seconds minutes hours day-of-month month day-of-week [year]`, for example `0 0 9 ? * MON-FRI` (9:00 every
weekday) or `0 0/30 8-17 * * ?`. Read here:

- `*`, `?` (no value), lists `a,b`, ranges `a-b`, steps `a/n` and `a-b/n`, month names `JAN`-`DEC`,
  day names `SUN`-`SAT` or numbers `1`-`7` (Quartz: 1 is Sunday);
- `L` in day-of-month (the last day), `xL` (the last such weekday of the month, `6L`: last Friday) and
  `x#n` (the n-th such weekday, `2#1`: first Monday) in day-of-week.

Not read, and refused by the check with the reason: `W` (nearest weekday), `LW`, and five-field Unix cron
(Camunda 7 needs the seconds field first). A cron timer repeats until its activity ends. With
`camunda:property name="working_time" value="true"` on the event it fires only on working days of the
unit's calendar (holidays and weekends skipped; a day made a working day counts).
"""
from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime, timedelta, tzinfo

from apscheduler.triggers.cron import CronTrigger

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")  # Quartz numbers 1..7
ORDINALS = {"1": "1st", "2": "2nd", "3": "3rd", "4": "4th", "5": "5th"}
CRON_CHARS = re.compile(r"^[0-9A-Za-z*?/,#\-]+$")
MAX_SKIPPED = 400  # occurrences looked at for a working day before giving up (more than a year of days)


class CronError(ValueError):
    """A cron expression that cannot be read; the message, in Vietnamese, says why and what to write."""


def looks_like_cron(text: str | None) -> bool:
    """Whether a timer value is written as cron (fields separated by spaces, cron characters only)."""
    fields = (text or "").split()
    return len(fields) >= 5 and all(CRON_CHARS.match(f) for f in fields) and not (text or "").strip().startswith("R")


def _day_of_week(field: str) -> tuple[str, str]:
    """(APScheduler day, day_of_week) for a Quartz day-of-week field."""
    def name(token: str) -> str:
        token = token.lower()
        if token.isdigit():
            number = int(token)
            if not 1 <= number <= 7:
                raise CronError(f"thứ trong tuần '{token}' phải từ 1 (Chủ nhật) đến 7 (thứ Bảy)")
            return DAY_NAMES[number - 1]
        if token[:3] in DAY_NAMES and len(token) == 3:
            return token
        raise CronError(f"thứ trong tuần '{token}' không đọc được (1-7 hoặc SUN-SAT)")

    if field in ("*", "?"):
        return "", "*"
    nth = re.fullmatch(r"(\w+)#([1-5])", field)
    if nth:
        return f"{ORDINALS[nth.group(2)]} {name(nth.group(1))}", "*"
    last = re.fullmatch(r"(\w+)L", field, re.IGNORECASE)
    if last:
        return f"last {name(last.group(1))}", "*"
    parts = []
    for item in field.split(","):
        step = ""
        if "/" in item:
            item, step = item.split("/", 1)
            step = "/" + step
        bounds = [name(b) for b in item.split("-")] if item not in ("*", "?") else ["*"]
        parts.append("-".join(bounds) + step)
    return "", ",".join(parts)


def trigger(text: str, zone: tzinfo) -> CronTrigger:
    """The trigger of a Quartz cron expression; CronError says what is wrong."""
    fields = text.split()
    if len(fields) == 5:
        raise CronError("biểu thức cron của Camunda 7 có 6 hoặc 7 trường, bắt đầu bằng giây "
                        "(ví dụ '0 0 9 ? * MON-FRI': 9 giờ mỗi ngày thứ Hai đến thứ Sáu)")
    if len(fields) not in (6, 7):
        raise CronError(f"biểu thức cron cần 6 hoặc 7 trường (giây phút giờ ngày tháng thứ [năm]), đang có {len(fields)}")
    second, minute, hour, dom, month, dow, *year = fields
    if "W" in dom.upper():
        raise CronError(f"'{dom}' (ngày làm việc gần nhất, W) chưa được hỗ trợ; hãy ghi ngày cụ thể hoặc dùng "
                        "camunda:property working_time=true để chỉ hẹn vào ngày làm việc")
    if dom in ("?", "*") and dow in ("?", "*"):
        dom = "*"
    day = "last" if dom.upper() == "L" else ("*" if dom == "?" else dom)
    nth_day, day_of_week = _day_of_week(dow)
    if nth_day:
        day = nth_day
    try:
        return CronTrigger(second=second, minute=minute, hour=hour, day=day, month=month.lower(),
                           day_of_week=day_of_week, year=year[0] if year else None, timezone=zone)
    except ValueError as err:
        raise CronError(f"biểu thức cron '{text}' không đọc được ({err})") from err


def next_fire(text: str, after: datetime, zone: tzinfo,
              working_day: Callable[[date], bool] | None = None) -> datetime | None:
    """The first occurrence strictly after `after` (on a working day when `working_day` is given); None if none."""
    cron = trigger(text, zone)
    moment = after
    for _ in range(MAX_SKIPPED):
        upcoming = cron.get_next_fire_time(None, moment + timedelta(seconds=1))
        if upcoming is None:
            return None
        if working_day is None or working_day(upcoming.astimezone(zone).date()):
            return upcoming
        moment = upcoming
    return None


def cron_problem(text: str) -> str | None:
    """Why a cron timeCycle cannot run, or None when it can."""
    try:
        trigger(text, datetime.now().astimezone().tzinfo)
    except CronError as err:
        return str(err)
    return None
