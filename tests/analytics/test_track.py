import json

import pytest
from django.utils import timezone

from analytics.models import Event
from analytics.services import events_flush
from common.tracking import track
from common.tracking_buffer import MemoryBuffer, get_buffer
from common.useragents import classify_user_agent
from tests.factories import ProductFactory, UserFactory

CHROME_DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"
SAFARI_IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
SAFARI_IPAD = (
    "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0"
)
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.mark.parametrize(
    ("agent", "expected"),
    [
        (CHROME_DESKTOP, "desktop"),
        (SAFARI_IPHONE, "mobile"),
        (SAFARI_IPAD, "tablet"),
        (GOOGLEBOT, "bot"),
        ("curl/8.5.0", "bot"),
        ("", "bot"),
        ("SomethingUnknown/1.0", "other"),
    ],
)
def test_classify_user_agent(agent, expected):
    assert classify_user_agent(agent) == expected


@pytest.mark.django_db
def test_track_buffers_without_a_query_and_flush_writes_the_event(django_assert_num_queries):
    user = UserFactory()
    product = ProductFactory()

    with django_assert_num_queries(0):
        track(
            event_type="add_to_cart",
            user_id=user.id,
            session_key="v" * 32,
            obj=product,
            properties={"quantity": 2},
            utm={"source": "newsletter", "medium": "email", "campaign": "autumn"},
            user_agent=SAFARI_IPHONE,
        )
    assert Event.objects.count() == 0

    assert events_flush() == 1

    event = Event.objects.get()
    assert event.type == "add_to_cart"
    assert event.user_id == user.id
    assert event.object_type == "catalog.product"
    assert event.object_id == str(product.pk)
    assert event.properties == {"quantity": 2}
    assert (event.utm_source, event.utm_medium, event.utm_campaign) == ("newsletter", "email", "autumn")
    assert event.user_agent_class == "mobile"
    assert event.is_bot is False
    assert timezone.is_aware(event.occurred_at)


@pytest.mark.django_db
def test_track_never_raises_into_the_caller():
    # A value that cannot be serialised is logged and dropped; the purchase that called track goes on.
    track(event_type="order_placed", properties={"bad": object()})

    assert events_flush() == 0


@pytest.mark.django_db
def test_track_truncates_overlong_text_fields():
    track(event_type="page_view", path="/" + "x" * 1000, referrer="https://r.example/" + "y" * 1000)

    events_flush()
    event = Event.objects.get()
    assert len(event.path) == 300
    assert len(event.referrer) == 500


@pytest.mark.django_db
def test_memory_buffer_writes_one_batch_when_full(settings):
    settings.ANALYTICS_BUFFER_SIZE = 3
    settings.ANALYTICS_BUFFER_SECONDS = 3600
    buffer = MemoryBuffer()
    item = {
        "type": "page_view",
        "user_id": None,
        "session_key": "",
        "object_type": "",
        "object_id": "",
        "properties": {},
        "path": "/",
        "referrer": "",
        "utm_source": "",
        "utm_medium": "",
        "utm_campaign": "",
        "user_agent_class": "desktop",
        "is_bot": False,
        "is_operator": False,
        "occurred_at": timezone.now().isoformat(),
    }

    raw = json.dumps(item)

    buffer.push(raw)
    buffer.push(raw)
    assert Event.objects.count() == 0
    buffer.push(raw)

    assert Event.objects.count() == 3
    assert len(buffer) == 0


def test_buffer_backend_follows_redis_setting(settings):
    expected = "RedisBuffer" if settings.REDIS_URL else "MemoryBuffer"

    assert type(get_buffer()).__name__ == expected
