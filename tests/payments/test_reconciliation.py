"""Daily reconciliation against a real localstripe: our captured payments and succeeded refunds of a UTC
day against the provider's balance transactions, per reference; an unreachable provider is a report with
status "error", not a crash."""

import importlib
import logging
import os
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta

import pytest
import stripe
from django.urls import NoReverseMatch, clear_url_caches, reverse

import payments.admin_reconciliation  # noqa: F401  (registers the admin until payments.admin imports it)
from payments.models import Payment, ReconciliationReport, Refund
from payments.reconciliation import CAPTURED, REFUNDED, Movement, movements_compare, reconciliation_run
from payments.tasks_reconciliation import reconciliation_run_task
from tests.factories import OperatorFactory
from tests.orders.factories_seller import OrderFactory

pytestmark = pytest.mark.django_db

Status = ReconciliationReport.Status


@pytest.fixture
def stripe_client(stripe_settings):
    return stripe.StripeClient(
        "sk_test_localstripe", base_addresses={"api": stripe_settings.url}, max_network_retries=0
    )


def charge(client, amount: int) -> dict:
    """A confirmed card payment at the provider; its charge (id, created)."""
    intent = client.v1.payment_intents.create(
        params={"amount": amount, "currency": "usd", "payment_method": "pm_card_visa", "confirm": True}
    ).to_dict()
    return {"intent": intent["id"], **intent["latest_charge"]}


def refund_at_provider(client, intent_id: str, amount: int) -> dict:
    return client.v1.refunds.create(params={"payment_intent": intent_id, "amount": amount}).to_dict()


def at(timestamp: int) -> datetime:
    return datetime.fromtimestamp(timestamp, tz=UTC)


def our_payment(provider_charge: dict, *, captured: int | None = None, provider: str = "stripe") -> Payment:
    amount = provider_charge["amount"] if captured is None else captured
    return Payment.objects.create(
        order=OrderFactory(buyer=None, email="buyer@example.com"),
        provider=provider,
        status=Payment.Status.CAPTURED,
        amount=amount,
        currency="USD",
        reference=provider_charge["intent"],
        charge_reference=provider_charge["id"],
        captured_amount=amount,
        captured_at=at(provider_charge["created"]),
    )


def our_refund(payment: Payment, provider_refund: dict, *, amount: int | None = None) -> Refund:
    return Refund.objects.create(
        payment=payment,
        amount=provider_refund["amount"] if amount is None else amount,
        currency="USD",
        status=Refund.Status.SUCCEEDED,
        reference=provider_refund["id"],
        idempotency_key=f"refund:{provider_refund['id']}",
        succeeded_at=at(provider_refund["created"]),
    )


def day_of(provider_object: dict) -> date:
    return at(provider_object["created"]).date()


def test_a_day_whose_captures_and_refunds_agree_with_the_provider_is_matched(stripe_client):
    first, second = charge(stripe_client, 1000), charge(stripe_client, 2500)
    refund = refund_at_provider(stripe_client, first["intent"], 300)
    payment = our_payment(first)
    our_payment(second)
    our_refund(payment, refund)
    # The test provider's payments are not the provider's business.
    Payment.objects.create(
        order=OrderFactory(buyer=None, email="t@example.com"),
        provider="test",
        amount=777,
        currency="USD",
        captured_amount=777,
        captured_at=at(first["created"]),
    )

    report = reconciliation_run(provider="stripe", day=day_of(first))

    assert report.status == Status.MATCHED
    assert (report.ours_captured, report.provider_captured) == (3500, 3500)
    assert (report.ours_refunded, report.provider_refunded) == (300, 300)
    assert report.mismatches == []


def test_an_amount_that_differs_and_facts_missing_on_either_side_are_listed_by_reference(
    stripe_client, caplog
):
    recorded_short, unrecorded = charge(stripe_client, 1000), charge(stripe_client, 2000)
    payment = our_payment(recorded_short, captured=900)
    refund = refund_at_provider(stripe_client, recorded_short["intent"], 100)
    our_refund(payment, refund)
    our_refund(payment, {**refund, "id": "re_only_ours"}, amount=50)
    caplog.set_level(logging.INFO, logger="payments.reconciliation")

    report = reconciliation_run(provider="stripe", day=day_of(recorded_short))

    assert report.status == Status.MISMATCHED
    assert report.mismatches == sorted(
        [
            {
                "reference": recorded_short["id"],
                "kind": "captured",
                "ours": 900,
                "provider": 1000,
                "currency": "USD",
                "problem": "amount differs",
            },
            {
                "reference": unrecorded["id"],
                "kind": "captured",
                "ours": None,
                "provider": 2000,
                "currency": "USD",
                "problem": "missing on our side",
            },
            {
                "reference": "re_only_ours",
                "kind": "refunded",
                "ours": 50,
                "provider": None,
                "currency": "USD",
                "problem": "missing at the provider",
            },
        ],
        key=lambda m: (m["kind"], m["reference"]),
    )
    assert (report.ours_captured, report.provider_captured) == (900, 3000)
    assert (report.ours_refunded, report.provider_refunded) == (150, 100)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert f"{unrecorded['id']} missing on our side" in "\n".join(warnings)
    assert len(warnings) == 4  # the summary and one line per mismatch


def test_running_a_day_again_replaces_its_report(stripe_client):
    provider_charge = charge(stripe_client, 1000)
    day = day_of(provider_charge)
    first = reconciliation_run(provider="stripe", day=day)
    assert first.status == Status.MISMATCHED

    our_payment(provider_charge)
    again = reconciliation_run(provider="stripe", day=day)

    assert again.pk == first.pk
    assert again.status == Status.MATCHED
    assert ReconciliationReport.objects.filter(provider="stripe", day=day).count() == 1


