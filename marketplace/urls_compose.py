"""Helpers for composing an app's URL patterns with pages from ``marketplace.pages``."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.urls import URLPattern, URLResolver


def patterns_with_views(
    patterns: Sequence[URLPattern | URLResolver], **views: Callable
) -> list[URLPattern | URLResolver]:
    """``patterns`` with the view of each named pattern replaced (the route and name stay the app's).
    Naming a pattern that does not exist is an error, so a renamed URL cannot silently drop a page."""
    unknown = set(views) - {getattr(p, "name", None) for p in patterns}
    if unknown:
        raise LookupError(f"no URL patterns named {sorted(unknown)}")
    composed: list[URLPattern | URLResolver] = []
    for pattern in patterns:
        view = views.get(getattr(pattern, "name", None) or "")
        if view is not None and isinstance(pattern, URLPattern):
            pattern = URLPattern(pattern.pattern, view, pattern.default_args, pattern.name)
        composed.append(pattern)
    return composed
