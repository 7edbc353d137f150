"""The seller's money pages through the test client: balance, payouts, payout details, statement CSV, and
the commission block on the seller's order page."""

import csv
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import SellerProfile
from payments.models import Payout, SellerPayoutAccount
from payments.services_payouts import payout_mark_paid, payouts_run
from tests.factories import OperatorFactory, SellerProfileFactory, UserFactory
from tests.payments.factories_payouts import (
    SALE_SELLER_AMOUNT,
    bank_account_for,
    captured_sale,
    released_sale,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _payout_settings(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    settings.PAYOUT_MINIMUM_AMOUNT = 1000
    settings.PAYOUT_PROVIDER = "manual"
    settings.SELLER_FUNDS_HOLD_DAYS = 14


@pytest.fixture
def seller(client):
    profile = SellerProfileFactory(shop_name="Attic")
    client.force_login(profile.user)
    return profile


def _paid_payout(seller):
    bank_account_for(seller)
    released_sale(seller=seller)
    payouts_run(run_key="r1")
    payout = Payout.objects.get(seller=seller)
    payout_mark_paid(payout_id=payout.pk, reference="BANK-42", actor_id=OperatorFactory().pk)
    return payout


# --- access -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["seller:balance", "seller:payout-list", "seller:payout-account", "seller:statement-export"]
)
def test_the_pages_are_for_approved_sellers_only(client, name):
    anonymous = client.get(reverse(name))
    client.force_login(UserFactory())
    shopper = client.get(reverse(name))
    client.force_login(SellerProfileFactory(status=SellerProfile.Status.SUSPENDED).user)
    suspended = client.get(reverse(name))

    assert anonymous.status_code == 302
    assert "login" in anonymous["Location"]
    assert shopper.status_code == 302
    assert shopper["Location"] == reverse("accounts:seller-apply")
    assert suspended.status_code == 403


def test_another_sellers_payout_is_a_404(client, seller):
    theirs = _paid_payout(SellerProfileFactory())
    mine = _paid_payout(seller)

    assert client.get(reverse("seller:payout-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("seller:payout-detail", args=[mine.pk])).status_code == 200


# --- balance ------------------------------------------------------------------------------------------


def test_the_balance_page_shows_pending_available_in_transit_and_paid_out(client, seller):
    # given: one payout paid, one sale released since (available), one still pending
    _paid_payout(seller)
    released_sale(seller=seller)
    captured_sale(seller=seller)
    released_sale(seller=SellerProfileFactory())  # another seller's money

    # when
    response = client.get(reverse("seller:balance"))

    # then
    assert response.status_code == 200
    [balance] = response.context["balances"]
    assert (balance.pending, balance.available, balance.in_transit, balance.paid_out) == (
        SALE_SELLER_AMOUNT,
        SALE_SELLER_AMOUNT,
        0,
        SALE_SELLER_AMOUNT,
    )
    html = response.content.decode()
    assert '<td data-testid="paid-out-USD">$13.95</td>' in html
    assert '<td data-testid="available-USD">$13.95</td>' in html
    assert "BANK-42" in html
    assert '<span class="status-badge payout-status">Paid out</span>' in html
    assert "•••• 5555" in html
    assert "GB33BUKB20201555555555" not in html  # the full number never goes back to the browser
    [chart] = response.context["charts"]
    assert chart["currency"] == "USD"
    assert chart["total"] == 3 * SALE_SELLER_AMOUNT
    assert len(chart["bars"]) == 30
    assert chart["bars"][-1]["height"] == chart["height"]
    assert 'role="img"' in html


def test_the_balance_page_invites_a_seller_without_payout_details_to_add_them(client, seller):
    response = client.get(reverse("seller:balance"))

    assert response.status_code == 200
    assert "We cannot pay you yet" in response.content.decode()
    assert response.context["balances"] == []
    assert response.context["charts"] == []


def test_the_balance_page_needs_a_bounded_number_of_queries(client, seller, django_assert_max_num_queries):
    for _ in range(3):
        _ = released_sale(seller=seller)
    bank_account_for(seller)
    payouts_run(run_key="r1")
    client.get(reverse("seller:balance"))  # warm up session
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("seller:balance"))
    for _ in range(3):
        released_sale(seller=seller)
    payouts_run(run_key="r2")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("seller:balance"))


def test_the_payout_history_lists_only_the_sellers_own_payouts(client, seller, django_assert_max_num_queries):
    mine = _paid_payout(seller)
    _paid_payout(SellerProfileFactory())

    with django_assert_max_num_queries(10):
        response = client.get(reverse("seller:payout-list"))

    assert list(response.context["payouts"]) == [mine]
    detail = client.get(reverse("seller:payout-detail", args=[mine.pk])).content.decode()
    assert "BANK-42" in detail
    assert '<span class="status-badge" id="payout-status">Paid out</span>' in detail


# --- payout account -----------------------------------------------------------------------------------


def test_a_seller_saves_bank_details_and_sees_them_masked(client, seller):
    response = client.post(
        reverse("seller:payout-account"),
        {"account_holder": "Attic Ltd", "bank_account": "DE89 3704 0044 0532 0130 00"},
    )

    assert response.status_code == 302
    account = SellerPayoutAccount.objects.get(seller=seller)
    assert (account.provider, account.account_holder, account.bank_account) == (
        "manual",
        "Attic Ltd",
        "DE89370400440532013000",
    )
    page = client.get(reverse("seller:payout-account")).content.decode()
    assert "•••• 3000" in page
    assert "DE89370400440532013000" not in page
    assert "Your payout details are saved." in page


def test_leaving_the_number_blank_keeps_the_saved_one(client, seller):
    bank_account_for(seller, number="GB33BUKB20201555555555")

    response = client.post(
        reverse("seller:payout-account"), {"account_holder": "New Holder", "bank_account": ""}
    )

    assert response.status_code == 302
    account = SellerPayoutAccount.objects.get(seller=seller)
    assert (account.account_holder, account.bank_account) == ("New Holder", "GB33BUKB20201555555555")


def test_bad_bank_details_are_shown_next_to_the_field(client, seller):
    response = client.post(
        reverse("seller:payout-account"), {"account_holder": "Attic", "bank_account": "12!"}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["bank_account"] == [
        "Give an IBAN or account number: 6 to 34 letters and digits."
    ]
    assert not SellerPayoutAccount.objects.exists()


def test_with_stripe_connect_the_seller_gives_a_connected_account(client, seller, settings):
    settings.PAYOUT_PROVIDER = "stripe_connect"

    form_page = client.get(reverse("seller:payout-account"))
    response = client.post(reverse("seller:payout-account"), {"stripe_account_id": "acct_1AtticShop"})

    assert list(form_page.context["form"].fields) == ["stripe_account_id"]
    assert response.status_code == 302
    assert SellerPayoutAccount.objects.get(seller=seller).stripe_account_id == "acct_1AtticShop"


# --- statement ----------------------------------------------------------------------------------------


def _csv(response):
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_statement_downloads_as_csv_with_exact_amounts_and_running_balances(
    client, seller, django_assert_max_num_queries
):
    # given
    payout = _paid_payout(seller)
    today = timezone.localdate().isoformat()

    # when
    with django_assert_max_num_queries(8):
        response = client.get(reverse("seller:statement-export"), {"date_from": today, "date_to": today})
        rows = _csv(response)

    # then
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="statement-{today}-to-{today}.csv"'
    assert rows[0] == [
        "date",
        "currency",
        "account",
        "kind",
        "description",
        "order_number",
        "payout",
        "amount_minor",
        "amount",
        "balance_minor",
        "balance",
    ]
    body = [row[1:] for row in rows[1:]]
    number = Payout.objects.get(pk=payout.pk).seller.seller_orders.get().order.number
    assert body == [
        ["USD", "Pending funds", "capture", "Sale", number, "", "1395", "$13.95", "1395", "$13.95"],
        [
            "USD",
            "Pending funds",
            "funds_available",
            "Funds available",
            number,
            "",
            "-1395",
            "-$13.95",
            "0",
            "$0.00",
        ],
        [
            "USD",
            "Available funds",
            "funds_available",
            "Funds available",
            number,
            "",
            "1395",
            "$13.95",
            "1395",
            "$13.95",
        ],
        ["USD", "Available funds", "payout", "Payout", "", str(payout.pk), "-1395", "-$13.95", "0", "$0.00"],
    ]


def test_a_statement_range_ending_before_it_starts_is_refused(client, seller):
    response = client.get(
        reverse("seller:statement-export"), {"date_from": "2026-02-01", "date_to": "2026-01-01"}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("seller:balance")


def test_the_statement_holds_only_the_sellers_own_money(client, seller):
    released_sale(seller=SellerProfileFactory())

    rows = _csv(client.get(reverse("seller:statement-export")))

    assert len(rows) == 1  # the header


# --- commission on the order page ---------------------------------------------------------------------


def test_the_seller_order_page_shows_the_commission_taken(client, seller):
    part = captured_sale(seller=seller, quantities=(2,))

    html = client.get(reverse("seller:order-detail", args=[part.pk])).content.decode()

    assert "Commission and your earnings" in html
    assert '<dd data-testid="commission-total">\u2212$2.00</dd>' in html  # a minus sign
    assert '<dd class="grand-total" data-testid="commission-net">$22.95</dd>' in html
    assert "10 %" in html


def test_the_balance_page_speaks_chinese(client, seller):
    released_sale(seller=seller)

    html = client.get(reverse("seller:balance"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()

    assert "余额" in html
