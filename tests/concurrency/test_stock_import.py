"""Real parallel connections on PostgreSQL: an import sets the file's stock level even when a checkout
reserves stock of the same SKU meanwhile (the level is read under the row lock, not before it)."""

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections, transaction

from catalog.locks import variants_lock
from catalog.models import StockMovement
from catalog.services import stock_adjust
from catalog.services_import import product_import
from tests.factories import ProductVariantFactory

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
Reason = StockMovement.Reason


def test_an_import_during_a_reservation_ends_at_the_files_level_with_matching_movements():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    variant = ProductVariantFactory(sku="CAN-5L", stock=5)
    seller = variant.product.seller
    locked = threading.Event()

    def reserve():
        try:
            with transaction.atomic():
                # As every stock change does (``catalog.locks``): the product, then the SKU.
                variants_lock(variant_ids=[variant.pk])
                locked.set()
                time.sleep(0.5)  # the import starts now and has to wait for this row
                stock_adjust(variant_id=variant.pk, delta=-3, reason=Reason.RESERVATION)
        finally:
            connections.close_all()

    def import_file():
        locked.wait(5)
        try:
            return product_import(
                seller_id=seller.id, actor_id=None, file=b"sku,stock\nCAN-5L,10\n", file_format="csv"
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        reserved = pool.submit(reserve)
        imported = pool.submit(import_file)
        reserved.result()
        report = imported.result()

    variant.refresh_from_db()
    movements = StockMovement.objects.order_by("id").values_list("reason", "delta", "quantity_after")
    assert (report.errors, report.stock_changes) == ([], 1)
    assert variant.stock == 10
    assert list(movements) == [(Reason.RESERVATION, -3, 2), (Reason.IMPORT, 8, 10)]
