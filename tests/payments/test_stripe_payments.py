"""Card payments against a real localstripe process: the pay page's confirm call, declines, 3-D Secure,
manual capture, a payment that arrives after its order was cancelled, and the ledger entries they post.
Webhook delivery by localstripe is in ``test_stripe_webhooks_live.py``."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from catalog.models import ProductVariant
from orders.lifecycle.services import orders_expire_unpaid
from orders.models import OrderStatus
from payments.models import JournalEntry, Payment, Refund
from payments.services import payment_confirm, payment_refresh, payment_start
from tests.orders.factories import PASSWORD, order_place, purchasable_variant
from tests.payments import localstripe_cards as cards

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings", "celery_eager")]

Status = Payment.Status


def _order(price=2500, quantity=2, stock=5, **kwargs):
    variant = purchasable_variant(price=price, stock=stock)
    return order_place(lines=[(variant, quantity)], **kwargs), variant


def test_a_card_payment_pays_the_order_and_posts_the_capture_split_to_the_seller(
    django_capture_on_commit_callbacks,
):
    order, _variant = _order()
    payment = payment_start(order_id=order.pk)
    assert (payment.provider, payment.reference, payment.amount) == ("stripe", "", 5000)

    with django_capture_on_commit_callbacks(execute=True):
        payment = payment_confirm(payment_id=payment.pk, payment_method=cards.card_payment_method(cards.VISA))

    assert (payment.status, payment.captured_amount, payment.refunded_amount) == (Status.CAPTURED, 5000, 0)
    assert payment.reference.startswith("pi_")
    assert payment.charge_reference.startswith("ch_")
    assert payment.captured_at is not None
    assert payment.payment_method_summary == "Visa •••• 4242"
    stripe_intent = cards.intent(payment.reference)
    assert (stripe_intent["amount"], stripe_intent["currency"], stripe_intent["status"]) == (
        5000,
        "usd",
        "succeeded",
    )
    assert stripe_intent["metadata"] == {"order_number": order.number, "payment_id": str(payment.pk)}
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    capture = JournalEntry.objects.get(key=f"capture:{payment.pk}")
    lines = {(line.account.kind, line.amount) for line in capture.lines.select_related("account")}
    # 10 % default commission on 50.00: the seller is owed 45.00, the platform keeps 5.00.
    assert lines == {("provider_cash", 5000), ("seller_pending", -4500), ("commission_revenue", -500)}
    # localstripe reports no fee: nothing is posted for it.
    assert not JournalEntry.objects.filter(key=f"fee:{payment.pk}").exists()


def test_a_token_from_localstripes_stripe_js_pays_too():
    order, _variant = _order(quantity=1)
    payment = payment_start(order_id=order.pk)

    payment = payment_confirm(payment_id=payment.pk, payment_method=cards.card_token(cards.VISA))

    assert (payment.status, payment.payment_method_summary) == (Status.CAPTURED, "Visa •••• 4242")


def test_a_declined_card_fails_with_the_providers_message_and_the_order_waits_then_expires():
    placed_at = timezone.now()
    order, variant = _order(quantity=2, stock=5, now=placed_at)
    assert ProductVariant.objects.get(pk=variant.pk).stock == 3
    payment = payment_start(order_id=order.pk)

    payment = payment_confirm(payment_id=payment.pk, payment_method=cards.card_payment_method(cards.DECLINED))

    assert (payment.status, payment.failure_message, payment.captured_amount) == (
        Status.FAILED,
        "Your card was declined.",
        0,
    )
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT
    assert not JournalEntry.objects.filter(payment=payment).exists()
    # A retry starts a new payment; nobody pays, and after the window the stock goes back on sale.
    assert payment_start(order_id=order.pk).pk != payment.pk
    expired = orders_expire_unpaid(
        now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1)
    )
    assert expired == 1
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert ProductVariant.objects.get(pk=variant.pk).stock == 5


def test_a_card_declined_at_charge_time_fails_too():
    order, _variant = _order(quantity=1)
    payment = payment_start(order_id=order.pk)

    payment = payment_confirm(
        payment_id=payment.pk, payment_method=cards.card_payment_method(cards.DECLINED_AT_CHARGE)
    )

    assert (payment.status, payment.failure_message) == (Status.FAILED, "Your card was declined.")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_three_d_secure_needs_the_shoppers_action_then_the_payment_succeeds():
    order, _variant = _order(quantity=1)
    payment = payment_start(order_id=order.pk)

    payment = payment_confirm(
        payment_id=payment.pk, payment_method=cards.card_payment_method(cards.THREE_D_SECURE)
    )

    assert payment.status == Status.REQUIRES_ACTION
    assert payment.client_secret.startswith(payment.reference + "_secret_")
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT

    cards.authenticate(payment.reference, payment.client_secret, success=True)
    payment = payment_refresh(payment_id=payment.pk)

    assert (payment.status, payment.captured_amount) == (Status.CAPTURED, 2500)
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID


def test_a_failed_three_d_secure_fails_the_payment():
    order, _variant = _order(quantity=1)
    payment = payment_start(order_id=order.pk)
    payment = payment_confirm(
        payment_id=payment.pk, payment_method=cards.card_payment_method(cards.THREE_D_SECURE)
    )

    cards.authenticate(payment.reference, payment.client_secret, success=False)
    payment = payment_refresh(payment_id=payment.pk)

    assert payment.status == Status.FAILED
    assert payment.failure_message == "The provided PaymentMethod has failed authentication."
    order.refresh_from_db()
    assert order.status == OrderStatus.PENDING_PAYMENT


def test_with_manual_capture_the_payment_is_authorised_then_captured_by_the_task(
    settings, django_capture_on_commit_callbacks
):
    settings.STRIPE_CAPTURE_METHOD = "manual"
    order, _variant = _order(quantity=1)
    payment = payment_start(order_id=order.pk)
    assert payment.capture_method == "manual"

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        payment = payment_confirm(payment_id=payment.pk, payment_method=cards.card_payment_method())

    assert payment.status == Status.AUTHORISED
    assert len(callbacks) >= 1
    payment.refresh_from_db()
    assert (payment.status, payment.captured_amount) == (Status.CAPTURED, 2500)
    assert payment.authorised_at is not None
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    assert cards.intent(payment.reference)["status"] == "succeeded"


def test_an_authorisation_for_an_order_cancelled_meanwhile_is_released_not_captured(
    settings, django_capture_on_commit_callbacks
):
    from orders.lifecycle.services import order_cancel_by_shopper
    from payments.services import payment_capture

    settings.STRIPE_CAPTURE_METHOD = "manual"
    order, _variant = _order(quantity=1)
    payment = payment_start(order_id=order.pk)
    payment = payment_confirm(payment_id=payment.pk, payment_method=cards.card_payment_method())
    assert payment.status == Status.AUTHORISED
    order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id)

    payment = payment_capture(payment_id=payment.pk)

    assert (payment.status, payment.captured_amount) == (Status.CANCELLED, 0)
    assert cards.intent(payment.reference)["status"] == "canceled"
    assert not JournalEntry.objects.filter(payment=payment).exists()


def test_a_payment_for_an_order_that_expired_meanwhile_is_refunded_in_full_and_the_shopper_told(
    mailoutbox, django_capture_on_commit_callbacks
):
    placed_at = timezone.now()
    order, _variant = _order(quantity=1, now=placed_at)
    payment = payment_start(order_id=order.pk)
    orders_expire_unpaid(now=placed_at + timedelta(minutes=settings.ORDER_PAYMENT_WINDOW_MINUTES + 1))
    mailoutbox.clear()

    # The shopper had the pay page open past the window and pays anyway.
    from payments.providers import payment_provider_get

    facts = payment_provider_get("stripe").confirm(
        payment_id=payment.pk,
        amount=payment.amount,
        currency=payment.currency,
        order_number=order.number,
        email=order.email,
        payment_method=cards.card_payment_method(),
        idempotency_key=f"{order.number}:payment:{payment.pk}",
    )
    from payments.services import payment_facts_apply

    with django_capture_on_commit_callbacks(execute=True):
        payment_facts_apply(payment_id=payment.pk, facts=facts)

    payment.refresh_from_db()
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert (payment.status, payment.captured_amount, payment.refunded_amount) == (Status.REFUNDED, 2500, 2500)
    refund = Refund.objects.get(payment=payment)
    assert (refund.reason, refund.status, refund.amount, refund.seller_order_id) == (
        Refund.Reason.LATE_PAYMENT,
        Refund.Status.SUCCEEDED,
        2500,
        None,
    )
    assert [(r["amount"], r["status"]) for r in cards.refunds(payment.reference)] == [(2500, "succeeded")]
    capture = JournalEntry.objects.get(key=f"capture:{payment.pk}")
    assert {(line.account.kind, line.amount) for line in capture.lines.select_related("account")} == {
        ("provider_cash", 2500),
        ("shopper_clearing", -2500),
    }
    assert JournalEntry.objects.filter(key=f"refund:{refund.pk}").exists()
    assert len(mailoutbox) == 1
    assert order.number in mailoutbox[0].subject
    assert "arrived after the order was cancelled" in mailoutbox[0].body
    assert "It has been refunded in full: $25.00" in mailoutbox[0].body


def test_a_tampered_amount_or_currency_from_the_browser_is_ignored(client):
    order, _variant = _order(quantity=2)  # 50.00 USD
    client.login(email=order.buyer.email, password=PASSWORD)
    client.get(reverse("orders:order-pay", args=[order.number]))
    payment = Payment.objects.get(order=order)

    response = client.post(
        reverse("payments:payment-confirm", args=[order.number]),
        {
            "payment": payment.pk,
            "payment_method": cards.card_payment_method(),
            "amount": "1",
            "currency": "jpy",
        },
    )

    assert response.status_code == 200
    assert response.json()["status"] == "succeeded"
    payment.refresh_from_db()
    assert (payment.amount, payment.currency, payment.captured_amount) == (5000, "USD", 5000)
    stripe_intent = cards.intent(payment.reference)
    assert (stripe_intent["amount"], stripe_intent["currency"]) == (5000, "usd")


def test_only_the_orders_owner_can_confirm_or_see_the_client_secret(client):
    from tests.factories import UserFactory

    order, _variant = _order(quantity=1)
    client.login(email=order.buyer.email, password=PASSWORD)
    client.get(reverse("orders:order-pay", args=[order.number]))
    payment = Payment.objects.get(order=order)
    response = client.post(
        reverse("payments:payment-confirm", args=[order.number]),
        {"payment": payment.pk, "payment_method": cards.card_payment_method(cards.THREE_D_SECURE)},
    )
    assert response.json()["status"] == "requires_action"
    assert response.json()["client_secret"].startswith(Payment.objects.get(pk=payment.pk).reference)

    stranger = UserFactory()
    client.logout()
    client.login(email=stranger.email, password=PASSWORD)
    for name in ("payments:payment-refresh", "payments:payment-confirm", "orders:order-pay"):
        response = client.post(
            reverse(name, args=[order.number]), {"payment": payment.pk, "payment_method": "pm_x"}
        )
        assert response.status_code == 404, name
    client.logout()
    assert (
        client.post(
            reverse("payments:payment-refresh", args=[order.number]), {"payment": payment.pk}
        ).status_code
        == 404
    )


def _paid(price=1000, quantity=3):
    order, _variant = _order(price=price, quantity=quantity)
    payment = payment_confirm(
        payment_id=payment_start(order_id=order.pk).pk, payment_method=cards.card_payment_method()
    )
    assert payment.status == Status.CAPTURED
    return order, payment


def test_a_partial_refund_is_made_at_stripe_with_our_key_and_posted_to_the_ledger():
    from payments.services import refund_create

    order, payment = _paid()
    part = order.seller_orders.get()

    refund = refund_create(
        payment_id=payment.pk,
        idempotency_key="return:42",
        reason=Refund.Reason.RETURN,
        seller_order_id=part.pk,
        lines=[(part.lines.get().pk, 1)],
    )

    assert (refund.status, refund.amount) == (Refund.Status.SUCCEEDED, 1000)
    assert refund.reference.startswith("re_")
    stripe_refunds = cards.refunds(payment.reference)
    assert [(r["id"], r["amount"], r["metadata"]) for r in stripe_refunds] == [
        (refund.reference, 1000, {"refund_id": str(refund.pk)})
    ]
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Status.PARTIALLY_REFUNDED, 1000)
    assert JournalEntry.objects.filter(key=f"refund:{refund.pk}").exists()


def test_a_refund_the_provider_refuses_fails_and_releases_its_reservation():
    from payments.services import refund_create

    order, payment = _paid(quantity=1)
    part = order.seller_orders.get()
    intent_id = payment.reference
    # Stripe does not know the payment the refund names: it refuses (HTTP 404).
    Payment.objects.filter(pk=payment.pk).update(reference="pi_unknown")

    refund = refund_create(
        payment_id=payment.pk,
        idempotency_key="return:x",
        reason=Refund.Reason.RETURN,
        seller_order_id=part.pk,
        whole=True,
    )

    assert refund.status == Refund.Status.FAILED
    assert refund.failure_message
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Status.CAPTURED, 0)
    assert not JournalEntry.objects.filter(key=f"refund:{refund.pk}").exists()
    # Nothing stays reserved: the whole amount can be asked for again.
    Payment.objects.filter(pk=payment.pk).update(reference=intent_id)
    again = refund_create(
        payment_id=payment.pk,
        idempotency_key="return:y",
        reason=Refund.Reason.RETURN,
        seller_order_id=part.pk,
        whole=True,
    )
    assert (again.status, again.amount) == (Refund.Status.SUCCEEDED, 1000)


def test_a_refund_made_while_stripe_is_unreachable_stays_pending_counts_and_is_submitted_later(
    settings, localstripe_server, django_capture_on_commit_callbacks
):
    from payments.services import RefundError, refund_create
    from payments.tasks import refunds_resume_task

    order, payment = _paid(quantity=2)
    part = order.seller_orders.get()
    line = part.lines.get()
    settings.STRIPE_API_BASE = "http://127.0.0.1:9"  # nothing listens there
    settings.STRIPE_MAX_NETWORK_RETRIES = 0

    with django_capture_on_commit_callbacks(execute=False):
        refund = refund_create(
            payment_id=payment.pk,
            idempotency_key="return:offline",
            reason=Refund.Reason.RETURN,
            seller_order_id=part.pk,
            lines=[(line.pk, 2)],
        )

    assert (refund.status, refund.reference) == (Refund.Status.PENDING, "")
    # The pending refund holds its amount: nothing more can be refunded meanwhile.
    with pytest.raises(RefundError):
        refund_create(
            payment_id=payment.pk,
            idempotency_key="return:more",
            reason=Refund.Reason.RETURN,
            seller_order_id=part.pk,
            whole=True,
        )

    settings.STRIPE_API_BASE = localstripe_server.url
    Refund.objects.filter(pk=refund.pk).update(created_at=timezone.now() - timedelta(minutes=10))
    assert refunds_resume_task.delay().get() == 1

    refund.refresh_from_db()
    assert (refund.status, refund.amount) == (Refund.Status.SUCCEEDED, 2000)
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_amount) == (Status.REFUNDED, 2000)


def test_the_pay_page_shows_the_card_form_with_stripe_js_and_no_secrets(client, settings):
    order, _variant = _order(quantity=1)
    client.login(email=order.buyer.email, password=PASSWORD)

    response = client.get(reverse("orders:order-pay", args=[order.number]))

    html = response.content.decode()
    assert response.status_code == 200
    assert f'<script src="{settings.STRIPE_JS_URL}"></script>' in html
    assert 'data-publishable-key="pk_test_localstripe"' in html
    assert "js/payment.js" in html
    assert 'id="card-element"' in html
    assert "Test payment" not in html
    assert settings.STRIPE_SECRET_KEY not in html
    assert "_secret_" not in html


def test_anything_but_a_stripe_js_reference_is_refused_before_stripe_is_asked(client):
    order, _variant = _order(quantity=1)
    client.login(email=order.buyer.email, password=PASSWORD)
    client.get(reverse("orders:order-pay", args=[order.number]))
    payment = Payment.objects.get(order=order)

    response = client.post(
        reverse("payments:payment-confirm", args=[order.number]),
        {"payment": payment.pk, "payment_method": "4242424242424242"},
    )

    assert response.status_code == 400
    assert response.json() == {"status": "error", "message": "Enter your card details."}
    payment.refresh_from_db()
    assert (payment.status, payment.reference) == (Status.CREATED, "")


def test_the_card_form_speaks_chinese(client):
    order, _variant = _order(quantity=1)
    client.login(email=order.buyer.email, password=PASSWORD)

    html = client.get(
        reverse("orders:order-pay", args=[order.number]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()

    assert "银行卡支付" in html
    assert "您的银行要求您确认这笔付款。" in html
