"""``/healthz``: is each backing service reachable? JSON, 200 when all are, 503 otherwise."""

import time

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        detail = check()
    except Exception as exc:
        return {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
    result = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
    if detail:
        result["detail"] = detail
    return result


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    cache.set("healthz", "1", 10)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not return the value just written")
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def _broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "none (tasks run in-process)"
    from marketplace.celery import app

    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)
    return conn.transport_cls if isinstance(conn.transport_cls, str) else "connected"


@never_cache
@require_GET
def healthz(request):
    checks = {"database": _timed(_database), "cache": _timed(_cache), "broker": _timed(_broker)}
    ok = all(c["ok"] for c in checks.values())
    return JsonResponse({"status": "ok" if ok else "error", "checks": checks}, status=200 if ok else 503)
