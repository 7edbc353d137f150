"""Domain errors raised by services; views map them to form errors, the API to 400s."""


class ApplicationError(Exception):
    """A business rule refused the request. ``extra`` carries field-level details for the API."""

    def __init__(self, message: str, *, extra: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
