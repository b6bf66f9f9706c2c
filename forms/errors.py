"""Exceptions raised by the :mod:`forms` package."""

from __future__ import annotations


class FormError(Exception):
    """A form definition file is malformed (bad JSON or bad structure).

    ``str(error)`` is ``"<filename>: <message>"``. For malformed JSON,
    :attr:`line` and :attr:`column` hold the position of the problem and the
    message names the line.
    """

    def __init__(self, filename: str, message: str, *, line: int | None = None, column: int | None = None):
        """Create the error for ``filename`` with a human readable ``message``."""
        self.filename = filename
        self.message = message
        self.line = line
        self.column = column
        super().__init__(f"{filename}: {message}")

    def __str__(self) -> str:
        """Return ``"<filename>: <message>"``."""
        return f"{self.filename}: {self.message}"


class FormValidationError(Exception):
    """Submitted data does not satisfy a form.

    :attr:`fields` maps each bad field key to one Vietnamese message; every bad
    field of the submission is reported at once.
    """

    def __init__(self, fields: dict[str, str]):
        """Create the error from a mapping of field key to message."""
        self.fields = dict(fields)
        super().__init__(self._summary())

    def _summary(self) -> str:
        """Summarise the errors in one line."""
        count = len(self.fields)
        details = "; ".join(f"{key}: {message}" for key, message in self.fields.items())
        return f"Dữ liệu không hợp lệ ({count} trường có lỗi): {details}"

    def __str__(self) -> str:
        """Return a one-line summary naming every bad field."""
        return self._summary()
