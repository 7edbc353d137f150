"""Which days get marked for a rebuild: the placed day and today when an order is paid, refunded or
cancelled (domain events), the day of an event stored late; and the bookkeeping of a rollup."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from analytics.models import RollupDay
from analytics.rollups.calendar import today
from analytics.rollups.services import rollup_day, rollup_days_dirty_mark, rollup_dirty
from analytics.services import events_flush
from common.tracking import track
from tests.analytics.rollups.builders import at, order_at, pay
from tests.orders.factories import purchasable_variant

pytestmark = pytest.mark.django_db

D = date(2026, 3, 10)


def _dirty():
    return set(RollupDay.objects.filter(dirty=True).values_list("day", flat=True))


def test_paying_an_order_marks_the_day_it_was_placed_and_today(django_capture_on_commit_callbacks):
    order = order_at(at(D, "10:00"), lines=[(purchasable_variant(price=1000), 1)])

    with django_capture_on_commit_callbacks(execute=True):
        pay(order)

    assert _dirty() == {D, today()}


def test_an_event_stored_after_its_day_marks_that_day_and_todays_events_mark_nothing():
    track(event_type="page_view", session_key="v" * 20, occurred_at=at(D, "12:00"))
    track(event_type="page_view", session_key="w" * 20)

    assert events_flush() == 2

    assert _dirty() == {D}


def test_a_rollup_clears_the_mark_unless_the_day_was_marked_again_meanwhile():
    rollup_days_dirty_mark(days=[D, D + timedelta(days=1)])
    rollup_day(day=D)
    assert _dirty() == {D + timedelta(days=1)}

    rollup_days_dirty_mark(days=[D])
    RollupDay.objects.filter(day=D).update(marked_at=timezone.now() + timedelta(minutes=5))
    rollup_day(day=D)

    assert _dirty() == {D, D + timedelta(days=1)}
    row = RollupDay.objects.get(day=D)
    assert row.rolled_at is not None


def test_the_dirty_days_are_rolled_up_oldest_first():
    rollup_days_dirty_mark(days=[D + timedelta(days=2), D])

    assert rollup_dirty() == [D, D + timedelta(days=2)]
    assert _dirty() == set()
