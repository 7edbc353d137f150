"""Real parallel connections on PostgreSQL: shipping locks the order and the seller's part in the one lock
order, FOR NO KEY UPDATE (``orders.lifecycle.locks``), like every other service.

A carrier's late tracking update of a delivered parcel holds the order and the part while the buyer
rates the seller for that part. The rating takes neither (it locks the seller's profile for its
aggregate) but inserts a row pointing at the part, whose foreign key PostgreSQL checks at COMMIT with
FOR KEY SHARE. Under shipping's former FOR UPDATE that check queued behind the tracking update: the
rating's COMMIT waited for a transaction it shares no row with, holding the seller's profile meanwhile
(so the seller's other ratings and payout run queued behind the tracking update too). The same wait,
with the ledger's FOR UPDATE on the part, closed a cycle: ``test_funds_release_rating_race``. FOR NO KEY
UPDATE lets the check through.

Half the rounds force the interleaving (the tracking update holds its locks until the rating has
committed, ``HOLD`` at most) and assert that the rating committed meanwhile; the others start the two
together, the rating after a delay moving from round to round. No round may leave a deadlock victim."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection, connections

from orders.models import OrderEvent, OrderStatus, SellerOrder, SellerRating, Shipment, ShipmentEvent
from orders.reviews.services import seller_rating_create
from orders.shipping import services as shipping
from tests.orders.factories_seller import paid_part

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]

ROUNDS = 6
HOLD = 1.0  # seconds the tracking update holds its locks waiting for the rating to commit
SPREAD = 0.03  # seconds: about as long as a tracking update takes here


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")


def _delivered_parcel() -> tuple[SellerOrder, Shipment]:
    part = paid_part(quantities=(1,))
    shipment = shipping.shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="UPS",
        tracking_number=f"1ZLATE{part.pk:04d}",
    )
    shipping.shipment_event_add(
        shipment_id=shipment.pk,
        status=Shipment.Status.DELIVERED,
        occurred_at=shipment.shipped_at + timedelta(minutes=2),
        source="carrier",
        external_id=f"ups:{shipment.pk}:delivered",
    )
    part.refresh_from_db()
    assert part.status == OrderStatus.DELIVERED
    return part, shipment


@pytest.mark.parametrize("round_no", range(ROUNDS))
def test_a_late_tracking_update_does_not_hold_up_the_buyers_rating_of_the_part(round_no, monkeypatch, caplog):
    part, shipment = _delivered_parcel()
    forced = round_no % 2 == 0
    holding, rated = threading.Event(), threading.Event()
    rated_while_held: list[bool] = []
    if forced:
        follow = shipping._shipment_status_follow  # the update's step after its locks and its event row

        def held_follow(row):
            holding.set()
            rated_while_held.append(rated.wait(timeout=HOLD))
            return follow(row)

        monkeypatch.setattr(shipping, "_shipment_status_follow", held_follow)
    barrier = threading.Barrier(2)

    def late_update():
        shipping.shipment_event_add(
            shipment_id=shipment.pk,
            status=Shipment.Status.IN_TRANSIT,
            occurred_at=shipment.shipped_at + timedelta(minutes=1),
            source="carrier",
            location="Hub",
            external_id=f"ups:{shipment.pk}:late",
        )

    def rate():
        if forced:
            holding.wait(timeout=HOLD)
        time.sleep((round_no * 5 % ROUNDS) * SPREAD / ROUNDS)
        seller_rating_create(seller_order_id=part.pk, author_id=part.order.buyer_id, rating=5)
        rated.set()  # committed: the service's transaction has ended

    def run(actor):
        try:
            barrier.wait(timeout=30)
            actor()
            return "ok"
        except Exception as exc:  # what escaped is the finding
            return exc
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(run, [late_update, rate]))

    assert results == ["ok", "ok"]
    if forced:
        assert rated_while_held == [True], "the rating's COMMIT waited for the tracking update's locks"
    victims = [r.getMessage() for r in caplog.records if r.name == "common.retry"]
    assert victims == []
    assert SellerRating.objects.filter(seller_order=part).count() == 1
    assert ShipmentEvent.objects.filter(shipment=shipment).count() == 3
    assert Shipment.objects.get(pk=shipment.pk).status == Shipment.Status.DELIVERED  # the late one is history
    assert SellerOrder.objects.get(pk=part.pk).status == OrderStatus.DELIVERED
    assert OrderEvent.objects.filter(seller_order=part, kind=OrderEvent.Kind.SHIPMENT).count() == 3
