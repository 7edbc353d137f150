"""Checkout load against a running server, through the orders API (session auth, CSRF header).

    python benchmarks/checkout_load.py BASE_URL PREPARED.json load DURATION_S CONNECTIONS
    python benchmarks/checkout_load.py BASE_URL PREPARED.json contention ATTEMPTS

load: CONNECTIONS threads, each with its own distinct shoppers, loop "add one in-stock SKU to the cart,
then check out" for DURATION_S seconds. Reports completed checkouts per second and the latency of the
checkout request (p50/p90/p99), and of the whole add+checkout.
contention: ATTEMPTS shoppers each hold the contention SKU in their cart and all check out at once; reports
how many orders were placed, how many were told "out of stock", anything else, and the wall time.
Traffic goes only to BASE_URL (127.0.0.1); every run stops by itself.
"""

import json
import random
import statistics
import sys
import threading
import time
import uuid

import requests

ADDRESS = {
    "full_name": "Bench Shopper",
    "line1": "1 Load Street",
    "city": "Springfield",
    "postal_code": "12345",
    "country": "US",
}


def session_for(base: str, creds: dict) -> requests.Session:
    s = requests.Session()
    host = base.split("//", 1)[1].split(":")[0]
    s.cookies.set("sessionid", creds["sessionid"], domain=host)
    s.cookies.set("csrftoken", creds["csrftoken"], domain=host)
    s.headers.update(
        {"X-CSRFToken": creds["csrftoken"], "Referer": base + "/", "Content-Type": "application/json"}
    )
    return s


def checkout(base: str, s: requests.Session) -> requests.Response:
    return s.post(
        f"{base}/api/orders/checkout/",
        data=json.dumps({"shipping_address": ADDRESS}),
        headers={"Idempotency-Key": uuid.uuid4().hex},
        timeout=30,
    )


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))] if values else float("nan")


def load(base: str, data: dict, duration: float, connections: int) -> None:
    sessions = data["sessions"]
    per_thread = [sessions[i::connections] for i in range(connections)]
    checkout_ms: list[float] = []
    total_ms: list[float] = []
    failures: dict[str, int] = {}
    lock = threading.Lock()
    deadline = time.monotonic() + duration

    def worker(creds_list: list[dict], seed: int) -> None:
        rng = random.Random(seed)
        clients = [session_for(base, c) for c in creds_list]
        i = 0
        while time.monotonic() < deadline:
            s = clients[i % len(clients)]
            i += 1
            started = time.perf_counter()
            r = s.post(
                f"{base}/api/orders/cart/lines/",
                data=json.dumps({"variant": rng.choice(data["variants"]), "quantity": 1}),
                timeout=30,
            )
            if r.status_code != 201:
                with lock:
                    failures[f"add {r.status_code}"] = failures.get(f"add {r.status_code}", 0) + 1
                continue
            t = time.perf_counter()
            r = checkout(base, s)
            done = time.perf_counter()
            with lock:
                if r.status_code == 201:
                    checkout_ms.append((done - t) * 1000)
                    total_ms.append((done - started) * 1000)
                else:
                    failures[f"checkout {r.status_code}"] = failures.get(f"checkout {r.status_code}", 0) + 1

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(per_thread[n], n)) for n in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    print(f"duration {elapsed:.1f} s, connections {connections}")
    print(f"completed checkouts: {len(checkout_ms)} = {len(checkout_ms) / elapsed:.1f} /s")
    print(
        f"checkout request ms: p50 {percentile(checkout_ms, 50):.1f}  p90 {percentile(checkout_ms, 90):.1f}  p99 {percentile(checkout_ms, 99):.1f}  max {max(checkout_ms or [0]):.1f}"
    )
    print(
        f"add + checkout ms:   p50 {percentile(total_ms, 50):.1f}  p99 {percentile(total_ms, 99):.1f}  mean {statistics.fmean(total_ms or [0]):.1f}"
    )
    print(f"failures: {failures or 'none'}")


def contention(base: str, data: dict, attempts: int) -> None:
    sessions = data["sessions"][:attempts]
    clients = [session_for(base, c) for c in sessions]
    for s in clients:
        r = s.post(
            f"{base}/api/orders/cart/lines/",
            data=json.dumps({"variant": data["contention_variant"], "quantity": 1}),
            timeout=30,
        )
        assert r.status_code == 201, (r.status_code, r.text[:200])
    results: list[int] = []
    barrier = threading.Barrier(len(clients))

    def worker(s: requests.Session) -> None:
        barrier.wait()
        r = checkout(base, s)
        results.append(r.status_code)

    threads = [threading.Thread(target=worker, args=(s,)) for s in clients]
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
        load(base, data, float(sys.argv[4]), int(sys.argv[5]))
    else:
        contention(base, data, int(sys.argv[4]))
