"""Write N signed Stripe webhook events for benchmarks/webhooks.lua: one line per event,
``<Stripe-Signature header>\\t<JSON body>``, each with a unique event id (so every one is stored) and a
PaymentIntent object about the size of a real ``payment_intent.succeeded`` event (~1.5 KB). Signed now
with the secret given: a run must start within STRIPE_WEBHOOK_TOLERANCE_SECONDS (300 s).

    python benchmarks/webhooks_events.py COUNT SECRET RUN_ID OUT_FILE
"""

import hashlib
import hmac
import json
import sys
import time


def intent(n: int) -> dict:
    charge = f"ch_bench{n:08d}"
    return {
        "id": f"pi_bench{n:08d}",
        "object": "payment_intent",
        "amount": 1000 + n % 9000,
        "amount_received": 1000 + n % 9000,
        "capture_method": "automatic",
        "client_secret": f"pi_bench{n:08d}_secret_{n:016d}",
        "currency": "usd",
        "customer": f"cus_bench{n % 1000:06d}",
        "latest_charge": charge,
        "livemode": False,
        "metadata": {"order_number": f"MBENCH{n:06d}", "payment_id": str(n)},
        "next_action": None,
        "payment_method": f"pm_bench{n:08d}",
        "payment_method_types": ["card"],
        "status": "succeeded",
        "charges": {
            "object": "list",
            "data": [
                {
                    "id": charge,
                    "object": "charge",
                    "amount": 1000 + n % 9000,
                    "captured": True,
                    "currency": "usd",
                    "paid": True,
                    "payment_intent": f"pi_bench{n:08d}",
                    "status": "succeeded",
                    "balance_transaction": f"txn_bench{n:08d}",
                    "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}},
                }
            ],
        },
    }


def main() -> None:
    count, secret, run_id, out_path = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
    now = int(time.time())
    key = secret.encode()
    with open(out_path, "w") as out:
        for n in range(count):
            event = {
                "id": f"evt_bench_{run_id}_{n:07d}",
                "object": "event",
                "api_version": "2024-06-20",
                "created": now,
                "type": "payment_intent.succeeded",
                "data": {"object": intent(n)},
            }
            body = json.dumps(event, separators=(",", ":"))
            digest = hmac.new(key, f"{now}.{body}".encode(), hashlib.sha256).hexdigest()
            out.write(f"t={now},v1={digest}\t{body}\n")


if __name__ == "__main__":
    main()
