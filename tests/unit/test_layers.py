"""The layers keep their arrows: engine, bpmn and forms load no web framework."""
import subprocess
import sys


def test_importing_the_engine_loads_no_flask():
    code = ("import sys, engine.dossiers, engine.catalogue, engine.workflow, engine.demo, bpmn.check, forms; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'webapp', 'werkzeug')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
