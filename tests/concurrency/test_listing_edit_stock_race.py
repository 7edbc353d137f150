"""Real parallel connections on PostgreSQL: a seller saves their listing (``product_update``, what the
edit form calls) at the moment its last unit sells in a checkout, or comes back when a shopper cancels an
unpaid order. The seller's edit locks the product, then its SKUs; a stock change crossing zero writes
``Product.in_stock``, so it locks the product too, and it does so before the SKU (``catalog.locks``).
Whoever wins, both succeed, no transaction is even a deadlock victim (the retry is a safety net) and the
flag says what the SKU holds.

Half the rounds force the interleaving that deadlocked when the stock services locked the SKU first:
the seller holds the product, the other side changes the SKU before it asks for the product. The seller
waits for that (``HOLD`` at most: with the locks in one order the other side queues on the product and
never gets there), then goes on to its SKU. The other rounds start the two together, the other side
after a delay that moves from round to round across the seller's transaction."""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from catalog import services as catalog_services
from catalog import services_listing
from catalog.models import Product, ProductVariant
from catalog.services_listing import VariantInput, product_update
from common.exceptions import ApplicationError
from orders.cart.services import checkout_place
from orders.lifecycle.services import order_cancel_by_shopper
from orders.models import Order, OrderStatus
from tests.factories import UserFactory
from tests.orders.factories import ADDRESS, cart_with_lines, order_place, purchasable_variant

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROUNDS = 8
HOLD = 0.5  # seconds the seller holds the product waiting for the other side's SKU change
SPREAD = 0.06  # seconds: about as long as the seller's edit takes here


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def _seller_edit(variant: ProductVariant, *, stock: int):
    """The seller saves the listing's form as they loaded it, a new title and the stock level they saw."""
    product = variant.product

    def edit():
        product_update(
            seller_id=product.seller_id,
            product_id=product.pk,
            actor_id=product.seller.user_id,
            title=f"{product.title} (edited)",
            category_id=product.category_id,
            description=product.description,
            brand=product.brand,
            condition=product.condition,
            variants=[
                VariantInput(id=variant.pk, sku=variant.sku, price_amount=variant.price_amount, stock=stock)
            ],
        )

    return edit


def _checkout(variant: ProductVariant):
    """A shopper checks out the last unit."""
    shopper = UserFactory()
    cart = cart_with_lines(user=shopper, lines=[(variant, 1)])

    def place():
        checkout_place(
            cart_id=cart.pk,
            buyer_id=shopper.pk,
            email=shopper.email,
            shipping_address=ADDRESS,
            shipping_choice={},
            coupon_code="",
            expected_total=None,
            idempotency_key=uuid.uuid4().hex,
            owner=f"user:{shopper.pk}",
        )

    return place


def _cancellation(order: Order):
    """The shopper cancels their unpaid order: its unit goes back on the shelf."""

    def cancel():
        order_cancel_by_shopper(order_id=order.pk, user_id=order.buyer_id)

    return cancel


def _seller_holds_the_product_until_the_sku_changes(monkeypatch) -> threading.Event:
    """The seller, holding the product, waits until the other side has changed the SKU (or ``HOLD``
    passes); returns the event the other side waits for before it starts: the seller holds the product."""
    holding, sku_changed = threading.Event(), threading.Event()
    check_listing = services_listing._check_listing  # the seller's first step after locking the product
    stock_update = catalog_services._stock_update  # the one statement every stock change runs

    def checked(**kwargs):
        holding.set()
        sku_changed.wait(timeout=HOLD)
        return check_listing(**kwargs)

    def updated(**kwargs):
        changed = stock_update(**kwargs)
        sku_changed.set()
        return changed

    monkeypatch.setattr(services_listing, "_check_listing", checked)
    monkeypatch.setattr(catalog_services, "_stock_update", updated)
    return holding


def _race(seller, other, *, other_after: threading.Event | None, delay: float) -> list[object]:
    """Run the seller's edit and the other side at once; each answers "ok" or what escaped it."""
    barrier = threading.Barrier(2)

    def run(actor, wait_for):
        try:
            barrier.wait(timeout=30)
            if wait_for is not None:
                wait_for.wait(timeout=HOLD)
            time.sleep(delay if actor is other else 0)
            actor()
            return "ok"
        except ApplicationError as exc:  # a refusal is a finding here too: neither should be refused
            return exc
        except Exception as exc:
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, [seller, other], [None, other_after]))


def _assert_no_victim(caplog) -> None:
    victims = [r.getMessage() for r in caplog.records if r.name == "common.retry"]
    assert victims == []


def _forced(round_no: int) -> bool:
    return round_no % 2 == 0


def _delay(round_no: int) -> float:
    return (round_no * 5 % ROUNDS) * SPREAD / ROUNDS


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_the_seller_edits_the_listing_as_its_last_unit_sells(round_no, monkeypatch, caplog):
    variant = purchasable_variant(stock=1)
    seller, checkout = _seller_edit(variant, stock=1), _checkout(variant)
    holding = _seller_holds_the_product_until_the_sku_changes(monkeypatch) if _forced(round_no) else None

    results = _race(seller, checkout, other_after=holding, delay=_delay(round_no))

    assert results == ["ok", "ok"]
    _assert_no_victim(caplog)
    assert Order.objects.count() == 1
    product = Product.objects.get(pk=variant.product_id)
    assert product.title.endswith("(edited)")
    # The seller's level replaces what it read under the lock: 1 if the sale came first, else sold out.
    stock = ProductVariant.objects.get(pk=variant.pk).stock
    assert stock in (0, 1)
    assert product.in_stock is (stock > 0)


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_the_seller_edits_the_listing_as_a_cancelled_order_gives_its_only_unit_back(
    round_no, monkeypatch, caplog
):
    variant = purchasable_variant(stock=1)
    order = order_place(lines=[(variant, 1)])
    assert Product.objects.get(pk=variant.product_id).in_stock is False
    seller, cancel = _seller_edit(variant, stock=0), _cancellation(order)
    holding = _seller_holds_the_product_until_the_sku_changes(monkeypatch) if _forced(round_no) else None

    results = _race(seller, cancel, other_after=holding, delay=_delay(round_no))

    assert results == ["ok", "ok"]
    _assert_no_victim(caplog)
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    product = Product.objects.get(pk=variant.product_id)
    stock = ProductVariant.objects.get(pk=variant.pk).stock
    assert stock in (0, 1)
    assert product.in_stock is (stock > 0)
