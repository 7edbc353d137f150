"""Real parallel connections on PostgreSQL: one business fact reported by many processes at once is posted
once, and an account many posters need at once is created once."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.db.models import Sum

from payments import ledger
from payments.ledger import EntrySpec, Posting
from payments.models import JournalEntry, JournalLine, LedgerAccount
from tests.factories import SellerProfileFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

THREADS = 12
Kind = LedgerAccount.Kind


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


@pytest.fixture(autouse=True)
def _no_cached_account_ids():
    """Each test starts from an emptied database: account ids cached by an earlier test name no row."""
    ledger.accounts_cache_clear()
    yield
    ledger.accounts_cache_clear()


def _all_at_once(work):
    """Run ``work(i)`` in THREADS threads released together, each on its own connection."""
    barrier = threading.Barrier(THREADS)

    def run(index):
        try:
            barrier.wait(timeout=30)
            return work(index)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        return list(pool.map(run, range(THREADS)))


def test_the_same_fact_posted_by_many_connections_at_once_is_one_entry():
    seller = SellerProfileFactory()
    spec = EntrySpec(
        kind="capture",
        key="capture:race",
        currency="USD",
        postings=[
            Posting(Kind.PROVIDER_CASH, 1000),
            Posting(Kind.SELLER_PENDING, -900, seller.pk),
            Posting(Kind.COMMISSION_REVENUE, -100),
        ],
    )

    results = _all_at_once(lambda _i: ledger.entry_post(spec))

    assert sorted(created for _entry, created in results) == [False] * (THREADS - 1) + [True]
    assert len({entry.pk for entry, _created in results}) == 1
    assert JournalEntry.objects.filter(key="capture:race").count() == 1
    assert JournalLine.objects.count() == 3
    assert LedgerAccount.objects.count() == 3
    assert JournalLine.objects.aggregate(total=Sum("amount"))["total"] == 0


def test_many_connections_needing_a_new_account_at_once_create_it_once():
    seller = SellerProfileFactory()

    ids = _all_at_once(
        lambda _i: ledger.account_id_get(kind=Kind.SELLER_AVAILABLE, currency="EUR", seller_id=seller.pk)
    )

    assert len(set(ids)) == 1
    assert LedgerAccount.objects.filter(kind=Kind.SELLER_AVAILABLE, currency="EUR").count() == 1


def test_different_facts_posted_at_once_to_the_same_new_accounts_all_land_on_one_account_each():
    def post(index):
        return ledger.entry_post(
            EntrySpec(
                kind="fee",
                key=f"fee:race:{index}",
                currency="GBP",
                postings=[Posting(Kind.PROVIDER_FEES, 10 + index), Posting(Kind.PROVIDER_CASH, -10 - index)],
            )
        )

    results = _all_at_once(post)

    assert all(created for _entry, created in results)
    assert LedgerAccount.objects.filter(currency="GBP").count() == 2
    assert ledger.account_balance(kind=Kind.PROVIDER_FEES, currency="GBP") == sum(
        10 + i for i in range(THREADS)
    )
    assert ledger.ledger_problems() == []


def test_batches_of_disjoint_facts_posted_at_once_are_all_kept():
    def post_batch(index):
        return ledger.entries_post_batch(
            [
                EntrySpec(
                    kind="capture",
                    key=f"batch:{index}:{n}",
                    currency="USD",
                    postings=[Posting(Kind.PROVIDER_CASH, 100), Posting(Kind.SHOPPER_CLEARING, -100)],
                )
                for n in range(50)
            ]
        )

    created = _all_at_once(post_batch)

    assert created == [50] * THREADS
    assert JournalEntry.objects.count() == 50 * THREADS
    assert ledger.account_balance(kind=Kind.PROVIDER_CASH, currency="USD") == 100 * 50 * THREADS
    assert LedgerAccount.objects.count() == 2
