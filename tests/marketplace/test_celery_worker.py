"""Tasks cross the real broker to a real ``celery worker`` process and back (PostgreSQL + Redis only)."""

from datetime import UTC, datetime

import pytest

from analytics.models import Event
from analytics.tasks import events_flush_task
from common.tracking import track
from common.tracking_buffer import get_buffer
from marketplace.celery import ping
from tests.factories import UserFactory

pytestmark = [pytest.mark.services, pytest.mark.usefixtures("celery_worker_process", "transactional_db")]


def test_ping_round_trips_through_the_worker():
    result = ping.delay("x")

    assert result.get(timeout=20) == "pong:x"


def test_events_flush_task_drains_the_redis_buffer_into_the_database():
    shopper = UserFactory()
    seen_at = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    track(
        event_type="page_view",
        user_id=shopper.pk,
        session_key="visitor-1",
        path="/p/radio/",
        occurred_at=seen_at,
    )
    track(
        event_type="add_to_cart",
        session_key="visitor-2",
        object_type="catalog.product",
        object_id=42,
        properties={"quantity": 2},
        occurred_at=seen_at,
    )
    assert len(get_buffer()) == 2

    written = events_flush_task.delay().get(timeout=20)

    assert written == 2
    assert len(get_buffer()) == 0
    rows = list(
        Event.objects.order_by("type").values_list(
            "type", "user_id", "session_key", "object_type", "object_id", "properties", "path", "occurred_at"
        )
    )
    assert rows == [
        ("add_to_cart", None, "visitor-2", "catalog.product", "42", {"quantity": 2}, "", seen_at),
        ("page_view", shopper.pk, "visitor-1", "", "", {}, "/p/radio/", seen_at),
    ]
