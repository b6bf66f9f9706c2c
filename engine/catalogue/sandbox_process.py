"""Chạy thử in a child process: the studio's test-run of a draft, with CPU, memory and wall-clock limits.

A draft's scripts are the analyst's own code, run before anyone has reviewed them. In the web worker
they would share its memory and its time; here they run in `python -m engine.catalogue.sandbox_process`, which
sets its own limits (RLIMIT_AS, RLIMIT_CPU) before it parses the draft, and is killed after
WALL_SECONDS. Whatever happens there (a loop, a gigabyte, a crash) the caller gets a SandboxRun that
says, in words, why the run stopped; the memory goes with the process.
"""
from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict
from typing import Any

from engine.catalogue.sandbox import SandboxRun, limit_minutes

MEMORY_BYTES = 1024 * 1024 * 1024
CPU_SECONDS = 10
WALL_SECONDS = 20


def run_draft_isolated(files: dict[str, str], catalogue: dict[str, Any], decisions: dict[str, Any],
                       sample: dict[str, Any] | None = None, memory_bytes: int = MEMORY_BYTES,
                       cpu_seconds: int = CPU_SECONDS) -> SandboxRun:
    """engine.catalogue.sandbox.run_draft in a child process with limits; a run that breaks them says so."""
    payload = json.dumps({"files": files, "catalogue": catalogue, "decisions": decisions, "sample": sample,
                          "limits": [memory_bytes, cpu_seconds]}, default=str)
    stopped = None
    try:
        done = subprocess.run([sys.executable, "-m", "engine.catalogue.sandbox_process"], input=payload.encode(),
                              capture_output=True, timeout=WALL_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        stopped = f"chạy thử quá {WALL_SECONDS} giây nên đã bị dừng; hãy xem lại các kịch bản và vòng lặp"
    else:
        if done.returncode == 0:
            try:
                return SandboxRun(**json.loads(done.stdout))
            except (ValueError, TypeError):
                pass
        stopped = ("chạy thử vượt giới hạn bộ nhớ hoặc thời gian xử lý nên đã bị dừng; "
                   "hãy xem lại các kịch bản tạo dữ liệu lớn")
    return SandboxRun(limit_minutes=limit_minutes(catalogue), stopped=stopped)


def _limit_self(memory_bytes: int, cpu_seconds: int) -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_seconds, cpu_seconds))


def main() -> int:
    """Read the draft as JSON on stdin, test-run it, write the SandboxRun as JSON on stdout."""
    request = json.loads(sys.stdin.buffer.read())
    from engine.catalogue.sandbox import (
        run_draft,  # imported before the limits: the libraries are not the draft's cost
    )

    _limit_self(*request.get("limits", (MEMORY_BYTES, CPU_SECONDS)))
    try:
        run = run_draft(request["files"], request["catalogue"], request["decisions"], request.get("sample"))
    except MemoryError:
        return 3
    sys.stdout.write(json.dumps(asdict(run), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
