"""Stripe Connect payouts, tested at the HTTP level: localstripe does not emulate Connect transfers, so a
tiny stand-in for ``POST /v1/transfers`` runs on a loopback port, records each request and answers like
Stripe (a transfer object, or an error body). Everything else — the run, the ledger, the task — is real."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import pytest

from payments import ledger
from payments.models import Payout
from payments.payouts import PayoutProviderUnavailable
from payments.services_payouts import (
    PayoutError,
    payout_mark_failed,
    payout_mark_paid,
    payout_submit,
    payouts_run,
)
from tests.factories import OperatorFactory, SellerProfileFactory
from tests.payments.factories_payouts import SALE_SELLER_AMOUNT, released_sale, stripe_account_for

pytestmark = pytest.mark.django_db


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeStripe:
    url: str
    requests: list[Recorded] = field(default_factory=list)
    # What the next requests get, in order: (HTTP status, JSON body); the last one repeats.
    answers: list[tuple[int, dict]] = field(default_factory=list)

    def answer(self) -> tuple[int, dict]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


def _transfer(form: dict[str, str], number: int) -> dict:
    return {
        "id": f"tr_test{number:04d}",
        "object": "transfer",
        "amount": int(form["amount"]),
        "currency": form["currency"],
        "destination": form["destination"],
        "metadata": {"payout_id": form.get("metadata[payout_id]", "")},
        "reversed": False,
    }


@pytest.fixture
def fake_stripe(settings):
    fake = FakeStripe(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
            form = {key: values[0] for key, values in parse_qs(body).items()}
            fake.requests.append(
                Recorded(method="POST", path=self.path, headers=dict(self.headers.items()), form=form)
            )
            status, payload = fake.answer()
            if payload == {"transfer": True}:
                payload = _transfer(form, len(fake.requests))
            data = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Request-Id", f"req_{len(fake.requests)}")
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{server.server_address[1]}"
    fake.answers = [(200, {"transfer": True})]
    settings.STRIPE_API_BASE = fake.url
    settings.STRIPE_SECRET_KEY = "sk_test_payouts"
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 5
    settings.COMMISSION_DEFAULT_BP = 1000
    settings.PAYOUT_MINIMUM_AMOUNT = 1000
    try:
        yield fake
    finally:
        # Callbacks run by django_capture_on_commit_callbacks(execute=True) cache ledger account ids of
        # this test's transaction, which is rolled back.
        ledger.accounts_cache_clear()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def _seller_with_available_money(account_id="acct_1SellerAbc"):
    seller = SellerProfileFactory()
    stripe_account_for(seller, account_id=account_id)
    released_sale(seller=seller)
    return seller


def _available(seller):
    return {b.currency: b for b in ledger.seller_balances(seller_id=seller.pk)}["USD"].available


def test_a_run_sends_a_transfer_to_the_connected_account_after_commit(
    fake_stripe, django_capture_on_commit_callbacks, celery_eager
):
    # given
    seller = _seller_with_available_money("acct_1SellerAbc")

    # when the run commits, its payout is submitted (by the task, run in-process here)
    with django_capture_on_commit_callbacks(execute=True):
        result = payouts_run(run_key="daily:2026-11-27")

    # then Stripe got one transfer request with the amount, currency, destination and idempotency key
    [payout] = Payout.objects.filter(pk__in=result.created)
    [request] = fake_stripe.requests
    assert (request.method, request.path) == ("POST", "/v1/transfers")
    assert request.form == {
        "amount": str(SALE_SELLER_AMOUNT),
        "currency": "usd",
        "destination": "acct_1SellerAbc",
        "metadata[payout_id]": str(payout.pk),
    }
    assert request.headers["Idempotency-Key"] == f"payout-{payout.pk}"
    assert request.headers["Authorization"] == "Bearer sk_test_payouts"
    # and the payout is in transit with the transfer's id as its reference
    payout.refresh_from_db()
    assert (payout.status, payout.provider, payout.reference) == (
        "in_transit",
        "stripe_connect",
        "tr_test0001",
    )
    assert _available(seller) == 0


def test_a_refused_transfer_fails_the_payout_and_gives_the_money_back(fake_stripe):
    # given Stripe refuses the destination
    seller = _seller_with_available_money()
    fake_stripe.answers = [
        (
            400,
            {
                "error": {
                    "type": "invalid_request_error",
                    "code": "account_invalid",
                    "message": "No such destination: 'acct_1SellerAbc'",
                    "param": "destination",
                }
            },
        )
    ]
    payouts_run(run_key="r1")  # on_commit callbacks do not run in this test's transaction
    payout = Payout.objects.get()

    # when
    payout_submit(payout_id=payout.pk)

    # then
    payout.refresh_from_db()
    assert payout.status == "failed"
    assert "No such destination" in payout.failure_message
    assert _available(seller) == SALE_SELLER_AMOUNT
    assert ledger.ledger_problems() == []


def test_an_unreachable_stripe_keeps_the_payout_claimed_and_a_retry_makes_one_transfer(fake_stripe):
    # given Stripe answers 500 once, then creates the transfer
    _seller_with_available_money()
    fake_stripe.answers = [
        (500, {"error": {"type": "api_error", "message": "Try again"}}),
        (200, {"transfer": True}),
    ]
    payouts_run(run_key="r1")
    payout = Payout.objects.get()

    # when the first submission fails and the task retries
    with pytest.raises(PayoutProviderUnavailable):
        payout_submit(payout_id=payout.pk)
    payout.refresh_from_db()
    claimed = (payout.status, payout.reference)
    payout_submit(payout_id=payout.pk)
    payout_submit(payout_id=payout.pk)  # answered already: Stripe is not asked again

    # then
    payout.refresh_from_db()
    assert claimed == ("in_transit", "")
    assert (payout.status, payout.reference) == ("in_transit", "tr_test0002")
    assert [r.headers["Idempotency-Key"] for r in fake_stripe.requests] == [f"payout-{payout.pk}"] * 2


def test_an_operator_cannot_fail_a_payout_while_it_is_being_sent(fake_stripe):
    _seller_with_available_money()
    fake_stripe.answers = [(503, {"error": {"type": "api_error", "message": "Unavailable"}})]
    payouts_run(run_key="r1")
    payout = Payout.objects.get()
    with pytest.raises(PayoutProviderUnavailable):
        payout_submit(payout_id=payout.pk)

    with pytest.raises(PayoutError, match="being sent"):
        payout_mark_failed(payout_id=payout.pk, reason="stuck", actor_id=OperatorFactory().pk)


def test_an_operator_confirms_a_transfer_paid_keeping_its_reference(fake_stripe):
    _seller_with_available_money()
    payouts_run(run_key="r1")
    payout = Payout.objects.get()
    payout_submit(payout_id=payout.pk)

    payout_mark_paid(payout_id=payout.pk, reference="", actor_id=OperatorFactory().pk)

    payout.refresh_from_db()
    assert (payout.status, payout.reference) == ("paid", "tr_test0001")
    assert ledger.ledger_problems() == []


def test_a_payout_an_operator_failed_before_submission_is_not_sent(fake_stripe):
    _seller_with_available_money()
    payouts_run(run_key="r1")
    payout = Payout.objects.get()
    payout_mark_failed(payout_id=payout.pk, reason="Held for review", actor_id=OperatorFactory().pk)

    payout_submit(payout_id=payout.pk)

    assert fake_stripe.requests == []
    assert Payout.objects.get(pk=payout.pk).status == "failed"
