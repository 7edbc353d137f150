"""The one mapping from a PaymentIntent to our facts (no database), and ``payment_facts_apply``: newest
fact wins the status, equal time never moves back, money facts are recorded once whatever the order."""

from datetime import UTC, datetime, timedelta

import pytest

from orders.models import OrderEvent, OrderStatus
from payments.models import JournalEntry, Payment
from payments.providers import PaymentFacts, payment_intent_facts
from payments.services import PaymentError, payment_facts_apply, payment_start
from tests.orders.factories import order_place, purchasable_variant

Status = Payment.Status
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def _intent(status, **fields):
    return {
        "id": "pi_1",
        "object": "payment_intent",
        "amount": 1500,
        "currency": "usd",
        "status": status,
        "client_secret": "pi_1_secret_x",
        "metadata": {"order_number": "MABC", "payment_id": "7"},
        "latest_charge": None,
        "last_payment_error": None,
        **fields,
    }


@pytest.mark.parametrize(
    ("stripe_status", "ours"),
    [
        ("requires_payment_method", Status.CREATED),
        ("requires_confirmation", Status.CREATED),
        ("processing", Status.CREATED),
        ("requires_action", Status.REQUIRES_ACTION),
        ("requires_capture", Status.AUTHORISED),
        ("canceled", Status.CANCELLED),
    ],
)
def test_payment_intent_statuses_map_to_ours(stripe_status, ours):
    facts = payment_intent_facts(_intent(stripe_status), occurred_at=T0)

    assert (facts.status, facts.captured_amount, facts.reference) == (ours, 0, "pi_1")
    assert (facts.amount, facts.currency, facts.payment_id, facts.order_number) == (1500, "USD", 7, "MABC")


def test_a_payment_method_error_is_a_failure_with_the_providers_message():
    intent = _intent(
        "requires_payment_method",
        last_payment_error={"code": "card_declined", "message": "Your card was declined."},
    )

    facts = payment_intent_facts(intent, occurred_at=T0)

    assert (facts.status, facts.failure_message) == (Status.FAILED, "Your card was declined.")


def test_a_succeeded_intent_reports_captured_amount_fee_charge_card_and_refunds():
    charge = {
        "id": "ch_1",
        "amount": 1500,
        "amount_captured": 1500,
        "captured": True,
        "balance_transaction": {"id": "txn_1", "fee": 74},
        "payment_method_details": {"type": "card", "card": {"brand": "visa", "last4": "4242"}},
        "refunds": {
            "data": [{"id": "re_1", "amount": 500, "status": "succeeded", "metadata": {"refund_id": "3"}}]
        },
    }

    facts = payment_intent_facts(
        _intent("succeeded", amount_received=1500, latest_charge=charge), occurred_at=T0
    )

    assert (facts.status, facts.captured_amount, facts.fee_amount, facts.charge_reference) == (
        Status.CAPTURED,
        1500,
        74,
        "ch_1",
    )
    assert facts.payment_method_summary == "Visa •••• 4242"
    assert [(r.reference, r.amount, r.status, r.refund_id) for r in facts.refunds] == [
        ("re_1", 500, "succeeded", 3)
    ]


def test_localstripes_intent_without_amount_received_takes_the_captured_charge_amount():
    charge = {"id": "ch_1", "amount": 1500, "captured": True, "balance_transaction": "txn_1"}

    facts = payment_intent_facts(_intent("succeeded", latest_charge=charge), occurred_at=T0)

    assert (facts.captured_amount, facts.fee_amount, facts.refunds) == (1500, 0, None)


# --- applying facts -----------------------------------------------------------------------------------


@pytest.fixture
def payment(db):
    order = order_place(lines=[(purchasable_variant(price=1500), 1)])
    return payment_start(order_id=order.pk)


def _facts(payment, status, at, **fields):
    return PaymentFacts(
        reference=payment.reference,
        status=status,
        amount=payment.amount,
        currency=payment.currency,
        occurred_at=at,
        captured_amount=payment.amount if status == Status.CAPTURED else 0,
        **fields,
    )


def test_facts_move_the_payment_forward_and_record_the_time(payment):
    payment = payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.REQUIRES_ACTION, T0))

    assert (payment.status, payment.provider_updated_at) == (Status.REQUIRES_ACTION, T0)


