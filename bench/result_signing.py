"""Benchmark: the time to render and sign one result (Giấy khai sinh), and to approve a dossier with it.

Usage: .venv/bin/python bench/result_signing.py [--dossiers 20] [--pg URL] [--no-sqlite]
Per result: the result.html render (Jinja), the PDF (WeasyPrint), the PAdES signature (pyHanko, a demo
PKCS#12 key, RSA 2048), the validation (pyHanko); and on each database the approval step (number, queue the
signing, commit) and the issuance that follows it (engine.printing.issuance.issue_queued: render, sign, store,
commit). Prints median and 95th percentile in milliseconds; no pass or fail.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from backends import arguments, demo_database, each_backend  # noqa: E402
from sqlalchemy import select  # noqa: E402

from engine.calendar.working import TZ  # noqa: E402
from engine.dossier import lifecycle  # noqa: E402
from engine.integrations.certificates import make_demo_keys  # noqa: E402
from engine.integrations.pades import load_roots, verify_pdf  # noqa: E402
from engine.integrations.signing import Pkcs12Signer  # noqa: E402
from engine.models import Dossier, HumanTask, User  # noqa: E402
from engine.printing import issuance, results  # noqa: E402
from forms.printing.result import render_pdf_of, render_result  # noqa: E402

APPLICANT = {"name": "Nguyễn Văn An", "id_number": "001099000001", "phone": "0912345678"}
DECLARATION = {"child_full_name": "Nguyễn Minh Khang", "child_birth_date": "2026-02-20", "child_gender": "nam",
               "child_ethnicity": "Kinh", "child_nationality": "Việt Nam", "child_birth_place": "Hà Nội",
               "mother_full_name": "Trần Thu Hà", "requester_relationship": "cha"}
PATH = [("desk1", {"intake_decision": "receive"}),
        ("specialist1", {"appraisal_decision": "propose_approve", "appraisal_opinion": "Hồ sơ hợp lệ"})]


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered) * 1000:7.1f} ms · p95 {p95 * 1000:7.1f} ms (n={len(ordered)})"


def run(name: str, url: str, count: int, keys, storage: str) -> None:
    now = datetime(2026, 3, 2, 8, 0, tzinfo=TZ)
    engine, sessions, users = demo_database(url, now)
    signer = Pkcs12Signer(keys.pkcs12, keys.passphrase)
    issuer = issuance.ResultIssuer(signer, storage, "https://motcua.example.vn")
    roots = load_roots([keys.ca_pem])
    parts: dict[str, list[float]] = {"html": [], "pdf": [], "sign": [], "verify": [], "approval": [], "issue": []}
    for i in range(count + 1):  # the first round warms the caches (fonts, imports) and is not counted
        with sessions() as s:
            dossier = lifecycle.create_dossier(s, s.get(User, users["desk1"]), "1.001193", "in_person", APPLICANT,
                                              DECLARATION, now)
            s.commit()
            dossier_id = dossier.id
        for username, data in PATH:
            with sessions() as s:
                task = s.scalar(select(HumanTask.id).where(HumanTask.dossier_id == dossier_id, HumanTask.state == "ready"))
                lifecycle.complete_task(s, task, s.get(User, users[username]), data, now)
                s.commit()
        with sessions() as s:
            dossier = s.get(Dossier, dossier_id)
            t0 = time.perf_counter()
            spec, text = results.template_of(dossier)
            html = render_result(text, results.result_context(s, dossier, number="001/2026/KS", issued_at=now,
                                                              draft=False, base_url="https://motcua.example.vn"))
            t1 = time.perf_counter()
            pdf = render_pdf_of(html)
            t2 = time.perf_counter()
            signed = signer.sign_pdf(pdf, reason="Cấp Giấy khai sinh", location="Hà Nội", reference="bench", now=now)
            t3 = time.perf_counter()
            assert verify_pdf(signed.pdf, roots).valid
            t4 = time.perf_counter()
        with sessions() as s:
            task = s.scalar(select(HumanTask.id).where(HumanTask.dossier_id == dossier_id, HumanTask.state == "ready"))
            t5 = time.perf_counter()
            lifecycle.complete_task(s, task, s.get(User, users["leader1"]), {"approval_decision": "approve"}, now,
                                    issue=issuer)
            s.commit()
            t6 = time.perf_counter()
        with sessions() as s:
            t7 = time.perf_counter()
            assert issuance.issue_queued(s, now, signer, storage) == 1
            t8 = time.perf_counter()
        if i:
            for key, value in zip(parts, (t1 - t0, t2 - t1, t3 - t2, t4 - t3, t6 - t5, t8 - t7), strict=True):
                parts[key].append(value)
    engine.dispose()
    print(f"== {name}: {count} results (Giấy khai sinh, 1 page, {len(signed.pdf) / 1024:.0f} KB signed)")
    print(f"  render result.html (Jinja)    {ms(parts['html'])}")
    print(f"  HTML → PDF (WeasyPrint)       {ms(parts['pdf'])}")
    print(f"  PAdES signature (pyHanko)     {ms(parts['sign'])}")
    print(f"  validate signature (pyHanko)  {ms(parts['verify'])}")
    print(f"  approval step, end to end     {ms(parts['approval'])}  (number, queue the signing, commit)")
    print(f"  issuance (the scheduler's)    {ms(parts['issue'])}  (render, sign, store, commit)")


def main() -> None:
    args = arguments(20)
    with tempfile.TemporaryDirectory() as tmp:
        keys = make_demo_keys(Path(tmp) / "keys", "Ủy ban nhân dân phường Hoàn Kiếm", datetime(2025, 1, 1, tzinfo=TZ),
                              valid_days=10 * 365)
        each_backend(args, lambda name, url: run(name, url, args.dossiers, keys, str(Path(tmp) / "storage")))


if __name__ == "__main__":
    main()
