"""Time every analytics page over HTTP against a running server, as the operator and the busiest seller
that ``benchmarks/analytics_data.py`` made, for a 90-day and a two-year range; then count each page's
SQL queries in-process (Django's test client, same database) and print the slowest query of the slowest
page.

    DJANGO_SETTINGS_MODULE=marketplace.settings python benchmarks/analytics_pages.py BASE_URL REQUESTS FIRST LAST

Requests are sequential (one connection, keep-alive) after two warm-ups per URL, so a figure is one
page's own latency on the 2 workers, not a throughput; the reference is /healthz in the same sitting.
"""

from __future__ import annotations

import http.client
import os
import statistics
import subprocess
import sys
import time
import urllib.parse
from importlib import import_module
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import SellerProfile, User  # noqa: E402
from orders.models import SellerOrder  # noqa: E402

OPS_PAGES = [
    "/ops/analytics/",
    "/ops/analytics/traffic/",
    "/ops/analytics/products/",
    "/ops/analytics/sellers/",
]
SELLER_PAGES = ["/seller/analytics/", "/seller/analytics/traffic/", "/seller/analytics/products/"]
TARGET_P95_MS = 500


def _session(user: User) -> str:
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def _time(base: str, path: str, cookie: str, count: int) -> tuple[list[float], int]:
    url = urllib.parse.urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Cookie": f"sessionid={cookie}", "Host": url.hostname}
    timings, status = [], 0
    for n in range(count + 2):
        began = time.perf_counter()
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        elapsed = (time.perf_counter() - began) * 1000
        status = response.status
        if status != 200:
            raise SystemExit(f"{path}: HTTP {status}")
        if n >= 2:
            timings.append(elapsed)
    conn.close()
    return timings, status


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _queries(user: User, path: str) -> tuple[int, float, str]:
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    slowest = max(captured.captured_queries, key=lambda q: float(q["time"]), default={"time": 0, "sql": ""})
    return len(captured), float(slowest["time"]) * 1000, slowest["sql"]


def main() -> None:
    base, count, first, last = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    operator = User.objects.get(email="bench-ops@bench.invalid")
    busiest = (
        SellerOrder.objects.values("seller_id")
        .order_by()
        .annotate(n=django.db.models.Count("id"))
        .order_by("-n")
    )[0]
    seller = SellerProfile.objects.get(pk=busiest["seller_id"]).user
    ranges = {"90d": "preset=90d", "2y": f"preset=custom&start={first}&end={last}"}
    runs = [(operator, p) for p in OPS_PAGES] + [(seller, p) for p in SELLER_PAGES]
    cookies = {operator.pk: _session(operator), seller.pk: _session(seller)}

    def reference(label: str) -> None:
        timings, _ = _time(base, "/healthz", cookies[operator.pk], 200)
        print(
            f"reference /healthz ({label}): {1000 / statistics.mean(timings):.0f} req/s sequential, "
            f"p50 {_p(timings, 0.5):.1f} ms; uptime: {subprocess.check_output(['uptime'], text=True).strip()}"
        )

    print(f"seller: {seller.email} ({busiest['n']} seller orders); {count} requests per URL after 2 warm-ups")
    reference("before")
    print(
        f"{'page':<32} {'range':<5} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>7} {'slowest SQL':>11}  target p95<{TARGET_P95_MS} ms"
    )
    worst: tuple[float, str, str] = (0.0, "", "")
    for user, page in runs:
        for name, query in ranges.items():
            path = f"{page}?{query}"
            timings, _ = _time(base, path, cookies[user.pk], count)
            queries, slowest_ms, slowest_sql = _queries(user, path)
            p95 = _p(timings, 0.95)
            verdict = "met" if p95 < TARGET_P95_MS else "MISSED"
            print(
                f"{page:<32} {name:<5} {_p(timings, 0.5):7.0f}ms {p95:7.0f}ms {max(timings):7.0f}ms "
                f"{queries:>7} {slowest_ms:9.0f}ms  {verdict}",
                flush=True,
            )
            if slowest_ms > worst[0]:
                worst = (slowest_ms, path, slowest_sql)
    reference("after")
    print(f"\nslowest query ({worst[0]:.0f} ms, in-process) on {worst[1]}:\n{worst[2]}")


if __name__ == "__main__":
    main()
