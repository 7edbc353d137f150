"""Start from a cold cache: the shared cache and what this process remembers of it."""

from django.core.cache import cache

from catalog.listing_cache import memo_clear


def caches_clear() -> None:
    cache.clear()
    memo_clear()
