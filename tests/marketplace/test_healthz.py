import pytest

from marketplace.celery import app as celery_app

UNREACHABLE_BROKER = "redis://127.0.0.1:1/0"


@pytest.mark.django_db
def test_healthz_embedded_reports_every_check_ok(client, settings):
    settings.CELERY_BROKER_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["status"] == "ok"
    assert sorted(body["checks"]) == ["broker", "cache", "database"]
    assert {name: check["ok"] for name, check in body["checks"].items()} == {
        "database": True,
        "cache": True,
        "broker": True,
    }
    assert body["checks"]["broker"]["detail"] == "none (tasks run in-process)"


@pytest.mark.services
@pytest.mark.django_db
def test_healthz_on_services_reaches_postgresql_redis_cache_and_the_redis_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    checks = response.json()["checks"]
    assert checks["database"] == {"ok": True, "ms": checks["database"]["ms"], "detail": "postgresql"}
    assert checks["cache"] == {"ok": True, "ms": checks["cache"]["ms"], "detail": "RedisCache"}
    assert checks["broker"] == {"ok": True, "ms": checks["broker"]["ms"], "detail": "redis"}


@pytest.mark.django_db
def test_healthz_answers_503_naming_the_broker_when_the_broker_is_unreachable(client, settings, monkeypatch):
    # The Celery app reads Django's settings once, on first use: patch it before overriding settings,
    # or it would load (and keep) the dead broker for the rest of the session.
    monkeypatch.setattr(celery_app.conf, "broker_url", UNREACHABLE_BROKER)
    settings.CELERY_BROKER_URL = UNREACHABLE_BROKER

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["database"]["ok"] is True
    assert body["checks"]["cache"]["ok"] is True
    assert body["checks"]["broker"]["ok"] is False
    assert body["checks"]["broker"]["error"].startswith(
        "OperationalError: Error 111 connecting to 127.0.0.1:1."
    )
