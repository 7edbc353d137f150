"""Domain events: the one seam for "something happened in app X, app Y reacts".

The apps are layered (``common`` < ``accounts`` < ``catalog`` < ``orders`` < ``payments`` < the consumers
``aftersales``, ``risk``, ``analytics``; ``lint-imports`` enforces it), so a lower app may never call a
higher one. When a lower app's change must have effects in a higher one (an order cancelled after payment
must be refunded by ``payments``; a paid order feeds risk, analytics, recommendations), the lower app
*publishes* an event and the higher app *subscribes* to it:

* The app that owns the fact declares the event type as a frozen dataclass of plain values (ids, codes,
  amounts) in its ``domain_events.py`` and publishes it from the service that made the change:
  ``publish(OrderPaid(order_id=order.pk))``. It never knows who listens.
* A reacting app subscribes in its ``AppConfig.ready()`` (``subscribe(OrderPaid, handler)``). A handler
  receives the event and must be quick: anything slow (a provider call, e-mail, scoring, a rollup) is
  enqueued as a Celery task, which runs in-process in the embedded mode.
* Dispatch happens after the publisher's transaction commits (``transaction.on_commit``), so a change
  that rolls back is never announced, and a handler sees the committed rows. Outside a transaction it is
  immediate. Each handler runs in its own ``on_commit`` callback with ``robust=True``: a failing handler
  is logged and neither undoes the publisher's change nor stops the other handlers. Delivery is
  at-most-once per process (no outbox): where losing a reaction would lose money, the reacting app keeps
  its own sweeper (e.g. ``payments.refunds_resume``).

Django signals are used only for Django's and allauth's own hooks (``user_logged_in``); every domain
reaction goes through this module.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import transaction


@dataclass(frozen=True)
class DomainEvent:
    """Base of every event type: a frozen dataclass of JSON-friendly values."""


E = TypeVar("E", bound=DomainEvent)
Handler = Callable[[Any], None]

_handlers: dict[type[DomainEvent], list[Handler]] = defaultdict(list)


def subscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    """Register ``handler`` for ``event_type`` (idempotent: registering the same handler twice is one)."""
    if handler not in _handlers[event_type]:
        _handlers[event_type].append(handler)


def unsubscribe(event_type: type[E], handler: Callable[[E], None]) -> None:
    if handler in _handlers.get(event_type, []):
        _handlers[event_type].remove(handler)


def subscribers(event_type: type[DomainEvent]) -> list[Handler]:
    return list(_handlers.get(event_type, []))


def publish(event: DomainEvent, *, using: str | None = None) -> None:
    """Announce ``event`` to its subscribers once the current transaction commits.

    ``DOMAIN_EVENTS_STRICT`` (on in the test suite) lets a handler's exception propagate, so a broken
    subscriber fails its test instead of only being logged."""
    robust = not getattr(settings, "DOMAIN_EVENTS_STRICT", False)
    for handler in subscribers(type(event)):
        transaction.on_commit(_runner(handler, event), using=using, robust=robust)


def _runner(handler: Handler, event: DomainEvent) -> Callable[[], None]:
    def run() -> None:
        handler(event)

    # Django's robust on_commit logs the failing callback by this name.
    run.__qualname__ = f"domain_event:{type(event).__name__}->{_name(handler)}"
    return run


def _name(handler: Handler) -> str:
    return f"{getattr(handler, '__module__', '?')}.{getattr(handler, '__qualname__', repr(handler))}"
