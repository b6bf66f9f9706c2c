"""Which process of a procedure folder a dossier starts, and the call activities between the folder's files.

A folder may hold several .bpmn files (Camunda 7 deploys them together): the processes they call with
`callActivity calledElement="…"` are run from there. The entry is the one executable process that no call
activity of the folder calls; none, or more than one, is ambiguous and refused at check (mark the others
`isExecutable="false"` or call them), never settled by which file sorts first.
"""
from __future__ import annotations

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"


def _processes(roots) -> list[tuple[str, object]]:
    return [(name, p) for name, root in roots for p in root.iter(f"{{{BPMN}}}process")]


def executable(roots) -> list[tuple[str, object]]:
    """(file, process element) of every executable process of the folder."""
    return [(name, p) for name, p in _processes(roots) if p.get("isExecutable", "true") == "true"]


def calls(roots) -> list[tuple[str, object]]:
    """(file, callActivity element) of every call activity of the folder."""
    return [(name, el) for name, root in roots for el in root.iter(f"{{{BPMN}}}callActivity")]


def entry_candidates(roots) -> list[tuple[str, object]]:
    """The executable processes no call activity of the folder calls."""
    called = {el.get("calledElement") for _name, el in calls(roots)}
    return [(name, p) for name, p in executable(roots) if p.get("id") not in called]


def entry_process(roots) -> str | None:
    """The id of the folder's entry process, None when there is not exactly one."""
    candidates = entry_candidates(roots)
    return candidates[0][1].get("id") if len(candidates) == 1 else None


def folder_problems(roots) -> list[tuple[str, object, str]]:
    """(file, element, message) for an ambiguous or missing entry and for calls to nothing in the folder."""
    out = []
    processes = {p.get("id"): p for _name, p in _processes(roots)}
    for name, el in calls(roots):
        target = el.get("calledElement")
        if not target:
            out.append((name, el, "gọi tiến trình (callActivity) chưa có calledElement; hãy ghi mã quy trình "
                                  "được gọi (id của một bpmn:process trong thư mục thủ tục)"))
        elif target not in processes:
            out.append((name, el, f"gọi tiến trình '{target}' không có trong thư mục thủ tục; hãy thêm tệp .bpmn "
                                  f"có <bpmn:process id=\"{target}\"> hoặc sửa calledElement"))
    runnable = executable(roots)
    candidates = entry_candidates(roots)
    if runnable and not candidates:
        name, process = runnable[0]
        out.append((name, process, "mọi quy trình thực thi đều được gọi từ quy trình khác, không có quy trình "
                                   "nào để bắt đầu hồ sơ; hãy bỏ callActivity gọi quy trình chính"))
    elif len(candidates) > 1:
        ids = ", ".join(f"{p.get('id')} ({name})" for name, p in candidates)
        name, process = candidates[1]
        out.append((name, process, f"có {len(candidates)} quy trình có thể bắt đầu hồ sơ: {ids}; thủ tục chỉ bắt "
                                   "đầu từ một quy trình: hãy đặt isExecutable=\"false\" cho các quy trình không "
                                   "chạy, hoặc gọi chúng bằng callActivity từ quy trình chính"))
    return out
