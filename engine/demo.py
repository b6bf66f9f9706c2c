"""Demo data: Hanoi, three of its wards with desk, division and leadership, demo users, procedures."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session
from vietnam_provinces import Province, ProvinceCode, Ward

from engine.catalogue import publish_folder
from engine.models import Unit, User
from engine.org import create_user, ensure_unit, grant_role

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
SUBUNITS = (("MC", "Bộ phận Một cửa", "desk"), ("VP", "Văn phòng HĐND và UBND", "division"),
            ("LD", "Lãnh đạo UBND", "leadership"))


def ward_code(ward: Ward) -> str:
    """The demo agency code of a ward: the city's code and the ward's national code."""
    return f"{CITY_CODE}.{int(ward.code)}"


def load_organisation(session: Session, wards: int = DEMO_WARDS) -> list[Unit]:
    """Hanoi, its construction department and its first `wards` wards, each with its sub-units."""
    province = Province.from_code(ProvinceCode(1))
    city = ensure_unit(session, CITY_CODE, f"UBND {province.name}", "province", admin_code="01")
    ensure_unit(session, CONSTRUCTION_DEPT[0], CONSTRUCTION_DEPT[1], "department", city)
    units = []
    for ward in list(Ward.iter_by_province(ProvinceCode(1)))[:wards]:
        unit = ensure_unit(session, ward_code(ward), f"UBND {ward.name}", "commune", city,
                           admin_code=f"{int(ward.code):05d}")
        for suffix, name, level in SUBUNITS:
            ensure_unit(session, f"{unit.code}.{suffix}", f"{name} {ward.name}", level, unit)
        units.append(unit)
    return units


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
    return Path(__file__).resolve().parent.parent / "procedures"


def load_demo(session: Session, now: datetime, procedures_dir: Path | None = None) -> list[str]:
    """Load everything (idempotent); returns one line per procedure published or already current."""
    wards = load_organisation(session)
    load_users(session, wards, now)
    lines = []
    for folder in sorted((procedures_dir or default_procedures_dir()).iterdir()):
        if (folder / "procedure.yaml").is_file():
            version, created = publish_folder(session, folder, now, "demo", "Dữ liệu mẫu")
            state = "đã công bố" if created else "không đổi"
            lines.append(f"{version.procedure.code} phiên bản {version.number} ({state})")
    return lines
