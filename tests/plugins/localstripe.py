"""A real localstripe process (the Stripe emulator from PyPI) for the tests that talk to "Stripe".

``localstripe_server`` starts ``localstripe`` once per session on a loopback port chosen when the session
starts, and stops it by its PID at the end. The port, keys and webhook secret are also put in the
environment at session start (``STRIPE_*``), so a Celery worker subprocess started later (the
``services`` tests) talks to the same localstripe. ``stripe_settings`` points the marketplace at it for
one test (``PAYMENT_PROVIDER=stripe``, API base, keys, webhook secret) and empties its store first, so
tests never see each other's objects. ``localstripe_webhook`` registers our webhook endpoint on the
test's ``live_server`` with localstripe, which then signs and POSTs events to it like Stripe does (about
a second after the fact).

Every other test pays with the test provider (``_test_payment_provider``), whatever ``DEBUG`` says.
"""

from __future__ import annotations

import json
import os
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
SECRET_KEY = "sk_test_localstripe"
PUBLISHABLE_KEY = "pk_test_localstripe"
# Events matching no registered filter are never sent: the "off" registration of a test that has no
# live server to receive them.
NO_EVENTS = ["marketplace.none"]
# localstripe waits this long before it sends an event (and looks up where to send it only then).
DELIVERY_DELAY_SECONDS = 1.2


@dataclass(frozen=True)
class LocalStripe:
    url: str  # e.g. http://127.0.0.1:41234
    process: subprocess.Popen
    log_path: Path

    def post(self, path: str, data: bytes = b"", method: str = "POST") -> bytes:
        request = urllib.request.Request(self.url + path, data=data, method=method)  # noqa: S310 (loopback)
        request.add_header("Content-Type", "application/json")
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (loopback)
            return response.read()

    def flush(self) -> None:
        """Forget every object (localstripe's ``DELETE /_config/data``; webhooks stay registered)."""
        self.post("/_config/data", method="DELETE")

    def deliveries(self, event_type: str) -> int:
        """How many ``event_type`` events localstripe has delivered with a 2xx answer so far (its log
        says so once our endpoint has answered, i.e. after in-process processing has finished)."""
        text = self.log_path.read_text(errors="replace")
        return text.count(f'webhook "{event_type}" successfully delivered')

    def wait_delivered(self, event_type: str, *, count: int, timeout: float = 20.0) -> None:
        """Wait until ``count`` ``event_type`` events were delivered — without touching the database,
        which the live server thread shares with the test on SQLite."""
        deadline = time.monotonic() + timeout
        while self.deliveries(event_type) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"localstripe delivered no {event_type} event within {timeout} s")
            time.sleep(0.2)

    def webhook_register(self, *, url: str, events: list[str] | None = None) -> None:
        """(Re)point our one webhook registration at ``url``, for ``events`` (None: all)."""
        body = {"url": url, "secret": WEBHOOK_SECRET}
        if events is not None:
            body["events"] = events
        self.post("/_config/webhooks/marketplace", json.dumps(body).encode())


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pytest_configure(config):
    port = _free_port()
    config._localstripe_port = port
    os.environ.setdefault("LOCALSTRIPE_PORT", str(port))
    os.environ["STRIPE_API_BASE"] = f"http://127.0.0.1:{os.environ['LOCALSTRIPE_PORT']}"
    os.environ["STRIPE_SECRET_KEY"] = SECRET_KEY
    os.environ["STRIPE_PUBLISHABLE_KEY"] = PUBLISHABLE_KEY
    os.environ["STRIPE_WEBHOOK_SECRET"] = WEBHOOK_SECRET


@pytest.fixture(autouse=True)
def _test_payment_provider(settings):
    """Tests pay with the test provider unless they ask for ``stripe_settings``. The ledger's account-id
    cache is emptied around each test: ids cached by on-commit callbacks a test ran inside its own
    (rolled back) transaction name no row afterwards."""
    from payments.ledger import accounts_cache_clear

    settings.PAYMENT_PROVIDER = "test"
    settings.STRIPE_CAPTURE_METHOD = "automatic"
    accounts_cache_clear()
    yield
    accounts_cache_clear()


@pytest.fixture(scope="session")
def localstripe_server():
    port = int(os.environ["LOCALSTRIPE_PORT"])
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
    server = LocalStripe(url=f"http://127.0.0.1:{port}", process=process, log_path=log_path)
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
def stripe_settings(settings, localstripe_server, _test_payment_provider):
    """This test's marketplace pays through localstripe (a fresh, empty one, delivering no webhooks
    unless the test also asks for ``localstripe_webhook``)."""
    from payments.ledger import accounts_cache_clear

    localstripe_server.flush()
    localstripe_server.webhook_register(url="http://127.0.0.1:9/", events=NO_EVENTS)
    accounts_cache_clear()
    settings.PAYMENT_PROVIDER = "stripe"
    settings.STRIPE_API_BASE = localstripe_server.url
    settings.STRIPE_JS_URL = f"{localstripe_server.url}/js.stripe.com/v3/"
    settings.STRIPE_SECRET_KEY = SECRET_KEY
    settings.STRIPE_PUBLISHABLE_KEY = PUBLISHABLE_KEY
    settings.STRIPE_WEBHOOK_SECRET = WEBHOOK_SECRET
    yield localstripe_server
    localstripe_server.webhook_register(url="http://127.0.0.1:9/", events=NO_EVENTS)
    accounts_cache_clear()


@pytest.fixture
def localstripe_webhook(stripe_settings, live_server):
    """localstripe delivers its signed PaymentIntent events to this test's live server (its customer
    events would only be stored and ignored; leaving them out keeps the live server quiet). It first
    lets the events of earlier tests, which localstripe sends a second after the fact, go nowhere."""
    time.sleep(DELIVERY_DELAY_SECONDS)
    stripe_settings.webhook_register(
        url=f"{live_server.url}/payments/webhooks/stripe/",
        events=["payment_intent.succeeded", "payment_intent.payment_failed"],
    )
    return stripe_settings


@pytest.fixture
def celery_eager():
    """Tasks run in this process whatever the broker settings (the ``services`` run has a broker)."""
    from marketplace.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before
