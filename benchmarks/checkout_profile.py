"""In-process timings of the checkout benchmark's two requests, through the whole Django stack (middleware,
session, DRF) but without gunicorn or HTTP, against the benchmark database: per-request wall time and query
count, and optionally a cProfile of the cycles.

    DATABASE_URL=... REDIS_URL=... python benchmarks/checkout_profile.py [CYCLES=300 [full|minimal]] [--profile OUT.prof]

Uses shoppers and SKUs made by ``benchmarks/checkout_prepare.py`` (it runs it for 50 shoppers first).
"""

import cProfile
import json
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

import checkout_prepare  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

ADDRESS = {
    "full_name": "Bench Shopper",
    "line1": "1 Load Street",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}


def client_for(creds: dict) -> Client:
    client = Client(
        enforce_csrf_checks=True,
        HTTP_X_CSRFTOKEN=creds["csrftoken"],
        HTTP_REFERER="http://127.0.0.1/",
        HTTP_HOST="127.0.0.1",
    )
    client.cookies["sessionid"] = creds["sessionid"]
    client.cookies["csrftoken"] = creds["csrftoken"]
    return client


def cycle(client: Client, variant_id: int, headers: dict) -> tuple[float, float, int, float, float, int]:
    connection.queries_log.clear()  # the log is a bounded deque: counting needs it short
    with CaptureQueriesContext(connection) as add_queries:
        started, cpu = time.perf_counter(), time.process_time()
        r = client.post(
            "/api/orders/cart/lines/",
            data=json.dumps({"variant": variant_id, "quantity": 1}),
            content_type="application/json",
            headers=headers,
        )
        add_ms = (time.perf_counter() - started) * 1000
        add_cpu = (time.process_time() - cpu) * 1000
    assert r.status_code == 201, (r.status_code, r.content[:300])
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as checkout_queries:
        started, cpu = time.perf_counter(), time.process_time()
        r = client.post(
            "/api/orders/checkout/",
            data=json.dumps({"shipping_address": ADDRESS}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=uuid.uuid4().hex,
        )
        checkout_ms = (time.perf_counter() - started) * 1000
        checkout_cpu = (time.process_time() - cpu) * 1000
    assert r.status_code == 201, (r.status_code, r.content[:300])
    return add_ms, add_cpu, len(add_queries), checkout_ms, checkout_cpu, len(checkout_queries)


def main(cycles: int, profile_out: str | None, cart_answer: str) -> None:
    headers = {"Prefer": "return=minimal"} if cart_answer == "minimal" else {}
    with tempfile.NamedTemporaryFile(suffix=".json") as prepared:
        checkout_prepare.main(50, 200, prepared.name, 10)
        data = json.loads(Path(prepared.name).read_text())
    clients = [client_for(c) for c in data["sessions"]]
    variants = data["variants"]
    for i in range(20):  # warm-up: imports, caches, connections
        cycle(clients[i % len(clients)], variants[i % len(variants)], headers)
    profiler = cProfile.Profile(time.process_time) if profile_out else None  # CPU, not waiting
    results = []
    if profiler:
        profiler.enable()
    for i in range(cycles):
        results.append(cycle(clients[i % len(clients)], variants[(i * 7) % len(variants)], headers))
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile_out)
    add_ms, add_cpu, add_q, co_ms, co_cpu, co_q = zip(*results, strict=True)
    print(f"{cycles} cycles in-process (one shopper at a time), add-to-cart answer: {cart_answer}")
    print(
        f"add to cart: median {statistics.median(add_ms):.1f} ms wall, {statistics.median(add_cpu):.1f} ms "
        f"CPU of this process, {min(add_q)}-{max(add_q)} queries"
    )
    print(
        f"checkout:    median {statistics.median(co_ms):.1f} ms wall, {statistics.median(co_cpu):.1f} ms "
        f"CPU of this process, {min(co_q)}-{max(co_q)} queries"
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    out = None
    if "--profile" in args:
        out = args[args.index("--profile") + 1]
        args = [a for a in args if a not in ("--profile", out)]
    main(int(args[0]) if args else 300, out, args[1] if len(args) > 1 else "full")
