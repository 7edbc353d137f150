"""Real parallel connections on PostgreSQL: concurrent decrements never oversell a SKU."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from catalog.models import StockMovement
from catalog.services import OutOfStock, stock_adjust
from tests.factories import ProductVariantFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_forty_concurrent_single_unit_takes_of_ten_units_sell_exactly_ten():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    variant = ProductVariantFactory(stock=10)

    def take_one(_):
        try:
            stock_adjust(variant_id=variant.id, delta=-1, reason=StockMovement.Reason.RESERVATION)
            return "ok"
        except OutOfStock:
            return "out"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(take_one, range(40)))

    variant.refresh_from_db()
    assert results.count("ok") == 10
    assert results.count("out") == 30
    assert variant.stock == 0
    assert sorted(StockMovement.objects.values_list("quantity_after", flat=True)) == list(range(10))