def test_another_days_transactions_are_not_counted(stripe_client):
    provider_charge = charge(stripe_client, 1000)
    our_payment(provider_charge)

    report = reconciliation_run(provider="stripe", day=day_of(provider_charge) - timedelta(days=2))

    assert report.status == Status.MATCHED
    assert (report.ours_captured, report.provider_captured) == (0, 0)


def test_an_unreachable_provider_gives_an_error_report_not_a_crash(stripe_settings, settings, caplog):
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # discard port: nothing listens
    settings.STRIPE_MAX_NETWORK_RETRIES = 0
    settings.STRIPE_TIMEOUT_SECONDS = 2
    today = datetime.now(tz=UTC).date()

    report = reconciliation_run(provider="stripe", day=today)

    assert report.status == Status.ERROR
    assert (report.provider_captured, report.provider_refunded) == (0, 0)
    assert len(report.mismatches) == 1
    assert report.mismatches[0]["problem"].startswith("could not read the provider's transactions:")
    assert any(r.levelno == logging.ERROR for r in caplog.records)


def test_the_task_reconciles_the_day_it_is_given(stripe_client):
    provider_charge = charge(stripe_client, 1234)
    our_payment(provider_charge)
    day = day_of(provider_charge)

    result = reconciliation_run_task.apply(kwargs={"day": day.isoformat()}).get()

    assert result == "matched"
    assert ReconciliationReport.objects.get(provider="stripe", day=day).ours_captured == 1234


def test_the_task_does_nothing_without_stripe_keys(settings):
    settings.STRIPE_SECRET_KEY = ""

    assert reconciliation_run_task.apply().get() == "skipped"
    assert ReconciliationReport.objects.count() == 0


def test_the_daily_beat_entry_names_a_task_a_freshly_started_worker_registers(settings):
    """A worker knows the tasks Celery's autodiscovery imports; this process imported the module itself."""
    task = settings.CELERY_BEAT_SCHEDULE["payments-reconciliation-daily"]["task"]
    probe = (
        "import django; django.setup()\n"
        "from marketplace.celery import app\n"
        "app.loader.import_default_modules()\n"
        f"print({task!r} in app.tasks)\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings"}
    env.pop("REDIS_URL", None)

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True
    )

    assert result.stdout.strip().splitlines()[-1] == "True"


@pytest.fixture
def reports_admin_routed(settings):
    """Until payments/admin.py imports payments.admin_reconciliation, the admin's URLs may have been built
    (by an earlier test) before this module registered it: rebuild them then."""
    try:
        reverse("admin:payments_reconciliationreport_changelist")
    except NoReverseMatch:
        importlib.reload(importlib.import_module(settings.ROOT_URLCONF))
        clear_url_caches()


@pytest.mark.usefixtures("reports_admin_routed")
def test_operators_see_the_reports_filtered_by_status_and_cannot_edit_them(client):
    ReconciliationReport.objects.create(
        provider="stripe",
        day=date(2026, 11, 25),
        status=Status.MISMATCHED,
        mismatches=[
            {"reference": "ch_odd", "kind": "captured", "ours": 1, "provider": 2, "problem": "amount differs"}
        ],
    )
    matched = ReconciliationReport.objects.create(
        provider="stripe", day=date(2026, 11, 24), status=Status.MATCHED
    )
    client.force_login(OperatorFactory())
    changelist = reverse("admin:payments_reconciliationreport_changelist")

    mismatched_page = client.get(changelist, {"status__exact": "mismatched"})
    detail = client.get(reverse("admin:payments_reconciliationreport_change", args=[matched.pk]))

    assert mismatched_page.status_code == 200
    assert "25 Nov 2026" in mismatched_page.text
    assert "24 Nov 2026" not in mismatched_page.text
    assert detail.status_code == 200
    assert 'name="status"' not in detail.text  # read-only: no form fields
    assert client.post(reverse("admin:payments_reconciliationreport_add")).status_code == 403


# --- comparing, without the database or the provider ------------------------------------------------

DAY_START = datetime(2026, 11, 26, tzinfo=UTC)
DAY_END = DAY_START + timedelta(days=1)


def movement(reference, amount, at, kind=CAPTURED, currency="USD"):
    return Movement(kind, reference, amount, currency, at)


def test_a_fact_dated_just_across_midnight_by_the_other_side_is_not_missing():
    ours = [movement("ch_late", 500, DAY_END - timedelta(seconds=5))]
    theirs = [movement("ch_late", 500, DAY_END + timedelta(seconds=20))]

    today = movements_compare(ours=ours, theirs=theirs, start=DAY_START, end=DAY_END)
    tomorrow = movements_compare(ours=ours, theirs=theirs, start=DAY_END, end=DAY_END + timedelta(days=1))

    assert (today, tomorrow) == ([], [])


def test_a_currency_difference_and_several_transactions_on_one_reference_are_compared_as_one():
    noon = DAY_START + timedelta(hours=12)
    ours = [movement("ch_eur", 100, noon, currency="EUR"), movement("re_1", 30, noon, kind=REFUNDED)]
    theirs = [
        movement("ch_eur", 100, noon, currency="USD"),
        movement("re_1", 10, noon, kind=REFUNDED),
        movement("re_1", 20, noon, kind=REFUNDED),
    ]

    mismatches = movements_compare(ours=ours, theirs=theirs, start=DAY_START, end=DAY_END)

    assert mismatches == [
        {
            "reference": "ch_eur",
            "kind": "captured",
            "ours": 100,
            "provider": 100,
            "currency": "EUR/USD",
            "problem": "currency differs",
        }
    ]
