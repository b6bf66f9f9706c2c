"""Sao lưu và phục hồi: the database and the document store in one folder, with a manifest of checksums.

A backup folder holds
- `database.dump` (PostgreSQL, `pg_dump --format=custom`) or `database.sqlite` (SQLite's online backup API,
  consistent while the server writes),
- `files.tar`: the document store (STORAGE_DIR: files named by their SHA-256, engine.dossier.documents),
- `manifest.json`: when, which backend and schema revision, the SHA-256 and size of both archives, the
  hash of every stored file, and how many dossiers and documents the database held.

The database is dumped first, the files after: a document row can only exist once its file is written
(engine.dossier.documents.store), so every document in the dump finds its file in the tar; files written
after the dump are harmless extras. Restore checks every checksum before it writes anything, refuses
to overwrite a database that already has tables (unless `replace`), loads the database, unpacks the
files (regular files only, inside the store), and checks that the restored dossiers and documents
match the manifest and every document's file is there with its hash.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, inspect, select, text
from sqlalchemy.engine import URL, make_url

from engine.ground.db import make_engine, make_session_factory
from engine.ground.errors import DomainError
from engine.models import Document, Dossier

FORMAT = 1
MANIFEST = "manifest.json"
FILES = "files.tar"
DUMPS = {"postgresql": "database.dump", "sqlite": "database.sqlite"}
CHUNK = 1024 * 1024


class BackupError(DomainError):
    """A backup or restore that cannot be done; the message says what and where."""

    code = "backup_failed"


@dataclass(frozen=True)
class Result:
    """What a backup or restore did, for the command line."""

    folder: Path
    manifest: dict

    def summary(self) -> str:
        """One line: dossiers, documents, files and where."""
        counts, files = self.manifest["counts"], self.manifest["files"]
        return (f"{counts['dossiers']} hồ sơ, {counts['documents']} tài liệu, {len(files['entries'])} tệp "
                f"({files['size']} byte) — {self.folder}")


def sha256_of(path: Path) -> str:
    """The SHA-256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def backend_of(database_url: str) -> str:
    """`postgresql` or `sqlite`; BackupError for anything else."""
    name = make_url(database_url).get_backend_name()
    if name not in DUMPS:
        raise BackupError(f"Không sao lưu được cơ sở dữ liệu loại {name}; chỉ PostgreSQL và SQLite")
    return name


# --- backup -----------------------------------------------------------------------------------------------


def backup(database_url: str, storage_dir: str | Path, folder: str | Path, now: datetime) -> Result:
    """Write a backup of the database and the document store into `folder` (new or empty)."""
    folder, storage = Path(folder), Path(storage_dir)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"Thư mục sao lưu {folder} đã có dữ liệu; hãy chọn một thư mục mới hoặc rỗng")
    backend = backend_of(database_url)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # personal data: for the operator's eyes only
    dump = folder / DUMPS[backend]
    revision, counts = _describe(database_url)
    if backend == "postgresql":
        _pg_dump(database_url, dump)
    else:
        _sqlite_copy(_sqlite_path(database_url), dump)
    entries = _tar_store(storage, folder / FILES)
    manifest = {
        "format": FORMAT, "created_at": now.isoformat(), "backend": backend, "alembic_revision": revision,
        "counts": counts,
        "database": {"file": dump.name, "sha256": sha256_of(dump), "size": dump.stat().st_size},
        "files": {"file": FILES, "sha256": sha256_of(folder / FILES), "size": (folder / FILES).stat().st_size,
                  "entries": entries},
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")
    return Result(folder, manifest)


def _describe(database_url: str) -> tuple[str | None, dict]:
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            revision = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
            counts = {"dossiers": session.scalar(select(func.count(Dossier.id))),
                      "documents": session.scalar(select(func.count(Document.id)))}
    except Exception as err:  # noqa: BLE001 - reported as a clear message
        raise BackupError(f"Không đọc được cơ sở dữ liệu {_safe(database_url)}: {err}") from err
    finally:
        engine.dispose()
    return revision, counts


def _tar_store(storage: Path, target: Path) -> dict[str, str]:
    """Tar the store's regular files (relative names); returns name -> SHA-256 of each."""
    entries: dict[str, str] = {}
    with tarfile.open(target, "w") as tar:
        if storage.is_dir():
            for path in sorted(p for p in storage.rglob("*") if p.is_file() and not p.is_symlink()):
                if path.suffix == ".part":
                    continue  # a write in progress (engine.dossier.documents.store); its row is not committed
                name = path.relative_to(storage).as_posix()
                entries[name] = sha256_of(path)
                tar.add(path, arcname=name, recursive=False)
    return entries


def _sqlite_path(database_url: str) -> Path:
    database = make_url(database_url).database
    if not database or database == ":memory:":
        raise BackupError("Cơ sở dữ liệu SQLite trong bộ nhớ không sao lưu được")
    return Path(database)


def _sqlite_copy(source: Path, target: Path) -> None:
    """SQLite's online backup API: a consistent copy even while other connections write."""
    if not source.exists():
        raise BackupError(f"Không có tệp cơ sở dữ liệu {source}")
    src, dst = sqlite3.connect(source), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """Connection options for pg_dump/pg_restore, the password in the environment (not the process list)."""
    args = []
    if url.host:
        args += ["--host", url.host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    return args, env


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(f"Không tìm thấy {name} trên PATH; cài gói postgresql-client cùng phiên bản với máy chủ")
    return path


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise BackupError(f"{what} thất bại (mã {done.returncode}): {done.stderr.strip()[-2000:]}")


def _pg_dump(database_url: str, target: Path) -> None:
    url = make_url(database_url)
    args, env = _libpq(url)
    _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", *args, "--file", str(target),
          "--dbname", url.database or ""], env, "pg_dump")


