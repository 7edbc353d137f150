"""Checkout load against a running server, through the orders API (session auth, CSRF header).

    python benchmarks/checkout_load.py BASE_URL PREPARED.json load DURATION_S CONNECTIONS [full|minimal]
    python benchmarks/checkout_load.py BASE_URL PREPARED.json contention ATTEMPTS

load: CONNECTIONS threads, each with its own distinct shoppers, loop "add one in-stock SKU to the cart,
then check out" for DURATION_S seconds; the add-to-cart asks for the whole priced cart ("full", the API's
default) or for the short answer ("minimal": ``Prefer: return=minimal``). Reports completed checkouts
(201s only) per second and the latency of the checkout request (p50/p90/p99), and of the whole
add+checkout.
contention: ATTEMPTS shoppers each hold the contention SKU in their cart and all check out at once; reports
how many orders were placed, how many were told "out of stock", anything else, and the wall time.
Traffic goes only to BASE_URL (127.0.0.1); every run stops by itself.
"""

import http.client
import json
import random
import statistics
import sys
import threading
import time
import uuid
from urllib.parse import urlsplit

ADDRESS = {
    "full_name": "Bench Shopper",
    "line1": "1 Load Street",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}


class Shopper:
    """One signed-in shopper's client: their session and CSRF cookies on every request. Plain
    ``http.client`` (gunicorn's sync workers close the connection after each answer anyway): the load
    generator shares the machine with the server, so it should cost as little CPU as it can."""

    def __init__(self, base: str, creds: dict) -> None:
        url = urlsplit(base)
        self.host, self.port = url.hostname, url.port or 80
        self.headers = {
            "Cookie": f"sessionid={creds['sessionid']}; csrftoken={creds['csrftoken']}",
            "X-CSRFToken": creds["csrftoken"],
            "Referer": base + "/",
            "Content-Type": "application/json",
        }

    def post(self, path: str, body: dict, headers: dict | None = None) -> tuple[int, bytes]:
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            connection.request(
                "POST", path, body=json.dumps(body), headers={**self.headers, **(headers or {})}
            )
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()


def checkout(shopper: Shopper) -> int:
    status, _body = shopper.post(
        "/api/orders/checkout/", {"shipping_address": ADDRESS}, {"Idempotency-Key": uuid.uuid4().hex}
    )
    return status


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else float("nan")


def load(base: str, data: dict, duration: float, connections: int, cart_answer: str) -> None:
    # "minimal": the add-to-cart asks for the short answer (Prefer: return=minimal, RFC 7240), as a client
    # that goes straight on to the checkout would; "full": the whole priced cart, the API's default.
    cart_answer_headers = {"Prefer": "return=minimal"} if cart_answer == "minimal" else {}
    sessions = data["sessions"]
    per_thread = [sessions[i::connections] for i in range(connections)]
    checkout_ms: list[float] = []
    total_ms: list[float] = []
    failures: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker(creds_list: list[dict], seed: int) -> None:
        rng = random.Random(seed)
        shoppers = [Shopper(base, c) for c in creds_list]
        i = 0
        while time.monotonic() < deadline:
            shopper = shoppers[i % len(shoppers)]
            i += 1
            started = time.perf_counter()
            status, _body = shopper.post(
                "/api/orders/cart/lines/",
                {"variant": rng.choice(data["variants"]), "quantity": 1},
                cart_answer_headers,
            )
            if status != 201:
                with lock:
                    failures[f"add {status}"] = failures.get(f"add {status}", 0) + 1
                continue
            t = time.perf_counter()
            status = checkout(shopper)
            done = time.perf_counter()
            with lock:
                if status == 201:
                    checkout_ms.append((done - t) * 1000)
                    total_ms.append((done - started) * 1000)
                else:
                    failures[f"checkout {status}"] = failures.get(f"checkout {status}", 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(per_thread[n], n)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    print(f"duration {elapsed:.1f} s, connections {connections}, add-to-cart answer: {cart_answer}")
    print(f"completed checkouts: {len(checkout_ms)} = {len(checkout_ms) / elapsed:.1f} /s")
    print(
        f"checkout request ms: p50 {percentile(checkout_ms, 50):.1f}  p90 {percentile(checkout_ms, 90):.1f}  p99 {percentile(checkout_ms, 99):.1f}  max {max(checkout_ms or [0]):.1f}"
    )
    print(
        f"add + checkout ms:   p50 {percentile(total_ms, 50):.1f}  p99 {percentile(total_ms, 99):.1f}  mean {statistics.fmean(total_ms or [0]):.1f}"
    )
    print(f"failures: {failures or 'none'}")


def contention(base: str, data: dict, attempts: int) -> None:
    shoppers = [Shopper(base, c) for c in data["sessions"][:attempts]]
    for shopper in shoppers:
        status, body = shopper.post(
            "/api/orders/cart/lines/", {"variant": data["contention_variant"], "quantity": 1}
        )
        assert status == 201, (status, body[:200])
    results: list[int] = []
    barrier = threading.Barrier(len(shoppers))

    def worker(shopper: Shopper) -> None:
        barrier.wait()
        results.append(checkout(shopper))

    threads = [threading.Thread(target=worker, args=(shopper,)) for shopper in shoppers]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    placed = results.count(201)
    sold_out = results.count(409)
    print(
        f"{attempts} simultaneous checkouts of one SKU: {placed} placed, {sold_out} out of stock (409), "
        f"other: {[c for c in results if c not in (201, 409)] or 'none'}, wall {elapsed:.2f} s"
    )


if __name__ == "__main__":
    base, prepared, mode = sys.argv[1].rstrip("/"), sys.argv[2], sys.argv[3]
    with open(prepared) as f:
        data = json.load(f)
    if mode == "load":
        load(base, data, float(sys.argv[4]), int(sys.argv[5]), sys.argv[6] if len(sys.argv) > 6 else "full")
    else:
        contention(base, data, int(sys.argv[4]))
