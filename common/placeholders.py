"""Recognising stand-in values of secrets (used by the system checks of marketplace and payments)."""

from __future__ import annotations

# Words that only a stand-in value contains (Django's own "django-insecure-" prefix, our embedded
# fallbacks, localstripe's dummies, "placeholder" in examples). Real keys are random.
PLACEHOLDER_MARKERS = ("insecure", "placeholder", "localstripe", "changeme", "change-me")


def placeholder_marker(value: str) -> str | None:
    """The stand-in word ``value`` contains, if any."""
    lowered = value.lower()
    return next((marker for marker in PLACEHOLDER_MARKERS if marker in lowered), None)
