"""Where tracked events wait before they are written in bulk.

Recording an event must not cost a database round trip on hot pages, so ``track`` only appends a JSON
dict to a buffer:

* with Redis configured, an ``RPUSH`` to a Redis list (shared by every web process); the periodic
  Celery task ``analytics.events_flush`` drains it with one ``INSERT`` per batch;
* embedded (no Redis), an in-process list that writes one bulk ``INSERT`` when it reaches
  ``ANALYTICS_BUFFER_SIZE`` events or is older than ``ANALYTICS_BUFFER_SECONDS``, and at process exit.

The collector is infrastructure every app uses, so it lives in ``common``; the analytics app, which
owns the ``Event`` table, drains it and registers the embedded flush with ``flush_handler_set`` (an
app below analytics never imports it).
"""

from __future__ import annotations

import atexit
import contextlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any, cast

from django.conf import settings

REDIS_KEY = "analytics:events"


class MemoryBuffer:
    """Holds events as JSON text, like Redis does, so both backends fail (or not) on the same input."""

    def __init__(self) -> None:
        self._items: list[str] = []
        self._lock = threading.Lock()
        self._oldest = 0.0

    def push(self, raw: str) -> None:
        with self._lock:
            if not self._items:
                self._oldest = time.monotonic()
            self._items.append(raw)
            due = (
                len(self._items) >= settings.ANALYTICS_BUFFER_SIZE
                or time.monotonic() - self._oldest >= settings.ANALYTICS_BUFFER_SECONDS
            )
        if due:
            _flush(buffer=self)

    def pop_batch(self, limit: int) -> list[dict[str, Any]]:
        with self._lock:
            batch, self._items = self._items[:limit], self._items[limit:]
        return [json.loads(r) for r in batch]

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


class RedisBuffer:
    def __init__(self, url: str) -> None:
        import redis

        self._client = redis.Redis.from_url(url)

    def push(self, raw: str) -> None:
        self._client.rpush(REDIS_KEY, raw)

    def pop_batch(self, limit: int) -> list[dict[str, Any]]:
        # redis-py types every reply for sync and async clients alike; a sync LPOP with a count is a list.
        raw = cast("list[bytes]", self._client.lpop(REDIS_KEY, limit) or [])
        return [json.loads(r) for r in raw]

    def __len__(self) -> int:
        return int(self._client.llen(REDIS_KEY))

    def clear(self) -> None:
        self._client.delete(REDIS_KEY)


_flush_handler: Callable[..., int] | None = None


def flush_handler_set(handler: Callable[..., int]) -> None:
    """``handler(buffer=None)`` writes the buffered events out (set by the analytics app at start-up)."""
    global _flush_handler
    _flush_handler = handler


def _flush(**kwargs: Any) -> None:
    if _flush_handler is not None:
        _flush_handler(**kwargs)


_buffer: MemoryBuffer | RedisBuffer | None = None
_buffer_lock = threading.Lock()


def get_buffer() -> MemoryBuffer | RedisBuffer:
    global _buffer
    if _buffer is None:
        with _buffer_lock:
            if _buffer is None:
                _buffer = RedisBuffer(settings.REDIS_URL) if settings.REDIS_URL else MemoryBuffer()
                if isinstance(_buffer, MemoryBuffer):
                    atexit.register(_flush_at_exit)
    return _buffer


def _flush_at_exit() -> None:
    # The interpreter is going away; nothing useful to do with a failure.
    with contextlib.suppress(Exception):
        _flush()
