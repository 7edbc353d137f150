"""Real parallel connections on PostgreSQL: racing payout runs never pay a seller twice for the same money,
and racing operators cannot both settle one payout."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from common.exceptions import ApplicationError
from payments import ledger
from payments.models import JournalEntry, Payout
from payments.services_payouts import payout_mark_failed, payout_mark_paid, payouts_run
from tests.factories import OperatorFactory, SellerProfileFactory
from tests.payments.factories_payouts import SALE_SELLER_AMOUNT, bank_account_for, released_sale

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgresql_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    settings.COMMISSION_DEFAULT_BP = 1000
    settings.PAYOUT_MINIMUM_AMOUNT = 1000
    ledger.accounts_cache_clear()
    yield
    ledger.accounts_cache_clear()


def _in_parallel(fn, args):
    def run(arg):
        try:
            return fn(arg)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(args)) as pool:
        return list(pool.map(run, args))


def _available(seller):
    return {b.currency: b for b in ledger.seller_balances(seller_id=seller.pk)}["USD"].available


def test_ten_runs_with_different_keys_racing_pay_a_seller_once():
    # given one seller with two released sales
    seller = SellerProfileFactory()
    bank_account_for(seller)
    released_sale(seller=seller)
    released_sale(seller=seller)

    # when ten runs (the daily one, operators' clicks) start at once
    results = _in_parallel(lambda i: payouts_run(run_key=f"race-{i}").created, list(range(10)))

    # then exactly one payout of everything, and nothing is left available
    assert sum(len(created) for created in results) == 1
    payout = Payout.objects.get()
    assert payout.amount == 2 * SALE_SELLER_AMOUNT
    assert _available(seller) == 0
    assert JournalEntry.objects.filter(kind=JournalEntry.Kind.PAYOUT).count() == 1
    assert ledger.ledger_problems() == []


def test_the_same_run_racing_itself_pays_each_of_many_sellers_once():
    sellers = [SellerProfileFactory() for _ in range(5)]
    for seller in sellers:
        bank_account_for(seller)
        released_sale(seller=seller)

    results = _in_parallel(lambda _: payouts_run(run_key="daily:2026-11-27").created, list(range(8)))

    assert sum(len(created) for created in results) == 5
    assert sorted(Payout.objects.values_list("seller_id", flat=True)) == sorted(s.pk for s in sellers)
    assert all(_available(seller) == 0 for seller in sellers)
    assert ledger.ledger_problems() == []


def test_operators_marking_one_payout_paid_and_failed_at_once_settle_it_once():
    # given a pending payout
    seller = SellerProfileFactory()
    bank_account_for(seller)
    released_sale(seller=seller)
    payouts_run(run_key="r1")
    payout = Payout.objects.get()
    operator = OperatorFactory()

    def settle(i):
        try:
            if i % 2:
                payout_mark_paid(payout_id=payout.pk, reference=f"REF-{i}", actor_id=operator.pk)
            else:
                payout_mark_failed(payout_id=payout.pk, reason=f"reason {i}", actor_id=operator.pk)
            return "ok"
        except ApplicationError:
            return "refused"

    # when ten operators act at once
    results = _in_parallel(settle, list(range(10)))

    # then exactly one change won, with its one ledger entry
    assert results.count("ok") == 1
    payout.refresh_from_db()
    settled = JournalEntry.objects.filter(
        kind__in=[JournalEntry.Kind.PAYOUT_PAID, JournalEntry.Kind.PAYOUT_FAILED]
    )
    assert settled.count() == 1
    assert payout.status in ("paid", "failed")
    assert _available(seller) == (SALE_SELLER_AMOUNT if payout.status == "failed" else 0)
    assert ledger.ledger_problems() == []
