"""The Stripe webhook's per-address limit (django-ratelimit) on each cache it runs on: the embedded
local-memory cache and Redis. The limit is checked before the signature, so unsigned requests count too
(400 until the limit, then 429)."""

import types

import pytest
from django.core.cache import cache
from django_ratelimit import core as ratelimit_core

URL = "/payments/webhooks/stripe/"

pytestmark = pytest.mark.django_db


def _codes(client, count: int, **extra) -> list[int]:
    return [
        client.post(URL, data=b"{}", content_type="application/json", **extra).status_code
        for _ in range(count)
    ]


@pytest.fixture
def clock(monkeypatch):
    """django-ratelimit's clock, moved by hand: its window is the current time's bucket."""
    now = [1_900_000_000.0]
    monkeypatch.setattr(ratelimit_core, "time", types.SimpleNamespace(time=lambda: now[0]))
    return now


@pytest.fixture
def locmem_cache(settings):
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "rl"}
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": settings.REDIS_URL,
            "KEY_PREFIX": "test-webhook-rate",
        }
    }
    cache.clear()
    yield
    cache.clear()


def _the_limit_applies_per_address_and_window(client, settings, clock):
    settings.STRIPE_WEBHOOK_RATE_LIMIT = 3
    settings.STRIPE_WEBHOOK_RATE_WINDOW_SECONDS = 60

    first = _codes(client, 5)
    other_address = _codes(client, 1, REMOTE_ADDR="10.0.0.9")
    clock[0] += 60
    next_window = _codes(client, 1)

    assert first == [400, 400, 400, 429, 429]
    assert other_address == [400]
    assert next_window == [400]


def test_the_limit_applies_on_the_local_memory_cache(client, settings, clock, locmem_cache):
    _the_limit_applies_per_address_and_window(client, settings, clock)


@pytest.mark.services
def test_the_limit_applies_on_redis(client, settings, clock, redis_cache):
    _the_limit_applies_per_address_and_window(client, settings, clock)


def test_the_429_answer_is_json(client, settings, locmem_cache):
    settings.STRIPE_WEBHOOK_RATE_LIMIT = 0

    response = client.post(URL, data=b"{}", content_type="application/json")

    assert response.status_code == 429
    assert response.json() == {"error": "too many requests"}


def test_the_limit_is_read_per_request(client, settings, locmem_cache):
    settings.STRIPE_WEBHOOK_RATE_LIMIT = 1
    assert _codes(client, 2) == [400, 429]

    settings.STRIPE_WEBHOOK_RATE_LIMIT = 5

    # A new limit is a new counter (django-ratelimit keys the count by the rate).
    assert _codes(client, 1) == [400]