# --- restore ----------------------------------------------------------------------------------------------


def read_manifest(folder: str | Path) -> dict:
    """The folder's manifest, with both archives checked against their checksums; BackupError otherwise."""
    folder = Path(folder)
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"Thư mục {folder} không phải bản sao lưu: thiếu {MANIFEST}")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
        parts = (manifest["database"], manifest["files"])
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{MANIFEST}: định dạng {manifest.get('format')} không được hỗ trợ (cần {FORMAT})")
    except (ValueError, KeyError, TypeError) as err:
        raise BackupError(f"{path}: tệp kê khai hỏng ({err})") from err
    for part in parts:
        file = folder / str(part["file"])
        if not file.is_file():
            raise BackupError(f"Bản sao lưu thiếu tệp {file.name}")
        if sha256_of(file) != part["sha256"]:
            raise BackupError(f"Tệp {file.name} trong bản sao lưu không khớp mã băm ghi trong {MANIFEST}; không phục hồi")
    return manifest


def restore(database_url: str, storage_dir: str | Path, folder: str | Path, replace: bool = False) -> Result:
    """Load a backup folder into the (empty, unless `replace`) database and the document store, then verify it."""
    folder, storage = Path(folder), Path(storage_dir)
    manifest = read_manifest(folder)
    backend = backend_of(database_url)
    if manifest["backend"] != backend:
        raise BackupError(f"Bản sao lưu là của {manifest['backend']}, không phục hồi vào {backend}")
    with tarfile.open(folder / FILES) as tar:
        members = _checked_members(tar, manifest["files"]["entries"])
    if not replace and _has_tables(database_url, backend):
        raise BackupError(f"Cơ sở dữ liệu {_safe(database_url)} đã có dữ liệu; dùng --replace để ghi đè")
    dump = folder / manifest["database"]["file"]
    if backend == "postgresql":
        _pg_restore(database_url, dump, replace)
    else:
        _sqlite_restore(dump, _sqlite_path(database_url))
    _unpack(folder / FILES, members, storage, manifest["files"]["entries"])
    _verify(database_url, storage, manifest)
    return Result(folder, manifest)


def _checked_members(tar: tarfile.TarFile, entries: dict[str, str]) -> list[str]:
    names = []
    for member in tar.getmembers():
        name = member.name
        if not member.isfile() or name.startswith("/") or ".." in Path(name).parts or name not in entries:
            raise BackupError(f"{FILES}: mục {name!r} không hợp lệ (chỉ nhận tệp thường có trong {MANIFEST})")
        names.append(name)
    missing = set(entries) - set(names)
    if missing:
        raise BackupError(f"{FILES} thiếu {len(missing)} tệp ghi trong {MANIFEST}, ví dụ {sorted(missing)[0]}")
    return names


def _has_tables(database_url: str, backend: str) -> bool:
    if backend == "sqlite" and not _sqlite_path(database_url).exists():
        return False
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            return bool(inspect(conn).get_table_names())
    except Exception as err:  # noqa: BLE001 - reported as a clear message
        raise BackupError(f"Không kết nối được cơ sở dữ liệu đích {_safe(database_url)}: {err}") from err
    finally:
        engine.dispose()


def _pg_restore(database_url: str, dump: Path, replace: bool) -> None:
    url = make_url(database_url)
    args, env = _libpq(url)
    clean = ["--clean", "--if-exists"] if replace else []
    _run([_tool("pg_restore"), "--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", *clean,
          *args, "--dbname", url.database or "", str(dump)], env, "pg_restore")


def _sqlite_restore(dump: Path, target: Path) -> None:
    """Copy the backup into the target through the backup API (readers of the target see old or new, whole)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    src, dst = sqlite3.connect(dump), sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _unpack(tar_path: Path, names: list[str], storage: Path, entries: dict[str, str]) -> None:
    """Write each file into the store through a temporary name, checked against its hash before it lands."""
    storage.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tar_path) as tar:
        for name in names:
            target = storage / name
            handle = tar.extractfile(name)
            content = handle.read() if handle else b""
            if hashlib.sha256(content).hexdigest() != entries[name]:
                raise BackupError(f"Tệp {name} trong {FILES} không khớp mã băm; dừng phục hồi")
            if target.is_file() and sha256_of(target) == entries[name]:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=target.parent, delete=False) as tmp:
                shutil.copyfileobj(io.BytesIO(content), tmp)
            os.replace(tmp.name, target)


def _verify(database_url: str, storage: Path, manifest: dict) -> None:
    from engine.dossier.documents import blob_path

    _revision, counts = _describe(database_url)
    if counts != manifest["counts"]:
        raise BackupError(f"Sau phục hồi có {counts}, bản sao lưu ghi {manifest['counts']}")
    engine = make_engine(database_url)
    try:
        with make_session_factory(engine)() as session:
            for sha, filename in session.execute(select(Document.sha256, Document.filename)):
                path = blob_path(storage, sha)
                if not path.is_file() or sha256_of(path) != sha:
                    raise BackupError(f"Tài liệu {filename} không có tệp đúng mã băm trong kho sau phục hồi")
    finally:
        engine.dispose()


def _safe(database_url: str) -> str:
    return make_url(database_url).render_as_string(hide_password=True)
