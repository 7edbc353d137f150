"""The generation of the cached storefront listings (see ``catalog.selectors`` and the shop views).

Every cached listing (page ids, counts, facets, rendered grids) has the current generation in its key.
A write that changes what listings show starts a new generation once it commits, so shoppers see the
change on their next request; untouched entries simply expire.
"""

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

LISTING_VERSION_KEY = "catalog:listing-version"
# Each process remembers the generation this long, saving a cache round trip on every page: another
# process's change reaches this one's listings at most this late (this process's own changes at once).
LOCAL_MEMO_SECONDS = 1.0

_memo: dict[str, tuple[float, object]] = {}


def memo_get(key: str, load: Callable[[], object], *, seconds: float = LOCAL_MEMO_SECONDS) -> object:
    """``load()``, remembered in this process for ``seconds`` (for small, hot, shared cache values)."""
    now = time.monotonic()
    hit = _memo.get(key)
    if hit is not None and hit[0] > now:
        return hit[1]
    value = load()
    _memo[key] = (now + seconds, value)
    return value


def memo_forget(key: str) -> None:
    _memo.pop(key, None)


def memo_clear() -> None:
    """Forget everything this process remembers (tests call it with ``cache.clear()``)."""
    _memo.clear()


def _listing_version_load() -> int:
    version = cache.get(LISTING_VERSION_KEY)
    if version is None:
        cache.add(LISTING_VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(LISTING_VERSION_KEY, 0)
    return version


def listing_version() -> int:
    return memo_get(LISTING_VERSION_KEY, _listing_version_load)


def listing_version_renew() -> None:
    """Start a new generation now (for callers that already run after the commit, like subscribers)."""
    cache.set(LISTING_VERSION_KEY, time.time_ns(), timeout=None)
    memo_forget(LISTING_VERSION_KEY)


def listing_cache_invalidate() -> None:
    """Start a new generation now (outside a transaction) or when the current transaction commits
    (so a concurrent reader cannot cache the old state under the new generation)."""
    transaction.on_commit(listing_version_renew)


# A product page also shows stock, which changes far more often than listings do (every order): each
# product has a generation of its own, renewed by every stock change, for its cached page.
PRODUCT_VERSION_KEY = "catalog:product-version:{}"
PRODUCT_VERSION_SECONDS = 24 * 60 * 60  # far longer than any page stays cached


def product_version(product_id: int) -> int:
    return cache.get(PRODUCT_VERSION_KEY.format(product_id), 0)


def product_cache_invalidate(product_id: int) -> None:
    key = PRODUCT_VERSION_KEY.format(product_id)
    transaction.on_commit(lambda: cache.set(key, time.time_ns(), PRODUCT_VERSION_SECONDS))
