"""A real localstripe process (the Stripe emulator from PyPI) for the tests that talk to "Stripe".

``localstripe_server`` starts ``localstripe`` once per session on a free loopback port and stops it by
its PID at the end. ``stripe_settings`` points the marketplace at it for one test (``PAYMENT_PROVIDER=
stripe``, API base, keys, webhook secret) and empties its store first, so tests never see each other's
objects. ``localstripe_webhook`` registers our webhook endpoint on the test's ``live_server`` with
localstripe, which then signs and POSTs events to it like Stripe does (about a second after the fact).
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
START_TIMEOUT = 20
WEBHOOK_SECRET = "whsec_test_localstripe"


@dataclass(frozen=True)
class LocalStripe:
    url: str  # e.g. http://127.0.0.1:41234
    process: subprocess.Popen

    def post(self, path: str, data: bytes = b"", method: str = "POST") -> bytes:
        request = urllib.request.Request(self.url + path, data=data, method=method)  # noqa: S310 (loopback)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.read()

    def flush(self) -> None:
        """Forget every object and webhook (localstripe's ``DELETE /_config/data``)."""
        self.post("/_config/data", method="DELETE")


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def localstripe_server():
    port = _free_port()
    ARTIFACTS.mkdir(exist_ok=True)
    log_path = ARTIFACTS / "localstripe.log"
    executable = Path(sys.executable).with_name("localstripe")
    command = [str(executable)] if executable.exists() else [sys.executable, "-m", "localstripe"]
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [*command, "--port", str(port), "--from-scratch"],
            cwd=REPO_ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    server = LocalStripe(url=f"http://127.0.0.1:{port}", process=process)
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            pytest.fail(f"localstripe exited with {process.returncode}: {log_path.read_text()[-2000:]}")
        try:
            urllib.request.urlopen(server.url + "/js.stripe.com/v3/", timeout=1).read()  # noqa: S310
            break
        except OSError:
            if time.monotonic() > deadline:
                process.kill()
                pytest.fail(f"localstripe did not answer within {START_TIMEOUT} s")
            time.sleep(0.2)
    try:
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@pytest.fixture
def stripe_settings(settings, localstripe_server):
    """This test's marketplace pays through localstripe (a fresh, empty one)."""
    from payments.ledger import accounts_cache_clear

    localstripe_server.flush()
    accounts_cache_clear()
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_API_BASE = localstripe_server.url
    settings.STRIPE_JS_URL = f"{localstripe_server.url}/js.stripe.com/v3/"
    settings.STRIPE_SECRET_KEY = "sk_test_localstripe"
    settings.STRIPE_PUBLISHABLE_KEY = "pk_test_localstripe"
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield localstripe_server
    accounts_cache_clear()


@pytest.fixture
def localstripe_webhook(stripe_settings, live_server):
    """localstripe delivers signed events to this test's live server."""
    import json

    stripe_settings.post(
        "/_config/webhooks/marketplace",
        json.dumps(
            {"url": f"{live_server.url}/payments/webhooks/stripe/", "secret": WEBHOOK_SECRET}
        ).encode(),
    )
    return stripe_settings
