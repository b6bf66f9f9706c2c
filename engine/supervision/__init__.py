"""Giám sát, đánh giá: dashboards, lists, quarterly reports and evaluation indicators.

Numbers for a unit roll up its whole subtree; every number is one filter (metrics) that both
counts and lists; online_answers measures the desk's 8-working-hour rule for online submissions.
No web framework here.
"""
from engine.supervision.dashboard import Dashboard, dashboard
from engine.supervision.evaluation import Decree61Score, average_scores, evaluate_returned, period_averages
from engine.supervision.index766 import GROUPS, Indicator, indicators, one_stop_measure
from engine.supervision.lists import Page, dossier_list
from engine.supervision.metrics import METRIC_LABELS, Window, window
from engine.supervision.report import quarterly_report
from engine.supervision.scope import (
    Period,
    check_supervises,
    default_unit,
    parse_quarter,
    recent_quarters,
    supervised_units,
    unit_by_code,
)

__all__ = [
    "Dashboard", "Decree61Score", "GROUPS", "Indicator", "METRIC_LABELS", "Page", "Period", "Window",
    "average_scores", "check_supervises", "dashboard", "default_unit", "dossier_list", "evaluate_returned",
    "indicators", "one_stop_measure", "period_averages", "parse_quarter", "quarterly_report", "recent_quarters",
    "supervised_units", "unit_by_code", "window",
]
