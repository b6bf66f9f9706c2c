"""Procedure folders: procedure.yaml, process.bpmn and *.form files, hashed by content."""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE_FILE = "procedure.yaml"


class FolderError(Exception):
    """A procedure folder that cannot be read; the message names the file."""


@dataclass(frozen=True)
class ProcedureFolder:
    """The files of one procedure: catalogue entry, process diagrams and forms."""

    path: str
    catalogue: dict[str, Any]
    files: dict[str, str]

    @property
    def bpmn_files(self) -> dict[str, str]:
        """The BPMN files, name -> XML text."""
        return {n: t for n, t in self.files.items() if n.endswith(".bpmn")}

    @property
    def form_files(self) -> dict[str, str]:
        """The form-js files, name -> JSON text."""
        return {n: t for n, t in self.files.items() if n.endswith(".form")}

    @property
    def content_hash(self) -> str:
        """SHA-256 over every file's name and content: equal content, equal hash."""
        return content_hash(self.files)


def diagram_roots(files: dict[str, str]):
    """(name, lxml root) of each well-formed .bpmn file, by name; malformed files are the checker's business."""
    from lxml import etree

    for name, text in sorted(files.items()):
        if not name.endswith(".bpmn"):
            continue
        try:
            yield name, etree.fromstring(text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
        except etree.XMLSyntaxError:
            continue


def content_hash(files: dict[str, str]) -> str:
    """The version key of a set of files."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode("utf-8") + b"\0")
    return digest.hexdigest()


def read_folder(path: str | Path) -> ProcedureFolder:
    """Read a procedure folder; FolderError names the file that is missing or malformed."""
    root = Path(path)
    if not root.is_dir():
        raise FolderError(f"{root}: không phải thư mục thủ tục")
    files: dict[str, str] = {}
    for item in sorted(root.iterdir()):
        if item.is_file() and item.suffix in (".bpmn", ".form", ".yaml", ".yml", ".html"):
            try:
                files[item.name] = item.read_text(encoding="utf-8")
            except UnicodeDecodeError as err:
                raise FolderError(f"{item}: không phải văn bản UTF-8 ({err.reason})") from err
    if CATALOGUE_FILE not in files:
        raise FolderError(f"{root / CATALOGUE_FILE}: thiếu tệp mô tả thủ tục")
    catalogue = parse_catalogue(files[CATALOGUE_FILE], str(root / CATALOGUE_FILE))
    if not any(n.endswith(".bpmn") for n in files):
        raise FolderError(f"{root}: thiếu tệp quy trình .bpmn")
    return ProcedureFolder(str(root), catalogue, files)


REQUIRED_KEYS = ("code", "name", "time_limit")


def parse_catalogue(text: str, filename: str) -> dict[str, Any]:
    """Parse procedure.yaml and check the keys the engine relies on (a fresh dict each call: callers may change it).

    A published version's text never changes, and steps read it often (the result's register, the fees), so
    the parse is kept per text; libyaml's loader when PyYAML has it."""
    return copy.deepcopy(_parsed_catalogue(text, filename))


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
YAML_WORDS = (  # the YAML reader's commonest complaints, in words an analyst reads
    ("did not find expected ',' or ']'", "thiếu dấu ']' đóng danh sách hoặc dấu ',' giữa các mục"),
    ("did not find expected ',' or '}'", "thiếu dấu '}' đóng bảng hoặc dấu ',' giữa các mục"),
    ("mapping values are not allowed", "dấu ':' không được đặt ở đây (giá trị có dấu ':' cần đặt trong ngoặc kép)"),
    ("did not find expected node content", "thiếu giá trị: một danh sách '[' hay bảng '{' chưa đóng, hoặc dòng bị cắt"),
    ("could not find expected ':'", "thiếu dấu ':' giữa khóa và giá trị"),
    ("that cannot start any token", "có ký tự không được mở đầu giá trị (thường là tab: YAML chỉ thụt lề bằng dấu cách)"),
    ("did not find expected key", "thụt lề không khớp với các dòng trên"),
    ("found undefined alias", "dùng một bí danh (*…) chưa được khai báo"),
    ("found unexpected end of stream", "tệp kết thúc khi một chuỗi trong ngoặc kép chưa đóng"),
)


@lru_cache(maxsize=256)
def _parsed_catalogue(text: str, filename: str) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_LOADER)  # noqa: S506  (a safe loader: SafeLoader or its C twin)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        where = f":{mark.line + 1}" if mark else ""
        column = f", cột {mark.column + 1}" if mark else ""
        problem = str(getattr(err, "problem", err) or "")
        said = next((words for english, words in YAML_WORDS if english in problem), None)
        detail = said or f"trình đọc YAML báo: {problem}"
        raise FolderError(f"{filename}{where}: YAML không hợp lệ{column}: {detail}") from err
    if not isinstance(data, dict):
        raise FolderError(f"{filename}: phải là một bảng khóa: giá trị")
    missing = [k for k in REQUIRED_KEYS if not data.get(k)]
    if missing:
        raise FolderError(f"{filename}: thiếu khóa {', '.join(missing)}")
    data["code"] = str(data["code"])
    limit = data["time_limit"]
    if not isinstance(limit, dict) or limit.get("unit") not in ("working_days", "working_hours") \
            or not isinstance(limit.get("value"), (int, float)) or limit["value"] < 0:
        raise FolderError(f"{filename}: time_limit phải có dạng {{value: số ≥ 0, unit: working_days|working_hours}}")
    if data.get("supplement_clock", "pause") not in ("pause", "restart"):
        raise FolderError(f"{filename}: supplement_clock phải là pause hoặc restart")
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in data.items()}
