"""Clock: the statutory clock of dossiers and steps over each unit's calendar.

- statutory: each unit's calendar, the statutory due time, step due times, pause and resume.
- calendar_days: admins' extra days off and make-up working days; asking the clock for a due time.
- announced: the shipped legal calendar (engine/data/calendar_vn.toml) in the calendar table, and the
  expected (dự kiến) days no announcement confirms.
- due_soon: the one definition of "due soon" (the unit's warning lead).
- lateness: early / on time / late for steps and dossiers; the control slip (form 06).
- online_answer: the 8-working-hour rule for answering an online submission at the desk.
- handling_time: a released dossier's handling time in working minutes.
"""
