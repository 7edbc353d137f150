"""Real parallel checkouts on PostgreSQL: a popular SKU never oversells, SKUs taken in opposite orders never
deadlock, and payment confirmation racing the expiry of the same order ends in one clear answer."""

from __future__ import annotations

import contextlib
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from catalog import services as catalog_services
from catalog.models import ProductVariant, StockMovement
from catalog.services import OutOfStock
from orders import services_stock
from orders.cart.services import checkout_place
from orders.lifecycle.services import order_payment_confirmed, orders_expire_unpaid
from orders.models import Order, OrderEvent, OrderStatus
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories import ADDRESS, cart_with_lines, order_place, purchasable_variant

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

SHOPPERS = 200
STOCK = 10
WORKERS = 16  # parallel connections; the shared PostgreSQL allows 100 in all


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def _checkout(cart, user) -> Order:
    order, _created = checkout_place(
        cart_id=cart.pk,
        buyer_id=user.pk,
        email=user.email,
        shipping_address=ADDRESS,
        shipping_choice={},
        coupon_code="",
        expected_total=None,
        idempotency_key=uuid.uuid4().hex,
        owner=f"user:{user.pk}",
    )
    return order


def _in_thread(work):
    """Run ``work`` on this thread's own connection and say how it ended (never raise into the pool)."""

    def run(*args):
        try:
            work(*args)
            return "ok"
        except OutOfStock:
            return "out"
        except Exception as exc:
            return f"{type(exc).__name__}: {exc}"
        finally:
            connections.close_all()

    return run


def _pause_after_first_stock_change(monkeypatch, parties: int, wait: float = 2.0):
    """Make every thread stop after its first stock change until ``parties`` threads hold one each (or
    ``wait`` seconds pass, when another thread is queued behind a lock this one holds): the interleaving
    in which locks taken in opposite orders deadlock, made certain instead of left to chance."""
    barrier = threading.Barrier(parties)
    seen = threading.local()
    real = catalog_services._stock_update  # the one statement every stock change (reserve, release) runs

    def stock_update(**kwargs):
        changed = real(**kwargs)
        if not getattr(seen, "done", False):
            seen.done = True
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=wait)
        return changed

    monkeypatch.setattr(catalog_services, "_stock_update", stock_update)


def test_two_hundred_shoppers_racing_for_ten_units_get_ten_orders_and_a_clear_no(capsys):
    variant = purchasable_variant(stock=STOCK)
    shoppers = [UserFactory() for _ in range(SHOPPERS)]
    carts = [cart_with_lines(user=user, lines=[(variant, 1)]) for user in shoppers]
    start = threading.Barrier(WORKERS)
    warmed = threading.local()

    def place(cart, user):
        if not getattr(warmed, "done", False):  # the first wave starts together
            warmed.done = True
            start.wait(timeout=30)
        _checkout(cart, user)

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(_in_thread(place), carts, shoppers))
    elapsed = time.perf_counter() - began

    with capsys.disabled():
        print(
            f"\n[checkout contention] {SHOPPERS} checkouts of 1 unit, stock {STOCK}, {WORKERS} connections:"
            f" {elapsed:.2f}s ({SHOPPERS / elapsed:.0f} checkouts/s)"
        )
    others = [r for r in results if r not in ("ok", "out")]
    assert others == []
    assert results.count("ok") == STOCK
    assert results.count("out") == SHOPPERS - STOCK
    variant.refresh_from_db()
    assert variant.stock == 0
    assert Order.objects.count() == STOCK
    assert (
        StockMovement.objects.filter(variant=variant, reason=StockMovement.Reason.RESERVATION).count()
        == STOCK
    )
    assert sorted(
        StockMovement.objects.filter(variant=variant, reason=StockMovement.Reason.RESERVATION).values_list(
            "quantity_after", flat=True
        )
    ) == list(range(STOCK))