def test_an_older_fact_never_rolls_a_newer_state_back(payment):
    payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.REQUIRES_ACTION, T0))

    payment = payment_facts_apply(
        payment_id=payment.pk, facts=_facts(payment, Status.CREATED, T0 - timedelta(seconds=1))
    )

    assert (payment.status, payment.provider_updated_at) == (Status.REQUIRES_ACTION, T0)


def test_at_equal_time_the_status_never_moves_backwards(payment):
    payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.AUTHORISED, T0))

    payment = payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.REQUIRES_ACTION, T0))

    assert payment.status == Status.AUTHORISED


def test_a_newer_failure_fails_the_payment_with_its_message(payment):
    payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.REQUIRES_ACTION, T0))

    payment = payment_facts_apply(
        payment_id=payment.pk,
        facts=_facts(
            payment, Status.FAILED, T0 + timedelta(seconds=5), failure_message="Authentication failed."
        ),
    )

    assert (payment.status, payment.failure_message) == (Status.FAILED, "Authentication failed.")
    payment.order.refresh_from_db()
    assert payment.order.status == OrderStatus.PENDING_PAYMENT


def test_an_older_failure_after_the_success_changes_nothing(payment):
    payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.CAPTURED, T0))

    payment = payment_facts_apply(
        payment_id=payment.pk,
        facts=_facts(payment, Status.FAILED, T0 - timedelta(minutes=1), failure_message="Declined."),
    )

    assert (payment.status, payment.failure_message, payment.captured_amount) == (Status.CAPTURED, "", 1500)
    payment.order.refresh_from_db()
    assert payment.order.status == OrderStatus.PAID


def test_captured_money_is_recorded_even_when_its_fact_arrives_after_a_newer_one(payment):
    payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.REQUIRES_ACTION, T0))

    payment = payment_facts_apply(
        payment_id=payment.pk, facts=_facts(payment, Status.CAPTURED, T0 - timedelta(seconds=1))
    )

    assert (payment.status, payment.captured_amount) == (Status.CAPTURED, 1500)
    assert JournalEntry.objects.filter(key=f"capture:{payment.pk}").count() == 1


def test_the_same_success_twice_captures_posts_and_pays_once(payment):
    for _ in range(2):
        payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.CAPTURED, T0))

    payment.refresh_from_db()
    assert (payment.status, payment.captured_amount, payment.captured_at) == (Status.CAPTURED, 1500, T0)
    assert JournalEntry.objects.filter(payment=payment).count() == 1
    assert (
        OrderEvent.objects.filter(order=payment.order, seller_order=None, to_status=OrderStatus.PAID).count()
        == 1
    )


def test_a_reported_fee_is_posted_once(payment):
    for _ in range(2):
        payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.CAPTURED, T0, fee_amount=74))

    payment.refresh_from_db()
    assert payment.fee_amount == 74
    fee = JournalEntry.objects.get(key=f"fee:{payment.pk}")
    assert {(line.account.kind, line.amount) for line in fee.lines.select_related("account")} == {
        ("provider_fees", 74),
        ("provider_cash", -74),
    }


def test_an_authorisation_schedules_the_capture(payment, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        payment = payment_facts_apply(payment_id=payment.pk, facts=_facts(payment, Status.AUTHORISED, T0))

    assert (payment.status, payment.authorised_at) == (Status.AUTHORISED, T0)
    assert len(callbacks) == 1
    payment.order.refresh_from_db()
    assert payment.order.status == OrderStatus.PENDING_PAYMENT


@pytest.mark.parametrize(
    ("change", "field"),
    [({"currency": "EUR"}, "currency"), ({"amount": 1}, "amount"), ({"reference": "pi_other"}, "reference")],
)
def test_facts_about_another_amount_currency_or_intent_are_refused(payment, change, field):
    facts = PaymentFacts(
        **{
            "reference": payment.reference,
            "status": Status.CAPTURED,
            "amount": payment.amount,
            "currency": payment.currency,
            "occurred_at": T0,
            "captured_amount": payment.amount,
            **change,
        }
    )

    with pytest.raises(PaymentError) as refused:
        payment_facts_apply(payment_id=payment.pk, facts=facts)

    assert field in refused.value.extra
    payment.refresh_from_db()
    assert (payment.status, payment.captured_amount) == (Status.CREATED, 0)
    assert not JournalEntry.objects.exists()
