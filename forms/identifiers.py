"""Số định danh, thư điện tử, số điện thoại: the one check of each, for forms, the counter, accounts and adapters."""
from __future__ import annotations

import re

CITIZEN_ID_RE = re.compile(r"[0-9]{12}")
EMAIL_RE = re.compile(r"[\w.+-]+@(?:[\w-]+\.)+[\w-]{2,}", re.ASCII)
PHONE_RE = re.compile(r"(?:\+|00)?[1-9]\d{7,14}|0\d{8,10}")
PHONE_SEPARATORS = re.compile(r"[\s.()-]")


def is_citizen_id(text: str) -> bool:
    """A 12-digit personal identification number (số định danh cá nhân, CCCD)."""
    return bool(CITIZEN_ID_RE.fullmatch(text))


def is_email(text: str) -> bool:
    """An e-mail address the way form-js checks it (``name@domain.tld``)."""
    return bool(EMAIL_RE.fullmatch(text))


def is_phone(text: str) -> bool:
    """A Vietnamese ``0xxxxxxxxx`` or international ``+84...`` number; spaces, dots, dashes and brackets allowed."""
    return bool(PHONE_RE.fullmatch(PHONE_SEPARATORS.sub("", text)))
