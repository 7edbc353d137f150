"""Payout runs, operators marking payouts paid or failed, and the seller's payout account."""

import os
import subprocess
import sys

import pytest

from accounts.models import SellerProfile
from payments import ledger
from payments.models import JournalEntry, LedgerAccount, Payout, SellerPayoutAccount
from payments.services_payouts import (
    PayoutError,
    payout_mark_failed,
    payout_mark_paid,
    payouts_run,
    seller_payout_account_update,
)
from payments.tasks_payouts import payouts_run_task
from tests.factories import OperatorFactory, SellerProfileFactory
from tests.payments.factories_payouts import (
    SALE_SELLER_AMOUNT,
    bank_account_for,
    captured_sale,
    released_sale,
)

pytestmark = pytest.mark.django_db

Kind = LedgerAccount.Kind


@pytest.fixture(autouse=True)
def _payout_settings(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    settings.PAYOUT_MINIMUM_AMOUNT = 1000
    settings.PAYOUT_PROVIDER = "manual"


def _balance(seller, currency="USD"):
    return {b.currency: b for b in ledger.seller_balances(seller_id=seller.pk)}[currency]


# --- runs ---------------------------------------------------------------------------------------------


def test_a_run_pays_the_whole_available_balance_of_a_seller_with_a_payout_account():
    # given two released sales and one still pending
    seller = SellerProfileFactory()
    bank_account_for(seller)
    released_sale(seller=seller)
    released_sale(seller=seller)
    captured_sale(seller=seller)

    # when
    result = payouts_run(run_key="daily:2026-11-27")

    # then one pending manual payout of everything available, moved to payouts in transit
    [payout] = Payout.objects.all()
    assert result.created == [payout.pk]
    assert (payout.seller_id, payout.amount, payout.currency) == (seller.pk, 2 * SALE_SELLER_AMOUNT, "USD")
    assert (payout.status, payout.provider, payout.run_key) == ("pending", "manual", "daily:2026-11-27")
    balance = _balance(seller)
    assert (balance.pending, balance.available, balance.in_transit, balance.paid_out) == (
        SALE_SELLER_AMOUNT,
        0,
        2 * SALE_SELLER_AMOUNT,
        0,
    )
    assert ledger.account_balance(kind=Kind.PAYOUTS_IN_TRANSIT, currency="USD") == -2 * SALE_SELLER_AMOUNT
    assert JournalEntry.objects.filter(key=f"payout:{payout.pk}").exists()
    assert ledger.ledger_problems() == []


def test_a_balance_below_the_minimum_is_kept_for_a_later_run(settings):
    settings.PAYOUT_MINIMUM_AMOUNT = SALE_SELLER_AMOUNT + 1
    seller = SellerProfileFactory()
    bank_account_for(seller)
    released_sale(seller=seller)

    assert payouts_run(run_key="r1").created == []

    released_sale(seller=seller)
    assert len(payouts_run(run_key="r2").created) == 1
    assert Payout.objects.get().amount == 2 * SALE_SELLER_AMOUNT


def test_sellers_without_payout_details_or_not_in_good_standing_are_not_paid():
    without_account = SellerProfileFactory()
    released_sale(seller=without_account)
    suspended = SellerProfileFactory()
    bank_account_for(suspended)
    released_sale(seller=suspended)
    SellerProfile.objects.filter(pk=suspended.pk).update(status=SellerProfile.Status.SUSPENDED)

    result = payouts_run(run_key="r1")

    assert result.created == []
    assert result.without_account == [without_account.pk]
    assert _balance(without_account).available == SALE_SELLER_AMOUNT
    assert _balance(suspended).available == SALE_SELLER_AMOUNT


def test_the_same_run_twice_and_a_second_run_pay_nobody_twice():
    seller = SellerProfileFactory()
    bank_account_for(seller)
    released_sale(seller=seller)

    first = payouts_run(run_key="daily:2026-11-27")
    again = payouts_run(run_key="daily:2026-11-27")
    other = payouts_run(run_key="operator:1:20261127T120000")

    assert len(first.created) == 1
    assert again.created == other.created == []
    assert Payout.objects.count() == 1
    assert _balance(seller).available == 0


def test_one_payout_per_currency():
    seller = SellerProfileFactory()
    bank_account_for(seller)
    released_sale(seller=seller)
    released_sale(seller=seller, currency="EUR")

    payouts_run(run_key="r1")

    assert sorted(Payout.objects.values_list("currency", "amount")) == [
        ("EUR", SALE_SELLER_AMOUNT),
        ("USD", SALE_SELLER_AMOUNT),
    ]


def test_the_daily_task_names_its_run_by_date_so_a_retry_pays_nobody_twice():
    seller = SellerProfileFactory()
    bank_account_for(seller)
    released_sale(seller=seller)

    first = payouts_run_task.apply().get()
    second = payouts_run_task.apply().get()

    assert len(first) == 1
    assert second == []
    assert Payout.objects.get().run_key.startswith("daily:")


def test_a_run_needs_a_name():
    with pytest.raises(PayoutError):
        payouts_run(run_key="")


# --- marking paid / failed ------------------------------------------------------------------------------


def _pending_payout(seller=None):
    seller = seller or SellerProfileFactory()
    bank_account_for(seller)
    released_sale(seller=seller)
    payouts_run(run_key="r1")
    return Payout.objects.get(seller=seller)


def test_an_operator_marks_a_payout_paid_with_the_bank_reference():
    # given
    payout = _pending_payout()
    operator = OperatorFactory()

    # when
    payout_mark_paid(payout_id=payout.pk, reference="  BANK-REF-001 ", actor_id=operator.pk)

    # then
    payout.refresh_from_db()
    assert (payout.status, payout.reference, payout.marked_by_id) == ("paid", "BANK-REF-001", operator.pk)
    assert payout.paid_at is not None
    balance = _balance(payout.seller)
    assert (balance.available, balance.in_transit, balance.paid_out) == (0, 0, SALE_SELLER_AMOUNT)
    assert ledger.account_balance(kind=Kind.PAYOUTS_IN_TRANSIT, currency="USD") == 0
    assert ledger.ledger_problems() == []


def test_marking_paid_needs_a_reference_and_happens_once():
    payout = _pending_payout()
    operator = OperatorFactory()

    with pytest.raises(PayoutError, match="reference"):
        payout_mark_paid(payout_id=payout.pk, reference=" ", actor_id=operator.pk)
    payout_mark_paid(payout_id=payout.pk, reference="REF-1", actor_id=operator.pk)
    with pytest.raises(PayoutError, match="cannot go from “Paid” to “Paid”"):
        payout_mark_paid(payout_id=payout.pk, reference="REF-2", actor_id=operator.pk)
    with pytest.raises(PayoutError, match="cannot go from “Paid” to “Failed”"):
        payout_mark_failed(payout_id=payout.pk, reason="bounced", actor_id=operator.pk)

    assert Payout.objects.get(pk=payout.pk).reference == "REF-1"
    assert JournalEntry.objects.filter(kind=JournalEntry.Kind.PAYOUT_PAID).count() == 1


def test_a_failed_payout_gives_the_money_back_and_the_next_run_pays_it_again():
    # given
    payout = _pending_payout()
    operator = OperatorFactory()

    # when
    payout_mark_failed(payout_id=payout.pk, reason="Account closed", actor_id=operator.pk)

    # then
    payout.refresh_from_db()
    assert (payout.status, payout.failure_message) == ("failed", "Account closed")
    assert _balance(payout.seller).available == SALE_SELLER_AMOUNT
    with pytest.raises(PayoutError):
        payout_mark_paid(payout_id=payout.pk, reference="late", actor_id=operator.pk)

    result = payouts_run(run_key="r2")
    assert Payout.objects.get(pk=result.created[0]).amount == SALE_SELLER_AMOUNT
    assert ledger.ledger_problems() == []


def test_marking_failed_needs_a_reason():
    payout = _pending_payout()

    with pytest.raises(PayoutError):
        payout_mark_failed(payout_id=payout.pk, reason="", actor_id=None)


# --- payout account -----------------------------------------------------------------------------------


def test_a_seller_saves_bank_details_kept_without_spaces_and_can_change_them():
    seller = SellerProfileFactory()

    seller_payout_account_update(
        seller_id=seller.pk,
        provider="manual",
        account_holder=" Ada  Lovelace ",
        bank_account="gb33 bukb-2020",
    )
    account = seller_payout_account_update(
        seller_id=seller.pk,
        provider="manual",
        account_holder="Ada Lovelace",
        bank_account="DE89370400440532013000",
    )

    assert SellerPayoutAccount.objects.count() == 1
    assert (account.provider, account.account_holder, account.bank_account) == (
        "manual",
        "Ada Lovelace",
        "DE89370400440532013000",
    )


def test_bank_details_need_a_holder_and_a_plausible_number():
    seller = SellerProfileFactory()

    with pytest.raises(PayoutError) as caught:
        seller_payout_account_update(
            seller_id=seller.pk, provider="manual", account_holder="", bank_account="12"
        )

    assert set(caught.value.extra) == {"account_holder", "bank_account"}
    assert not SellerPayoutAccount.objects.exists()


def test_a_stripe_connect_account_needs_an_acct_id_and_replaces_bank_details():
    seller = SellerProfileFactory()
    bank_account_for(seller)

    with pytest.raises(PayoutError) as caught:
        seller_payout_account_update(
            seller_id=seller.pk, provider="stripe_connect", stripe_account_id="cus_123"
        )
    account = seller_payout_account_update(
        seller_id=seller.pk, provider="stripe_connect", stripe_account_id="acct_1Abcdefgh"
    )

    assert list(caught.value.extra) == ["stripe_account_id"]
    assert (account.provider, account.stripe_account_id, account.bank_account) == (
        "stripe_connect",
        "acct_1Abcdefgh",
        "",
    )


def test_an_unknown_payout_method_is_refused():
    with pytest.raises(PayoutError):
        seller_payout_account_update(seller_id=SellerProfileFactory().pk, provider="paypal")


def test_the_beat_entries_name_tasks_a_freshly_started_worker_registers(settings):
    """A worker knows only the tasks imported while it starts; the beat entries must name them."""
    names = [
        settings.CELERY_BEAT_SCHEDULE[key]["task"]
        for key in ("payments-seller-funds-release", "payments-payouts-run")
    ]
    probe = (
        "import django; django.setup()\n"
        "from marketplace.celery import app\n"
        "app.loader.import_default_modules()\n"
        f"print(all(name in app.tasks for name in {[*names, 'payments.payout_submit']!r}))\n"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "marketplace.settings"}
    env.pop("REDIS_URL", None)

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=60, check=True
    )

    assert result.stdout.strip().splitlines()[-1] == "True"
