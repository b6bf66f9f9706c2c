"""Camunda 7's JUEL conditions of the common shapes become our restricted Python; the rest is refused."""
from __future__ import annotations

import pytest

from bpmn.juel import to_python


@pytest.mark.parametrize(("juel", "python"), [
    ("${approved}", "approved"),
    ("${!approved}", "not approved"),
    ("${amount > 1000}", "amount > 1000"),
    ("${x == 'y'}", "x == 'y'"),
    ('#{x != "y"}', 'x != "y"'),
    ("${a && !b || c}", "a and not b or c"),
    ("${empty note}", "not note"),
    ("${not empty note}", "not not note"),
    ("${n eq 3 and m ge 2 or k lt 1}", "n == 3 and m >= 2 or k < 1"),
    ("${paid == true && fee == null}", "paid == True and fee == None"),
    ("${not(approved)}", "not ( approved )"),
])
def test_a_common_shape_translates(juel, python):
    assert to_python(juel) == python


@pytest.mark.parametrize("juel", ["${x.y}", '${execution.getVariable("a")}', "${a ? b : c}", "${list[0]}",
                                  "${fn(a)}", "${}", "approved", "${a instanceof b}"])
def test_anything_else_is_not_guessed(juel):
    assert to_python(juel) is None
