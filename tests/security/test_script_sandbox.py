"""Scripts and conditions inside diagrams cannot reach files, the network or the interpreter's insides.

Each escape is tried twice: the check (what `motcua procedures check` and the studio report) must
name it, and a diagram that skipped the check must still fail when its script task runs, leaving
no file behind and nothing in the process data.
"""
from __future__ import annotations

import pytest

from bpmn.scripts import RestrictedEnvironment, ScriptRefused, script_problems
from tests.unit.test_scripts import _run

MARKER = "/tmp/motcua-sandbox-escape"  # noqa: S108 - the file an escape would write
ESCAPES = {
    "open a file": f"open('{MARKER}', 'w').write('x')",
    "import os": "import os\nos.system('touch " + MARKER + "')",
    "from-import": "from subprocess import run\nrun(['touch', '" + MARKER + "'])",
    "__import__": "m = __import__('os')",
    "network": "s = __import__('socket').create_connection(('example.com', 80))",
    "urllib": "import urllib.request\nr = urllib.request.urlopen('http://example.com')",
    "builtins dict": "f = __builtins__['open']",
    "eval": "x = eval('1 + 1')",
    "exec": "exec('y = 1')",
    "compile": "c = compile('1', 'f', 'eval')",
    "globals": "g = globals()",
    "vars": "v = vars()",
    "getattr chain": "o = getattr(getattr(max, '__self__'), 'open')",
    "class mro": "k = ().__class__.__mro__[1].__subclasses__()",
    "class bases": "k = ''.__class__.__bases__[0].__subclasses__()",
    "type()": "k = type(1).__subclasses__(object)",
    "builtin's module": "m = max.__self__",
    "bound method's self": "s = [].append.__self__",
    "function globals": "def f():\n    return 1\ng = f.__globals__",
    "function code": "def f():\n    return 1\nc = f.__code__",
    "format attribute": "s = '{0.__class__.__mro__}'.format(1)",
    "format_map": "s = '{x.__init__.__globals__}'.format_map({'x': 1})",
    "generator frame": "g = (i for i in [1])\nf = g.gi_frame.f_back.f_globals",
    "generator code": "def gen():\n    yield 1\nc = gen().gi_code",
    "frame builtins": "g = (i for i in [1])\nb = g.gi_frame.f_builtins",
    "traceback frame": "try:\n    1 / 0\nexcept Exception as e:\n    f = e.__traceback__.tb_frame",
    "class statement": "class A:\n    pass",
    "lambda": "f = lambda: 1",
    "async": "async def f():\n    pass",
    "global": "def f():\n    global x\n    x = 1",
    "dunder name": "d = __name__",
    "breakpoint": "breakpoint()",
    "object": "o = object.__subclasses__()",
    "mro via str": "o = str.mro()[-1].__subclasses__()",
}


@pytest.fixture(autouse=True)
def no_marker():
    import os

    if os.path.exists(MARKER):
        os.remove(MARKER)
    yield
    assert not os.path.exists(MARKER), "a script wrote a file"


@pytest.mark.parametrize("source", list(ESCAPES.values()), ids=list(ESCAPES))
def test_the_check_names_every_escape(source):
    problems = script_problems(source, "exec")
    assert problems and all(isinstance(p, str) and p for p in problems)


@pytest.mark.parametrize("source", list(ESCAPES.values()), ids=list(ESCAPES))
def test_an_escape_run_directly_is_refused_and_changes_no_data(source):
    data = {"fee": 1}
    with pytest.raises(ScriptRefused):
        RestrictedEnvironment().execute(source, data)
    assert data == {"fee": 1}


def _refusal_in(error: BaseException) -> bool:
    seen = []
    while error is not None and error not in seen:
        seen.append(error)
        if isinstance(error, ScriptRefused):
            return True
        error = getattr(error, "error", None) or error.__cause__ or error.__context__
    return False


@pytest.mark.parametrize("name", ["open a file", "import os", "network", "getattr chain", "class mro",
                                  "generator frame", "format attribute", "traceback frame"])
def test_a_diagram_that_skipped_the_check_cannot_escape_when_its_script_task_runs(name):
    source = ESCAPES[name].replace("<", "&lt;")
    with pytest.raises(Exception) as caught:  # noqa: PT011 - SpiffWorkflow wraps the refusal
        _run(source)
    assert _refusal_in(caught.value)


@pytest.mark.parametrize("condition", [
    "open('/etc/passwd').read() != ''",
    "__import__('os') is not None",
    "().__class__.__mro__[1] is not None",
    "'{0.__class__}'.format(fee) != ''",
    "[x for x in (1,)].__class__ is list",
])
def test_a_gateway_condition_cannot_escape_either(condition):
    with pytest.raises(ScriptRefused):
        RestrictedEnvironment().evaluate(condition, {"fee": 1})


def test_data_typed_by_an_applicant_stays_data_and_is_never_run():
    payload = "__import__('os').system('touch " + MARKER + "')"
    data = {"ho_ten": payload}
    assert RestrictedEnvironment().evaluate("ho_ten", data) == payload
    RestrictedEnvironment().execute("greeting = f'Kính gửi {ho_ten}'", data)
    assert data["greeting"] == "Kính gửi " + payload


def test_a_script_may_still_do_its_honest_work():
    data = {"area": 120, "documents": ["don", "ban_ve"]}
    RestrictedEnvironment().execute("fee = 500000 if area > 100 else 0\nn = len(sorted(documents))", data)
    assert data["fee"] == 500000 and data["n"] == 2
