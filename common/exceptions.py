"""Domain errors raised by services; views map them to form errors, the API to 400s."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


class ApplicationError(Exception):
    """A business rule refused the request. ``extra`` carries field-level details for the API."""

    def __init__(self, message: str | _StrPromise, *, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
