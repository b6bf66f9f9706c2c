"""Demo data: Hanoi, three of its wards with desk, division and leadership, demo users, procedures."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from engine.catalogue.procedures import publish_folder
from engine.models import Unit, User
from engine.operations.lien_thong import LIEN_THONG_DIR, load_agencies, publish_lien_thong
from engine.org.accounts import create_user, ensure_unit, grant_role
from engine.org.provinces import ensure_province, import_communes, province_of, wards_of

DEMO_PASSWORD = "demo1234"
CITY_CODE = "H26"
CONSTRUCTION_DEPT = ("H26.39", "Sở Xây dựng Hà Nội")
DEMO_WARDS = 3
# username, full name, role, which unit: "ward" (the demo ward), "ward2", "city" or a unit code
DEMO_USERS = (
    ("desk1", "Nguyễn Thị Lan", "mot_cua", "ward"),
    ("specialist1", "Trần Văn Minh", "chuyen_vien", "ward"),
    ("leader1", "Lê Hoàng Nam", "lanh_dao", "ward"),
    ("analyst1", "Phạm Thu Hà", "analyst", "city"),
    ("admin1", "Đỗ Quang Huy", "admin", "city"),
    ("supervisor1", "Vũ Thị Mai", "supervisor", "city"),
    ("desk2", "Hoàng Văn Bình", "mot_cua", "ward2"),
    ("consult1", "Bùi Đức Thắng", "chuyen_vien", CONSTRUCTION_DEPT[0]),
)


def load_organisation(session: Session, wards: int = DEMO_WARDS) -> list[Unit]:
    """Hanoi, its construction department and its first `wards` wards, each with its sub-units."""
    province = province_of(1)
    city, _created = ensure_province(session, province, CITY_CODE)
    ensure_unit(session, CONSTRUCTION_DEPT[0], CONSTRUCTION_DEPT[1], "department", city)
    return import_communes(session, city, wards_of(province)[:wards]).communes


def load_users(session: Session, wards: list[Unit], now: datetime) -> None:
    """The demo users of DESIGN.md (password demo1234), each with their role grant."""
    places = {"ward": wards[0], "ward2": wards[1], "city": session.scalar(select(Unit).where(Unit.code == CITY_CODE))}
    for username, full_name, role, where in DEMO_USERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = create_user(session, username, full_name, DEMO_PASSWORD, now, f"{username}@motcua.example.vn")
        unit = places.get(where) or session.scalar(select(Unit).where(Unit.code == where))
        grant_role(session, user, unit, role)


def default_procedures_dir() -> Path:
    """The procedures/ folder of this repository."""
    return Path(__file__).resolve().parents[2] / "procedures"


def load_demo(session: Session, now: datetime, procedures_dir: Path | None = None) -> list[str]:
    """Load everything (idempotent); returns one line per procedure published or already current."""
    wards = load_organisation(session)
    load_users(session, wards, now)
    lines = []
    folder_of_procedures = procedures_dir or default_procedures_dir()
    for folder in sorted(folder_of_procedures.iterdir()):
        if (folder / "procedure.yaml").is_file():
            version, created = publish_folder(session, folder, now, "demo", "Dữ liệu mẫu")
            state = "đã công bố" if created else "không đổi"
            lines.append(f"{version.procedure.code} phiên bản {version.number} ({state})")
    if (folder_of_procedures / LIEN_THONG_DIR).is_dir():  # the liên thông agencies, members and groups
        load_agencies(session, wards, now, DEMO_PASSWORD)
        lines += publish_lien_thong(session, folder_of_procedures / LIEN_THONG_DIR, now)
    return lines


def demo_ward(session: Session) -> Unit | None:
    """The demo ward: where the demo leader (leader1) signs."""
    leader = session.scalar(select(User).where(User.username == "leader1"))
    return leader.grants[0].unit if leader and leader.grants else None


def demo_signing_keys(folder: Path, unit_name: str, now: datetime):
    """A demo CA and a signing certificate for the unit named `unit_name` in `folder` (kept when already there
    and valid at `now`). Returns (DemoKeys, created). For demonstrations only: a real unit signs with the
    certificate a licensed CA issued it."""
    from engine.integrations.certificates import DEMO_PASSPHRASE, DemoKeys, make_demo_keys
    from engine.integrations.signing import Pkcs12Signer, SigningError

    existing = folder / "demo-signer.p12"
    if existing.is_file() and (folder / "demo-ca.pem").is_file():
        try:
            cert = Pkcs12Signer(existing, DEMO_PASSPHRASE)._load(now).signing_cert
            end = cert["tbs_certificate"]["validity"]["not_after"].native
            return DemoKeys(folder / "demo-ca.pem", existing, DEMO_PASSPHRASE, cert.subject.human_friendly, end), False
        except SigningError:
            pass
    return make_demo_keys(folder, unit_name, now), True
