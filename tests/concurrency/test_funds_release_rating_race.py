"""Real parallel connections on PostgreSQL: the nightly release of a completed order part's funds to the
seller (``seller_funds_release``) while the buyer rates the seller for that very part.

The release locks the part (``payments.ledger``: its pending balance is read and posted from) and, the
seller's first release, creates their "available" ledger account, whose foreign key to the seller is
checked at COMMIT. The rating locks the seller's profile (its aggregate) and inserts a row pointing at the
part, checked at its COMMIT. With the part held FOR UPDATE the rating's check waited for the release while
the release's check waited for the rating: a deadlock. The part is locked in the one lock order
(``orders.lifecycle.locks``: the order, then the part, FOR NO KEY UPDATE), which lets a foreign-key check
through. Half the rounds force that interleaving (the release holds the part until the rating holds the
seller, ``HOLD`` at most); the others start the two together, the rating after a delay moving from round
to round."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from orders.models import SellerRating
from orders.reviews import services as services_reviews
from payments import ledger
from payments.models import JournalEntry, LedgerAccount
from payments.services_payouts import seller_funds_release
from tests.factories import SellerProfileFactory
from tests.payments.factories_payouts import SALE_SELLER_AMOUNT, captured_sale

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROUNDS = 8
HOLD = 0.5  # seconds the release holds the part waiting for the rating to hold the seller
SPREAD = 0.04  # seconds: about as long as the release takes here


@pytest.fixture(autouse=True)
def _postgresql_only(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    settings.COMMISSION_DEFAULT_BP = 1000
    ledger.accounts_cache_clear()
    yield
    ledger.accounts_cache_clear()


def _release_holds_the_part_until_the_rating_holds_the_seller(monkeypatch) -> threading.Event:
    """Returns the event the rating waits for before it starts: the release holds the part."""
    holding, rating_holds_seller = threading.Event(), threading.Event()
    pending_balance = ledger.seller_order_pending_balance  # the release's first read under the part's lock
    aggregate_refresh = services_reviews._seller_aggregate_refresh  # the rating, holding the seller's row

    def balance(**kwargs):
        holding.set()
        rating_holds_seller.wait(timeout=HOLD)
        return pending_balance(**kwargs)

    def refresh(seller_id):
        rating_holds_seller.set()
        return aggregate_refresh(seller_id)

    monkeypatch.setattr(ledger, "seller_order_pending_balance", balance)
    monkeypatch.setattr(services_reviews, "_seller_aggregate_refresh", refresh)
    return holding


def _race(release, rate, *, rate_after: threading.Event | None, delay: float) -> list[object]:
    """Run both at once; each answers "ok" or what escaped it."""
    barrier = threading.Barrier(2)

    def run(actor, wait_for, pause):
        try:
            barrier.wait(timeout=30)
            if wait_for is not None:
                wait_for.wait(timeout=HOLD)
            time.sleep(pause)
            actor()
            return "ok"
        except Exception as exc:  # what escaped is the finding
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, [release, rate], [None, rate_after], [0, delay]))


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_the_funds_of_a_part_are_released_as_the_buyer_rates_its_seller(round_no, monkeypatch, caplog):
    seller = SellerProfileFactory()
    part = captured_sale(seller=seller, completed_days_ago=30)
    buyer_id = part.order.buyer_id
    holding = None
    if round_no % 2 == 0:
        holding = _release_holds_the_part_until_the_rating_holds_the_seller(monkeypatch)
    released: list[int] = []

    def release():
        released.append(seller_funds_release(now=timezone.now() + timedelta(seconds=1)))

    def rate():
        services_reviews.seller_rating_create(seller_order_id=part.pk, author_id=buyer_id, rating=4)

    results = _race(release, rate, rate_after=holding, delay=(round_no * 3 % ROUNDS) * SPREAD / ROUNDS)

    assert results == ["ok", "ok"]
    assert released == [1]
    victims = [r.getMessage() for r in caplog.records if r.name == "common.retry"]
    assert victims == []
    assert SellerRating.objects.filter(seller_order=part).count() == 1
    seller.refresh_from_db()
    assert seller.rating_count == 1
    entry = JournalEntry.objects.get(key=f"available:{part.pk}")
    available = LedgerAccount.objects.get(kind=LedgerAccount.Kind.SELLER_AVAILABLE, seller=seller)
    assert [line.amount for line in entry.lines.filter(account=available)] == [-SALE_SELLER_AMOUNT]
    assert ledger.ledger_problems() == []
