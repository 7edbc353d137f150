"""Operators' payout tools in the admin: run payouts now, mark paid with a reference, mark failed; and
the commission rate admin."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from payments import ledger
from payments.models import Payout
from payments.services_payouts import payout_mark_paid
from tests.factories import OperatorFactory, SellerProfileFactory, UserFactory, category_create
from tests.payments.factories_payouts import SALE_SELLER_AMOUNT, bank_account_for, released_sale

pytestmark = pytest.mark.django_db

CHANGELIST = "admin:payments_payout_changelist"


@pytest.fixture(autouse=True)
def _payout_settings(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    settings.PAYOUT_MINIMUM_AMOUNT = 1000


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


def _seller_owed(shop_name="Attic"):
    seller = SellerProfileFactory(shop_name=shop_name)
    bank_account_for(seller)
    released_sale(seller=seller)
    return seller


def test_an_operator_sees_who_is_due_and_runs_payouts_now(client, operator):
    # given
    seller = _seller_owed("Attic")
    SellerProfileFactory(shop_name="No Details")
    released_sale(seller=SellerProfileFactory(shop_name="Nowhere To Pay"))

    # when
    changelist = client.get(reverse(CHANGELIST))
    preview = client.get(reverse("admin:payments_payout_run"))
    response = client.post(reverse("admin:payments_payout_run"), follow=True)

    # then
    assert reverse("admin:payments_payout_run") in changelist.content.decode()
    preview_html = preview.content.decode()
    assert "Attic" in preview_html
    assert "$13.95" in preview_html
    assert "missing — skipped" in preview_html
    assert (
        "Payout run done: 1 payouts created, 1 sellers without payout details." in response.content.decode()
    )
    payout = Payout.objects.get()
    assert (payout.seller, payout.amount, payout.run_key.startswith(f"operator:{operator.pk}:")) == (
        seller,
        SALE_SELLER_AMOUNT,
        True,
    )


def test_only_operators_run_payouts(client):
    _seller_owed()
    client.force_login(UserFactory())

    response = client.post(reverse("admin:payments_payout_run"))

    assert response.status_code == 302
    assert "login" in response["Location"]
    assert not Payout.objects.exists()


def _payout(client):
    client.post(reverse("admin:payments_payout_run"))
    return Payout.objects.get()


def test_mark_paid_asks_for_a_reference_per_payout_then_marks_them_paid(client, operator):
    # given
    _seller_owed()
    payout = _payout(client)
    action = {"action": "mark_paid", ACTION_CHECKBOX_NAME: [payout.pk]}

    # when the action is chosen, the intermediate page asks for the reference and shows where to pay
    page = client.post(reverse(CHANGELIST), action)
    missing = client.post(reverse(CHANGELIST), {**action, "apply": "yes", f"reference_{payout.pk}": ""})
    done = client.post(
        reverse(CHANGELIST),
        {**action, "apply": "yes", f"reference_{payout.pk}": "BANK-2026-001"},
        follow=True,
    )

    # then
    html = page.content.decode()
    assert f"Reference for payout #{payout.pk}" in html
    assert "GB33BUKB20201555555555" in html  # the operator needs the full number to pay
    assert missing.status_code == 200
    assert "This field is required." in missing.content.decode()
    assert f"Payout #{payout.pk} marked paid." in done.content.decode()
    payout.refresh_from_db()
    assert (payout.status, payout.reference, payout.marked_by) == ("paid", "BANK-2026-001", operator)
    assert ledger.ledger_problems() == []


def test_mark_failed_with_a_reason_returns_the_money_and_refuses_paid_payouts(client, operator):
    first = _seller_owed("Attic")
    paid = _payout(client)
    payout_mark_paid(payout_id=paid.pk, reference="R1", actor_id=operator.pk)
    released_sale(seller=first)
    client.post(reverse("admin:payments_payout_run"))
    pending = Payout.objects.get(status="pending")

    response = client.post(
        reverse(CHANGELIST),
        {
            "action": "mark_failed",
            ACTION_CHECKBOX_NAME: [paid.pk, pending.pk],
            "apply": "yes",
            "reason": "Bank returned the transfer",
        },
        follow=True,
    )

    html = response.content.decode()
    assert f"Payout #{pending.pk} marked failed." in html
    assert f"Payout #{paid.pk} not changed" in html
    assert Payout.objects.get(pk=pending.pk).status == "failed"
    assert Payout.objects.get(pk=paid.pk).status == "paid"
    assert {b.currency: b for b in ledger.seller_balances(seller_id=first.pk)}[
        "USD"
    ].available == SALE_SELLER_AMOUNT


def test_the_payout_page_is_read_only_and_shows_where_to_pay(client, operator):
    _seller_owed()
    payout = _payout(client)

    page = client.get(reverse("admin:payments_payout_change", args=[payout.pk]))
    post = client.post(
        reverse("admin:payments_payout_change", args=[payout.pk]), {"amount": "1", "status": "paid"}
    )

    assert "bank transfer to Attic, GB33BUKB20201555555555" in page.content.decode()
    assert post.status_code == 302
    payout.refresh_from_db()
    assert (payout.amount, payout.status) == (SALE_SELLER_AMOUNT, "pending")
    assert client.get(reverse("admin:payments_payout_add")).status_code == 403


def test_operators_set_commission_rates_per_category_and_per_seller(client, operator):
    category = category_create("Books")
    seller = SellerProfileFactory()

    by_category = client.post(
        reverse("admin:payments_categorycommission_add"), {"category": category.pk, "rate_bp": 750}
    )
    by_seller = client.post(
        reverse("admin:payments_sellercommission_add"),
        {"seller": seller.pk, "rate_bp": 300, "note": "launch deal"},
    )
    too_high = client.post(
        reverse("admin:payments_sellercommission_add"), {"seller": seller.pk, "rate_bp": 10_001}
    )

    assert by_category.status_code == by_seller.status_code == 302
    assert too_high.status_code == 200
    listing = client.get(reverse("admin:payments_categorycommission_changelist")).content.decode()
    assert "7.5 %" in listing
