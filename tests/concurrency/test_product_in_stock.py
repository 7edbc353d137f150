"""Real parallel connections on PostgreSQL: ``Product.in_stock`` stays true to the SKUs when two stock
changes of one product's SKUs cross zero at the same time. Each locks the product before its SKU
(``catalog.locks``), so the second queues on the product and then reads the first one's committed stock;
were the product locked after the SKU, both would change their SKUs first and each miss the other's."""

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from catalog import services
from catalog.models import Product, StockMovement
from catalog.services import stock_adjust
from tests.factories import ProductVariantFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
Reason = StockMovement.Reason


def _both_reach_the_product_together(monkeypatch) -> None:
    """Hold each transaction after it changed its SKU until the other has changed its own too, or for a
    second: with the product locked first, the other one is queued on the product meanwhile."""
    both_changed = threading.Barrier(2, timeout=1)
    real_follow = services._products_in_stock_follow

    def follow(**kwargs):
        with contextlib.suppress(threading.BrokenBarrierError):
            both_changed.wait()
        return real_follow(**kwargs)

    monkeypatch.setattr(services, "_products_in_stock_follow", follow)


def _run_together(*changes: tuple[int, int, str]) -> None:
    def change(args):
        variant_id, delta, reason = args
        try:
            stock_adjust(variant_id=variant_id, delta=delta, reason=reason)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(changes)) as pool:
        list(pool.map(change, changes))


def _skip_unless_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def test_the_last_units_of_two_skus_sold_at_once_sell_the_product_out(monkeypatch):
    _skip_unless_postgresql()
    first = ProductVariantFactory(stock=1)
    second = ProductVariantFactory(product=first.product, stock=1)
    _both_reach_the_product_together(monkeypatch)

    _run_together((first.pk, -1, Reason.RESERVATION), (second.pk, -1, Reason.RESERVATION))

    assert Product.objects.get(pk=first.product_id).in_stock is False


def test_a_restock_at_the_moment_the_last_unit_of_another_sku_sells_keeps_the_product_in_stock(monkeypatch):
    _skip_unless_postgresql()
    selling = ProductVariantFactory(stock=1)
    restocked = ProductVariantFactory(product=selling.product, stock=0)
    _both_reach_the_product_together(monkeypatch)

    _run_together((selling.pk, -1, Reason.RESERVATION), (restocked.pk, 5, Reason.RESTOCK))

    assert Product.objects.get(pk=selling.product_id).in_stock is True
