"""Calendar: pure working-time arithmetic in Vietnam's time (no database, no session).

- working: WorkingCalendar (holidays, swapped days, admins' days) adding and measuring working time.
- hours: office hours, working-time budgets (ISO 8601 durations), MINUTES_PER_WORKING_DAY.
"""