def test_two_checkouts_taking_two_skus_in_opposite_orders_do_not_deadlock(monkeypatch):
    # Different sellers, so each cart's lines (and order parts) come in the order the shopper added them.
    first = purchasable_variant(seller=SellerProfileFactory(), stock=5)
    second = purchasable_variant(seller=SellerProfileFactory(), stock=5)
    ada, bob = UserFactory(), UserFactory()
    adas = cart_with_lines(user=ada, lines=[(first, 1), (second, 1)])
    bobs = cart_with_lines(user=bob, lines=[(second, 1), (first, 1)])
    _pause_after_first_stock_change(monkeypatch, parties=2)

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(_in_thread(_checkout), [adas, bobs], [ada, bob]))

    assert results == ["ok", "ok"]
    assert dict(ProductVariant.objects.filter(pk__in=[first.pk, second.pk]).values_list("pk", "stock")) == {
        first.pk: 3,
        second.pk: 3,
    }


def test_many_checkouts_sharing_two_skus_in_both_orders_all_succeed():
    first = purchasable_variant(seller=SellerProfileFactory(), stock=100)
    second = purchasable_variant(seller=SellerProfileFactory(), stock=100)
    shoppers = [UserFactory() for _ in range(40)]
    carts = [
        cart_with_lines(user=user, lines=[(first, 1), (second, 1)] if n % 2 else [(second, 1), (first, 1)])
        for n, user in enumerate(shoppers)
    ]

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        results = list(pool.map(_in_thread(_checkout), carts, shoppers))

    assert results == ["ok"] * 40
    assert set(
        ProductVariant.objects.filter(pk__in=[first.pk, second.pk]).values_list("stock", flat=True)
    ) == {60}


def test_an_order_expiring_while_a_checkout_takes_the_same_skus_does_not_deadlock(monkeypatch):
    # The expiring order's first part (lower id) holds the higher SKU id: giving its stock back part by part
    # would lock the SKUs in the opposite order to the checkout, which takes them in SKU-id order.
    low = purchasable_variant(seller=SellerProfileFactory(), stock=5)
    high = purchasable_variant(seller=SellerProfileFactory(), stock=5)
    placed_at = timezone.now() - timedelta(days=1)
    expiring = order_place(lines=[(high, 1), (low, 1)], now=placed_at)
    parts = list(expiring.seller_orders.order_by("pk").values_list("seller_id", flat=True))
    assert parts == [high.product.seller_id, low.product.seller_id]
    shopper = UserFactory()
    cart = cart_with_lines(user=shopper, lines=[(low, 1), (high, 1)])
    _pause_after_first_stock_change(monkeypatch, parties=2)

    def expire():
        assert orders_expire_unpaid(now=timezone.now()) == 1

    with ThreadPoolExecutor(max_workers=2) as pool:
        expired = pool.submit(_in_thread(expire))
        placed = pool.submit(_in_thread(_checkout), cart, shopper)
        results = [expired.result(), placed.result()]

    assert results == ["ok", "ok"]
    expiring.refresh_from_db()
    assert expiring.status == OrderStatus.CANCELLED
    assert dict(ProductVariant.objects.filter(pk__in=[low.pk, high.pk]).values_list("pk", "stock")) == {
        low.pk: 4,
        high.pk: 4,
    }


def test_a_payment_confirmed_while_the_order_expires_is_refused_cleanly_with_a_refund_due(monkeypatch):
    placed_at = timezone.now() - timedelta(days=1)
    order = order_place(lines=[(purchasable_variant(stock=5), 1)], now=placed_at)
    expiry_holds_the_order = threading.Event()
    real_return = services_stock.seller_order_stock_return

    def slow_return(**kwargs):
        # Inside the expiry's transaction, with the order row locked: let the payment arrive now.
        expiry_holds_the_order.set()
        time.sleep(1.0)
        return real_return(**kwargs)

    monkeypatch.setattr(services_stock, "seller_order_stock_return", slow_return)
    answers: list[bool] = []

    def expire():
        orders_expire_unpaid(now=timezone.now())

    def pay():
        assert expiry_holds_the_order.wait(timeout=10)
        answers.append(
            order_payment_confirmed(
                order_id=order.pk, amount=order.total_amount, currency=order.currency, reference="pi_late"
            )
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        expired = pool.submit(_in_thread(expire))
        paid = pool.submit(_in_thread(pay))
        results = [expired.result(), paid.result()]

    assert results == ["ok", "ok"]
    assert answers == [False]
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    note = OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.NOTE)
    assert note.data == {"refund_due": True, "reference": "pi_late"}
