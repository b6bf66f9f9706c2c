"""A small JSON-over-HTTP client (standard library only) shared by the adapters to national systems."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Any


class IntegrationError(Exception):
    """A national system could not be reached, timed out or answered with an error."""


class RemoteNotFound(IntegrationError):
    """The national system answered 404: it has no such record."""


@dataclass(frozen=True)
class JsonClient:
    """Calls `base_url` + path with JSON bodies, an API key header and a timeout in seconds."""

    base_url: str
    api_key: str | None = None
    timeout: float = 10.0

    def call(self, method: str, path: str, body: Any = None, idempotency_key: str | None = None) -> Any:
        """Send one request and return the decoded JSON answer; IntegrationError on any failure."""
        headers = {"Accept": "application/json", "Content-Type": "application/json"}
        if self.api_key:
            headers["X-Api-Key"] = self.api_key
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        data = None if body is None else json.dumps(body, ensure_ascii=False).encode()
        request = urllib.request.Request(self.base_url.rstrip("/") + path, data=data, method=method,
                                         headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                raw = response.read()
        except urllib.error.HTTPError as err:
            detail = err.read()[:500].decode(errors="replace")
            raise (RemoteNotFound if err.code == 404 else IntegrationError)(f"{method} {path}: HTTP {err.code} {detail}") from err
        except (urllib.error.URLError, TimeoutError, ConnectionError) as err:
            raise IntegrationError(f"{method} {path}: {getattr(err, 'reason', err)}") from err
        try:
            return json.loads(raw) if raw else None
        except ValueError as err:
            raise IntegrationError(f"{method} {path}: not JSON") from err
