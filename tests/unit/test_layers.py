"""The layers keep their arrows: engine, bpmn and forms load no web framework, and inside engine/ every
import (at module level or inside a function) goes down the packages' order, never up or round a circle."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "engine"
# Bottom to top; packages on one rank may not import each other, but for the ground's three (the models
# stand on ground.db and ground.events writes models; the circle check keeps them apart).
ORDER = [
    {"ground", "models", "migrations"},
    {"calendar"},
    {"org"},
    {"clock"},
    {"catalogue"},
    {"integrations"},
    {"messaging"},
    {"dossier"},
    {"applicants", "printing", "supervision", "operations"},
]
RANK = {package: rank for rank, packages in enumerate(ORDER) for package in packages}


def engine_modules() -> dict[str, Path]:
    """Every module of engine/, by dotted name (migration scripts aside: Alembic loads them by path)."""
    found = {}
    for path in sorted(ENGINE.rglob("*.py")):
        if "versions" in path.parts:
            continue
        name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = engine_modules()


def imports_of(name: str, path: Path) -> set[str]:
    """The engine modules that `name` imports anywhere in its body."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(parts + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
        for target in targets:
            while target and target not in MODULES:
                target = target.rpartition(".")[0]
            if target and target.startswith("engine.") and target != name:
                found.add(target)
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def package_of(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def test_every_engine_package_has_a_rank():
    packages = {package_of(name) for name in MODULES} - {None}
    assert packages <= set(RANK), f"packages without a place in the order: {packages - set(RANK)}"


def test_engine_has_no_loose_modules_outside_its_packages():
    loose = [name for name, path in MODULES.items() if name.count(".") == 1 and path.name != "__init__.py"]
    assert loose == [], f"modules directly under engine/: {loose}"


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_go_only_down_the_order(name):
    here = package_of(name)
    if here is None:
        return
    upward = [target for target in GRAPH[name] if package_of(target) != here
              and RANK[package_of(target)] >= RANK[here] and not RANK[package_of(target)] == RANK[here] == 0]
    assert upward == [], f"{name} imports {upward}, which are not below {here}"


def test_engine_modules_import_no_circle():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(GRAPH.get(node, ())):
            if state.get(target) == 1:
                return stack[stack.index(target):] + [target]
            if target not in state and (circle := visit(target)):
                return circle
        stack.pop()
        state[node] = 2
        return None

    for module in sorted(GRAPH):
        if module not in state and (circle := visit(module)):
            pytest.fail("import circle: " + " → ".join(circle))


def test_every_package_says_what_each_of_its_modules_holds():
    for init in sorted(ENGINE.glob("*/__init__.py")):
        if init.parent.name in {"models", "migrations", "supervision"}:
            continue
        text = init.read_text()
        for module in sorted(init.parent.glob("*.py")):
            if module.name != "__init__.py":
                assert module.stem in text, f"{init.relative_to(ROOT)} does not mention {module.stem}"


def test_importing_every_engine_module_loads_no_flask():
    names = ", ".join(sorted(n for n in MODULES if n != "engine.migrations.env"))
    code = (f"import sys, bpmn.check, forms, {names}; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('flask', 'webapp', 'werkzeug')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_engine_reads_no_environment():
    """Settings reach the engine as arguments; only a child process may inherit the environment whole."""
    reads = re.compile(r"os\.environ(\.get\(|\[)|getenv\(")
    readers = [name for name, path in MODULES.items() if reads.search(path.read_text())]
    assert readers == [], f"engine modules reading the environment: {readers}"


def test_forms_read_no_clock():
    """What "today" is comes from the caller (the ward's date in Vietnam), never from the server's clock."""
    clocks = re.compile(r"\b(date\.today|datetime\.now|datetime\.utcnow|time\.time)\(")
    readers = [str(path.relative_to(ROOT)) for path in sorted((ROOT / "forms").rglob("*.py"))
               if clocks.search(path.read_text())]
    assert readers == [], f"forms/ modules reading the clock: {readers}"
