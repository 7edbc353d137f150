"""``manage.py ledger_check``: exit 0 on books that balance, non-zero naming each broken invariant."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from payments import ledger
from payments.models import JournalEntry, JournalLine, LedgerAccount
from tests.factories import SellerProfileFactory
from tests.payments.factories_ledger import LineSpec, PartSpec, payout_record, sale_create

pytestmark = pytest.mark.django_db


def ledger_check(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("ledger_check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def seller_with_a_sale():
    seller = SellerProfileFactory()
    sale = sale_create(parts=[PartSpec(seller, [LineSpec(1000, commission=100)], shipping=200)])
    ledger.capture_post(
        payment_id=sale.payment.pk,
        order_id=sale.order.pk,
        currency="USD",
        amount=sale.amount,
        allocations=sale.allocations,
    )
    ledger.fee_post(payment_id=sale.payment.pk, order_id=sale.order.pk, currency="USD", amount=35)
    ledger.funds_available_post(seller_id=seller.pk, seller_order_id=sale.parts[0].pk, currency="USD")
    return seller


def test_clean_books_pass_with_a_summary(seller_with_a_sale):
    out, err = ledger_check("-v", "2")

    assert "Ledger: 3 entries, 7 lines, 5 accounts" in out
    assert "USD: 7 lines, debits 2,335, credits -2,335, sum 0" in out
    assert "USD provider_cash" in out
    assert "The books balance: no problems found." in out
    assert err == ""


def test_empty_books_pass():
    out, _err = ledger_check()

    assert "Ledger: 0 entries, 0 lines, 0 accounts" in out
    assert "no problems found" in out


def test_a_line_inserted_behind_the_ledgers_back_fails_the_check_naming_the_entry(seller_with_a_sale):
    entry = JournalEntry.objects.get(kind="fee")
    JournalLine.objects.create(
        entry=entry, account=LedgerAccount.objects.get(kind="provider_cash"), amount=-1, currency="USD"
    )

    with pytest.raises(CommandError, match="2 ledger problem"):
        ledger_check()

    problems = ledger.ledger_problems()
    assert problems == [
        f"entry fee:{entry.payment_id} does not balance (sum -1, 1 currencies)",
        "all accounts in USD sum to -1, not 0",
    ]


def test_the_problems_are_printed_on_stderr(seller_with_a_sale):
    entry = JournalEntry.objects.get(kind="fee")
    JournalLine.objects.create(
        entry=entry, account=LedgerAccount.objects.get(kind="provider_cash"), amount=-1, currency="EUR"
    )
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError):
        call_command("ledger_check", stdout=out, stderr=err)

    assert err.getvalue().splitlines() == [
        f"PROBLEM: entry fee:{entry.payment_id} does not balance (sum -1, 2 currencies)",
        f"PROBLEM: entry fee:{entry.payment_id} has a line in another currency than its account",
        "PROBLEM: all accounts in EUR sum to -1, not 0",
    ]
    assert "no problems found" not in out.getvalue()


def test_a_payout_without_its_ledger_entry_fails_the_check_naming_the_seller(seller_with_a_sale):
    seller = seller_with_a_sale
    payout_record(seller=seller, amount=500)

    with pytest.raises(CommandError, match="1 ledger problem"):
        ledger_check()

    assert ledger.ledger_problems() == [f"seller {seller.pk} USD: ledger payable 1100, records say 600"]
