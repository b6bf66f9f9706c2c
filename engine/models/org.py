"""Organisation units (a tree whose levels are data), users and their role grants."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engine.ground.db import Base

DEFAULT_OFFICE_HOURS = "07:30-11:30,13:00-17:00"


class Unit(Base):
    """Đơn vị: a node of the organisation tree (city, ward, desk, division, department)."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    level: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    admin_code: Mapped[str | None] = mapped_column(String(20))
    office_hours: Mapped[str] = mapped_column(String(80), default=DEFAULT_OFFICE_HOURS)
    same_day_cutoff: Mapped[str] = mapped_column(String(5), default="15:00")
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])


class User(Base):
    """An official or an administrator who logs in."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(255))
    email: Mapped[str | None] = mapped_column(String(255))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    # bumped on logout, password change, deactivation and role change: every session and token ends
    session_version: Mapped[int] = mapped_column(default=0, server_default="0")
    # set when an admin chose the password (a new account, a reset): the web asks for a new one first
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    grants: Mapped[list[RoleGrant]] = relationship(back_populates="user", lazy="selectin")


class RoleGrant(Base):
    """A role held by a user in one unit; a person may hold several."""

    __tablename__ = "role_grant"
    __table_args__ = (UniqueConstraint("user_id", "unit_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))

    user: Mapped[User] = relationship(back_populates="grants")
    unit: Mapped[Unit] = relationship()


class RateLimitHit(Base):
    """Hits of one key (a client address, or everyone) in one fixed window: a rate limit that every worker
    process shares, because it lives in the database (engine.org.throttle)."""

    __tablename__ = "rate_limit_hit"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
