"""Platform days: a day is [local midnight, next local midnight) in ``settings.ANALYTICS_TIME_ZONE``,
held as UTC instants, so a day across a DST change has 23 or 25 hours and every instant is in one day."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone


@dataclass(frozen=True)
class Span:
    start: datetime  # UTC, included
    end: datetime  # UTC, excluded


def platform_tz() -> ZoneInfo:
    return ZoneInfo(settings.ANALYTICS_TIME_ZONE)


def day_span(day: date) -> Span:
    """The UTC instants of a platform day (a local midnight that a DST change skips is its first instant)."""
    tz = platform_tz()
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    return Span(start.astimezone(UTC), end.astimezone(UTC))


def local_day(moment: datetime) -> date:
    """The platform day an instant falls on."""
    return moment.astimezone(platform_tz()).date()


def local_hour(moment: datetime) -> datetime:
    """The start of the platform-local hour an instant falls in, as a UTC instant (the two 01:00 hours of
    a night the clocks go back stay apart; a half-hour offset zone's hours start at :30 UTC)."""
    local = moment.astimezone(platform_tz())
    return local.replace(minute=0, second=0, microsecond=0).astimezone(UTC)


def today(now: datetime | None = None) -> date:
    return local_day(now or timezone.now())


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    first = month_start(day)
    return date(first.year + first.month // 12, first.month % 12 + 1, 1)


def days(start: date, end: date) -> Iterator[date]:
    """Every day from ``start`` to ``end``, both included."""
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


def events_cutoff(now: datetime | None = None) -> datetime:
    """Events before this instant are pruned (``ANALYTICS_EVENT_RETENTION_DAYS``)."""
    return (now or timezone.now()) - timedelta(days=settings.ANALYTICS_EVENT_RETENTION_DAYS)
