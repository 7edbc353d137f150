"""Transparent retry of a transaction chosen as a deadlock (or serialization) victim.

Locks are taken in one documented order everywhere (``orders.lifecycle.locks``: the order, then its
seller orders by id, then the payment, then refunds), rows are locked alone (``of=("self",)``) and
orders and their parts FOR NO KEY UPDATE (a deferred foreign-key check at commit does not wait for
that), so a deadlock means a path outside that order; this is the safety net, not the mechanism.
The victim's transaction was rolled back as a whole, so running it again is safe: a service
decorated with ``retry_on_deadlock`` (outside ``transaction.atomic``) is re-run a few times with a short
random pause instead of answering a 500. Inside an outer transaction it is not retried (the outer one
is the unit that was rolled back, and retries belong to it)."""

from __future__ import annotations

import functools
import logging
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from django.db import OperationalError, connection

logger = logging.getLogger(__name__)

P = ParamSpec("P")
R = TypeVar("R")

ATTEMPTS = 4
# SQLSTATEs of a transaction chosen as a victim: deadlock_detected, serialization_failure.
VICTIM_SQLSTATES = frozenset({"40P01", "40001"})


def is_deadlock_victim(exc: BaseException) -> bool:
    cause = exc.__cause__ or exc.__context__
    return getattr(cause, "sqlstate", None) in VICTIM_SQLSTATES


def retry_on_deadlock(func: Callable[P, R]) -> Callable[P, R]:
    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(1, ATTEMPTS + 1):
            try:
                return func(*args, **kwargs)
            except OperationalError as exc:
                if connection.in_atomic_block or attempt == ATTEMPTS or not is_deadlock_victim(exc):
                    raise
                logger.warning("%s was a deadlock victim (attempt %d); retrying", func.__qualname__, attempt)
                time.sleep(random.uniform(0.01, 0.05) * attempt)  # noqa: S311 - jitter, not security
        raise AssertionError("unreachable")  # pragma: no cover

    return wrapper
