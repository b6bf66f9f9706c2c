"""The document store under concurrency: the same file uploaded by sixteen clients at once."""
from __future__ import annotations

import hashlib
import os
import threading

from engine.dossier.documents import blob_path, store
from tests.reliability.helpers import CLIENTS


def test_sixteen_writers_of_the_same_file_store_it_once_whole_without_an_error(tmp_path):
    """Before each writer had its own temporary file, most of them failed with FileNotFoundError."""
    errors: list[BaseException] = []
    for round_ in range(5):
        storage = tmp_path / f"store{round_}"
        content = b"%PDF-1.4\n" + os.urandom(1024 * 1024)
        barrier = threading.Barrier(CLIENTS)

        def write(barrier=barrier, storage=storage, content=content) -> None:
            barrier.wait()
            try:
                store(storage, content)
            except BaseException as err:  # noqa: BLE001 - collected for the assertion
                errors.append(err)

        threads = [threading.Thread(target=write) for _ in range(CLIENTS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        digest = hashlib.sha256(content).hexdigest()
        assert hashlib.sha256(blob_path(storage, digest).read_bytes()).hexdigest() == digest
        assert [p.name for p in storage.rglob("*") if p.is_file()] == [digest]  # no temporary file left
    assert errors == []
