"""Liên thông demo data: the agencies the bundled procedure groups need, their users, the groups themselves.

The commune police (công an cấp xã, unit kind `police`, code <commune>.CA) of each demo ward and Hanoi's social
insurance (bảo hiểm xã hội, unit kind `social_insurance`, H26.BHXH) are units of their own kind; police1 and
bhxh1 handle and approve there (with police_lead1, bhxh_lead1). Then the member procedures of
procedures/lien-thong/ and the groups (LT.*) are published. The codes CA.*, BHXH.* and LT.* are placeholders.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bpmn.folder import CATALOGUE_FILE, parse_catalogue
from engine.catalogue.groups import publish_group_folder
from engine.catalogue.procedures import publish_folder
from engine.models import Unit, User
from engine.org.accounts import create_user, ensure_unit, grant_role

LIEN_THONG_DIR = "lien-thong"  # under procedures/: the member procedures and the groups
SOCIAL_INSURANCE = ("H26.BHXH", "Bảo hiểm xã hội thành phố Hà Nội")
POLICE_SUFFIX, POLICE_KIND, SOCIAL_KIND = "CA", "police", "social_insurance"
USERS = (("police1", "Đinh Công Sơn", "chuyen_vien", "police"), ("police_lead1", "Ngô Văn Hải", "lanh_dao", "police"),
         ("bhxh1", "Trịnh Thị Hoa", "chuyen_vien", "bhxh"), ("bhxh_lead1", "Lý Minh Tuấn", "lanh_dao", "bhxh"))


def police_of(session: Session, commune: Unit) -> Unit:
    """The commune police unit of a commune (made when missing)."""
    return ensure_unit(session, f"{commune.code}.{POLICE_SUFFIX}", f"Công an {commune.name.removeprefix('UBND ')}",
                       POLICE_KIND, commune)


def load_agencies(session: Session, communes: list[Unit], now: datetime, password: str) -> None:
    """The commune police of each commune, the social insurance, and their demo users (idempotent)."""
    city = communes[0].parent if communes else None
    bhxh = ensure_unit(session, SOCIAL_INSURANCE[0], SOCIAL_INSURANCE[1], SOCIAL_KIND, city)
    police = [police_of(session, c) for c in communes]
    session.flush()
    for username, full_name, role, where in USERS:
        user = session.scalar(select(User).where(User.username == username))
        if user is None:
            user = create_user(session, username, full_name, password, now, f"{username}@motcua.example.vn")
        grant_role(session, user, police[0] if where == "police" and police else bhxh, role)


def publish_lien_thong(session: Session, folder: Path, now: datetime) -> list[str]:
    """Publish the member procedures, then the groups, of a lien-thong folder; one line each."""
    lines, groups = [], []
    for sub in sorted(p for p in folder.iterdir() if (p / CATALOGUE_FILE).is_file()):
        text = (sub / CATALOGUE_FILE).read_text(encoding="utf-8")
        if "group" in parse_catalogue(text, str(sub / CATALOGUE_FILE)):
            groups.append(sub)
            continue
        version, created = publish_folder(session, sub, now, "demo", "Dữ liệu mẫu")
        lines.append(f"{version.procedure.code} phiên bản {version.number} ({'đã công bố' if created else 'không đổi'})")
    for sub in groups:
        version, created = publish_group_folder(session, sub, now, "demo")
        lines.append(f"{version.procedure.code} phiên bản {version.number} ({'đã công bố' if created else 'không đổi'})")
    return lines
