"""Real parallel connections on PostgreSQL: concurrent shipments of one part never ship more units than
were ordered, and concurrent deliveries of its parcels deliver the part exactly once."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections

from common.exceptions import ApplicationError
from orders.models import OrderEvent, OrderStatus, SellerOrder, ShipmentLine
from orders.shipping.services import shipment_create, shipment_event_add
from tests.orders.factories_seller import paid_part

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def test_eight_concurrent_one_unit_shipments_of_a_five_unit_line_ship_exactly_five():
    _postgres_only()
    part = paid_part(quantities=(5,))
    line = part.lines.get()

    def ship(n):
        try:
            shipment_create(
                seller_order_id=part.pk,
                seller_id=part.seller_id,
                carrier="UPS",
                tracking_number=f"1ZRACE{n:04d}",
                quantities={line.pk: 1},
            )
            return "ok"
        except ApplicationError:
            return "refused"
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(ship, range(8)))

    assert results.count("ok") == 5
    assert results.count("refused") == 3
    assert sum(ShipmentLine.objects.filter(order_line=line).values_list("quantity", flat=True)) == 5
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.SHIPPED
    assert OrderEvent.objects.filter(seller_order=part, to_status=OrderStatus.SHIPPED).count() == 1


def test_concurrent_deliveries_of_every_parcel_deliver_the_part_exactly_once():
    _postgres_only()
    part = paid_part(quantities=(1, 1, 1, 1))
    shipments = [
        shipment_create(
            seller_order_id=part.pk,
            seller_id=part.seller_id,
            carrier="UPS",
            tracking_number=f"1ZPARCEL{line.pk}",
            quantities={line.pk: 1},
        )
        for line in part.lines.order_by("pk")
    ]
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.SHIPPED

    def deliver(shipment):
        try:
            shipment_event_add(
                shipment_id=shipment.pk,
                status="delivered",
                occurred_at=shipment.shipped_at + timedelta(minutes=1),
                source="carrier",
                external_id=f"ups:{shipment.pk}",
            )
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(deliver, shipments))

    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.DELIVERED
    assert OrderEvent.objects.filter(seller_order=part, to_status=OrderStatus.DELIVERED).count() == 1
