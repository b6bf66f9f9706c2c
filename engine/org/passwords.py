"""Password hashing with argon2."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_HASHER = PasswordHasher()


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash (False for a malformed hash)."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


_ABSENT: list[str] = []  # a hash of nothing anyone types, made on first use


def check_password(password_hash: str | None, password: str) -> bool:
    """Whether the password matches the hash; without an account (None) it is checked against a dummy hash,
    so that a login for an unknown name takes as long as a wrong password and timing tells no names."""
    if password_hash is None:
        if not _ABSENT:
            _ABSENT.append(_HASHER.hash("\x00no such account\x00"))
        verify_password(_ABSENT[0], password)
        return False
    return verify_password(password_hash, password)
