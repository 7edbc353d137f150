"""The seller's statement (every movement of their money with a running balance) and earnings per day."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from payments.models import JournalEntry, Payout
from payments.selectors_payouts import seller_earnings_by_day, seller_statement_rows
from payments.services_payouts import payouts_run
from tests.factories import SellerProfileFactory
from tests.payments.factories_payouts import SALE_SELLER_AMOUNT, bank_account_for, released_sale

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _payout_settings(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    settings.PAYOUT_MINIMUM_AMOUNT = 1000


def test_the_statement_lists_every_movement_with_each_accounts_running_balance():
    # given a sale, its release and a payout
    seller = SellerProfileFactory()
    bank_account_for(seller)
    part = released_sale(seller=seller)
    payouts_run(run_key="r1")
    payout = Payout.objects.get()
    SellerProfileFactory()  # someone else's money never shows

    # when
    rows = list(seller_statement_rows(seller_id=seller.pk))

    # then
    number = part.order.number
    assert [(r.kind, r.account, r.order_number, r.payout_id, r.amount, r.balance) for r in rows] == [
        ("capture", "seller_pending", number, None, SALE_SELLER_AMOUNT, SALE_SELLER_AMOUNT),
        ("funds_available", "seller_pending", number, None, -SALE_SELLER_AMOUNT, 0),
        ("funds_available", "seller_available", number, None, SALE_SELLER_AMOUNT, SALE_SELLER_AMOUNT),
        ("payout", "seller_available", "", payout.pk, -SALE_SELLER_AMOUNT, 0),
    ]
    assert [r.kind_label for r in rows] == ["Sale", "Funds available", "Funds available", "Payout"]
    assert {r.currency for r in rows} == {"USD"}


def test_a_date_range_starts_from_the_balance_before_it():
    # given a first sale made "long ago" and a second one today
    seller = SellerProfileFactory()
    first = released_sale(seller=seller)
    JournalEntry.objects.filter(order_id=first.order_id).update(
        created_at=timezone.now() - timedelta(days=40)
    )
    JournalEntry.objects.filter(key=f"available:{first.pk}").update(
        created_at=timezone.now() - timedelta(days=40)
    )
    released_sale(seller=seller)
    today = timezone.localdate()

    # when only today is asked for
    rows = list(seller_statement_rows(seller_id=seller.pk, date_from=today, date_to=today))

    # then the older movements are left out but counted in the running balances
    assert [(r.kind, r.account, r.balance) for r in rows] == [
        ("capture", "seller_pending", SALE_SELLER_AMOUNT),
        ("funds_available", "seller_pending", 0),
        ("funds_available", "seller_available", 2 * SALE_SELLER_AMOUNT),
    ]
    assert list(seller_statement_rows(seller_id=seller.pk, date_to=today - timedelta(days=41))) == []


def test_earnings_per_day_cover_thirty_days_per_currency_zero_filled():
    seller = SellerProfileFactory()
    released_sale(seller=seller)
    released_sale(seller=seller)
    today = timezone.localdate()

    earnings = seller_earnings_by_day(seller_id=seller.pk, today=today, days=30)

    assert list(earnings) == ["USD"]
    days = earnings["USD"]
    assert len(days) == 30
    assert (days[0].day, days[-1].day) == (today - timedelta(days=29), today)
    assert days[-1].amount == 2 * SALE_SELLER_AMOUNT  # releases and payouts are not earnings
    assert sum(d.amount for d in days) == 2 * SALE_SELLER_AMOUNT


def test_no_earnings_no_chart():
    assert seller_earnings_by_day(seller_id=SellerProfileFactory().pk, today=date(2026, 1, 1)) == {}
