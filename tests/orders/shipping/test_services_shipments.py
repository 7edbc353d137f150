"""Shipping a seller's part (in one or more parcels), tracking updates, and the thin status wrappers."""

from datetime import timedelta

import pytest
from django.utils import timezone

from catalog.models import ProductVariant
from common.exceptions import ApplicationError
from orders.lifecycle.transitions import IllegalTransition
from orders.models import OrderEvent, OrderStatus, SellerOrder, Shipment, ShipmentEvent, ShipmentLine
from orders.shipping.services import (
    carrier_name_normalize,
    seller_order_cancel,
    seller_order_start_processing,
    shipment_create,
    shipment_event_add,
)
from tests.factories import SellerProfileFactory
from tests.orders.factories_seller import paid_part

pytestmark = pytest.mark.django_db


@pytest.fixture
def part():
    return paid_part(quantities=(2, 1))


def _lines(part):
    return list(part.lines.order_by("pk"))


def _status(part):
    return SellerOrder.objects.get(pk=part.pk).status


def test_shipping_everything_marks_the_part_shipped_with_one_parcel_holding_every_unit(part):
    a, b = _lines(part)

    shipment = shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="ups",
        tracking_number=" 1z 999 aa1 ",
        actor_id=part.seller.user_id,
    )

    assert (shipment.carrier, shipment.tracking_number, shipment.status) == ("UPS", "1Z999AA1", "shipped")
    assert sorted(shipment.lines.values_list("order_line_id", "quantity")) == [(a.pk, 2), (b.pk, 1)]
    assert list(shipment.events.values_list("status", "source")) == [("shipped", "seller")]
    assert _status(part) == OrderStatus.SHIPPED
    shipment_event = OrderEvent.objects.get(seller_order=part, kind=OrderEvent.Kind.SHIPMENT)
    assert shipment_event.data["carrier"] == "UPS"
    assert shipment_event.data["tracking_number"] == "1Z999AA1"
    assert (shipment_event.actor_kind, shipment_event.actor_id) == ("seller", part.seller.user_id)
    status_event = OrderEvent.objects.get(seller_order=part, kind=OrderEvent.Kind.STATUS)
    assert (status_event.from_status, status_event.to_status) == ("paid", "shipped")
    assert part.order.__class__.objects.get(pk=part.order_id).status == OrderStatus.SHIPPED


def test_shipping_part_of_a_paid_order_moves_it_to_processing_then_the_rest_to_shipped(part):
    a, b = _lines(part)

    shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="DHL",
        tracking_number="AAA1",
        quantities={a.pk: 1},
    )
    assert _status(part) == OrderStatus.PROCESSING

    second = shipment_create(
        seller_order_id=part.pk, seller_id=part.seller_id, carrier="DHL", tracking_number="AAA2"
    )

    assert sorted(second.lines.values_list("order_line_id", "quantity")) == [(a.pk, 1), (b.pk, 1)]
    assert _status(part) == OrderStatus.SHIPPED
    assert list(
        OrderEvent.objects.filter(seller_order=part, kind="status").values_list("from_status", "to_status")
    ) == [("paid", "processing"), ("processing", "shipped")]


def test_a_partial_shipment_of_a_processing_part_leaves_it_processing(part):
    a, _b = _lines(part)
    seller_order_start_processing(seller_order_id=part.pk, seller_id=part.seller_id, actor_id=None)

    shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="DHL",
        tracking_number="AAA1",
        quantities={a.pk: 2},
    )

    assert _status(part) == OrderStatus.PROCESSING
    assert OrderEvent.objects.filter(seller_order=part, kind="status").count() == 1


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ("over", "Only 2 of"),
        ("zero", "Ship at least one unit"),
        ("negative", "Ship at least one unit"),
        ("empty", "Choose at least one item to ship."),
        ("foreign", "This item is not part of the order."),
    ],
)
def test_quantities_must_be_positive_within_what_remains_and_of_this_part(part, quantities, message):
    a, _b = _lines(part)
    other = paid_part(seller=part.seller, quantities=(1,))
    bad = {
        "over": {a.pk: 3},
        "zero": {a.pk: 0},
        "negative": {a.pk: -1},
        "empty": {},
        "foreign": {other.lines.get().pk: 1},
    }[quantities]

    with pytest.raises(ApplicationError, match=message):
        shipment_create(
            seller_order_id=part.pk,
            seller_id=part.seller_id,
            carrier="UPS",
            tracking_number="1Z0001",
            quantities=bad,
        )

    assert Shipment.objects.count() == 0
    assert _status(part) == OrderStatus.PAID


def test_already_shipped_units_count_against_what_remains(part):
    a, _b = _lines(part)
    shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="UPS",
        tracking_number="1Z0001",
        quantities={a.pk: 2},
    )

    with pytest.raises(ApplicationError, match="Only 0 of"):
        shipment_create(
            seller_order_id=part.pk,
            seller_id=part.seller_id,
            carrier="UPS",
            tracking_number="1Z0002",
            quantities={a.pk: 1},
        )

    assert ShipmentLine.objects.filter(order_line=a).count() == 1


def test_another_sellers_part_cannot_be_shipped(part):
    intruder = SellerProfileFactory()

    with pytest.raises(ApplicationError, match="This order does not exist"):
        shipment_create(
            seller_order_id=part.pk, seller_id=intruder.pk, carrier="UPS", tracking_number="1Z0001"
        )

    assert Shipment.objects.count() == 0


@pytest.mark.parametrize("status", [OrderStatus.PENDING_PAYMENT, OrderStatus.CANCELLED, OrderStatus.SHIPPED])
def test_only_paid_or_processing_parts_can_be_shipped(status):
    part = paid_part(status=status)

    with pytest.raises(ApplicationError, match="Only a paid order or one being processed"):
        shipment_create(
            seller_order_id=part.pk, seller_id=part.seller_id, carrier="UPS", tracking_number="1Z0001"
        )

    assert Shipment.objects.count() == 0


def test_a_tracking_number_is_unique_per_carrier_whatever_its_spelling(part):
    other = paid_part()
    shipment_create(
        seller_order_id=other.pk, seller_id=other.seller_id, carrier="UPS", tracking_number="1Z0001"
    )

    with pytest.raises(ApplicationError, match="UPS tracking number 1Z0001 is already used") as caught:
        shipment_create(
            seller_order_id=part.pk, seller_id=part.seller_id, carrier="ups", tracking_number="1z 0001"
        )

    assert caught.value.extra == {"tracking_number": ["duplicate"]}
    assert _status(part) == OrderStatus.PAID
    # The same number with another carrier is someone else's parcel: fine.
    shipment_create(
        seller_order_id=part.pk, seller_id=part.seller_id, carrier="DHL", tracking_number="1Z0001"
    )
    assert _status(part) == OrderStatus.SHIPPED


@pytest.mark.parametrize(
    ("carrier", "tracking", "field"),
    [
        ("", "1Z0001", "carrier"),
        ("   ", "1Z0001", "carrier"),
        ("x" * 61, "1Z0001", "carrier"),
        ("UPS", "", "tracking_number"),
        ("UPS", "1Z", "tracking_number"),
        ("UPS", "1Z<b>", "tracking_number"),
        ("UPS", "9" * 65, "tracking_number"),
    ],
)
def test_carrier_and_tracking_number_are_checked(part, carrier, tracking, field):
    with pytest.raises(ApplicationError) as caught:
        shipment_create(
            seller_order_id=part.pk, seller_id=part.seller_id, carrier=carrier, tracking_number=tracking
        )

    assert list(caught.value.extra) == [field]
    assert Shipment.objects.count() == 0


def test_known_carriers_keep_their_usual_spelling_and_others_are_kept_as_typed():
    assert carrier_name_normalize("royal  mail") == "Royal Mail"
    assert carrier_name_normalize("fedex") == "FedEx"
    assert carrier_name_normalize(" Royal  Parcel ") == "Royal Parcel"


# --- tracking updates ---------------------------------------------------------------------------------


@pytest.fixture
def shipped(part):
    return shipment_create(
        seller_order_id=part.pk, seller_id=part.seller_id, carrier="UPS", tracking_number="1Z0001"
    )


def _after(shipment, minutes):
    """A moment after the parcel was registered (the "shipped" event), as carrier scans are."""
    return shipment.shipped_at + timedelta(minutes=minutes)


def test_a_tracking_update_moves_the_shipment_and_is_on_the_timeline(part, shipped):
    at = _after(shipped, 1)

    event = shipment_event_add(
        shipment_id=shipped.pk,
        status="in_transit",
        occurred_at=at,
        source="carrier",
        location="Memphis, TN",
        description="Departed facility",
        external_id="ups:e1",
    )

    shipped.refresh_from_db()
    assert (event.status, event.location, event.source, event.external_id) == (
        "in_transit",
        "Memphis, TN",
        "carrier",
        "ups:e1",
    )
    assert shipped.status == "in_transit"
    timeline = OrderEvent.objects.filter(seller_order=part, kind="shipment").last()
    assert (timeline.actor_kind, timeline.data["status"], timeline.data["location"]) == (
        "carrier",
        "in_transit",
        "Memphis, TN",
    )
    assert _status(part) == OrderStatus.SHIPPED


def test_a_redelivered_event_changes_nothing(part, shipped):
    at = _after(shipped, 1)
    shipment_event_add(
        shipment_id=shipped.pk, status="in_transit", occurred_at=at, source="carrier", external_id="e1"
    )
    before = (ShipmentEvent.objects.count(), OrderEvent.objects.count())

    again = shipment_event_add(
        shipment_id=shipped.pk,
        status="delivered",
        occurred_at=_after(shipped, 2),
        source="carrier",
        external_id="e1",
    )

    shipped.refresh_from_db()
    assert again is None
    assert (ShipmentEvent.objects.count(), OrderEvent.objects.count()) == before
    assert shipped.status == "in_transit"
    assert _status(part) == OrderStatus.SHIPPED


def test_a_late_older_event_is_kept_but_never_rolls_the_status_back(part, shipped):
    shipment_event_add(
        shipment_id=shipped.pk, status="out_for_delivery", occurred_at=_after(shipped, 5), source="carrier"
    )

    late = shipment_event_add(
        shipment_id=shipped.pk, status="in_transit", occurred_at=_after(shipped, 2), source="carrier"
    )

    shipped.refresh_from_db()
    assert late is not None
    assert shipped.status == "out_for_delivery"
    assert list(shipped.events.values_list("status", flat=True)) == [
        "shipped",
        "in_transit",
        "out_for_delivery",
    ]
    assert OrderEvent.objects.filter(kind="shipment").last().data["late"] is True
    assert _status(part) == OrderStatus.SHIPPED


def test_delivery_of_the_only_parcel_delivers_the_part(part, shipped):
    at = _after(shipped, 3)

    shipment_event_add(shipment_id=shipped.pk, status="delivered", occurred_at=at, source="carrier")

    shipped.refresh_from_db()
    assert (shipped.status, shipped.delivered_at) == ("delivered", at)
    assert _status(part) == OrderStatus.DELIVERED
    delivered = OrderEvent.objects.get(seller_order=part, kind="status", to_status="delivered")
    assert delivered.actor_kind == "carrier"


def test_the_part_is_delivered_only_when_every_parcel_is(part):
    a, b = _lines(part)
    first = shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="UPS",
        tracking_number="1Z0001",
        quantities={a.pk: 2},
    )
    second = shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="UPS",
        tracking_number="1Z0002",
        quantities={b.pk: 1},
    )
    shipment_event_add(
        shipment_id=first.pk, status="delivered", occurred_at=_after(second, 1), source="seller"
    )
    assert _status(part) == OrderStatus.SHIPPED

    shipment_event_add(
        shipment_id=second.pk, status="delivered", occurred_at=_after(second, 1), source="seller"
    )
    assert _status(part) == OrderStatus.DELIVERED
    assert OrderEvent.objects.get(seller_order=part, to_status="delivered").actor_kind == "seller"


def test_a_delivered_parcel_of_a_part_still_being_shipped_does_not_deliver_it(part):
    a, _b = _lines(part)
    first = shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="UPS",
        tracking_number="1Z0001",
        quantities={a.pk: 2},
    )

    shipment_event_add(
        shipment_id=first.pk, status="delivered", occurred_at=_after(first, 1), source="carrier"
    )

    assert _status(part) == OrderStatus.PROCESSING


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"status": "lost"}, "status"),
        ({"source": "shopper"}, "source"),
        ({"occurred_at": timezone.now().replace(tzinfo=None)}, "occurred_at"),
        ({"occurred_at": timezone.now() + timedelta(days=1)}, "occurred_at"),
        ({"location": "x" * 121}, "location"),
        ({"description": "x" * 301}, "description"),
        ({"external_id": "x" * 101}, "external_id"),
    ],
)
def test_a_bad_tracking_update_is_refused_and_changes_nothing(part, shipped, kwargs, field):
    args = {
        "shipment_id": shipped.pk,
        "status": "in_transit",
        "occurred_at": timezone.now(),
        "source": "carrier",
    }

    with pytest.raises(ApplicationError) as caught:
        shipment_event_add(**{**args, **kwargs})

    assert list(caught.value.extra) == [field]
    assert ShipmentEvent.objects.count() == 1  # the "shipped" one


# --- the thin wrappers --------------------------------------------------------------------------------


def test_start_processing_moves_a_paid_part_and_records_the_seller(part):
    seller_order_start_processing(
        seller_order_id=part.pk, seller_id=part.seller_id, actor_id=part.seller.user_id
    )

    event = OrderEvent.objects.get(seller_order=part)
    assert _status(part) == OrderStatus.PROCESSING
    assert (event.actor_kind, event.actor_id) == ("seller", part.seller.user_id)


def test_start_processing_twice_is_refused(part):
    seller_order_start_processing(seller_order_id=part.pk, seller_id=part.seller_id, actor_id=None)

    with pytest.raises(IllegalTransition):
        seller_order_start_processing(seller_order_id=part.pk, seller_id=part.seller_id, actor_id=None)


def test_cancelling_needs_a_reason_and_returns_the_stock(part):
    with pytest.raises(ApplicationError, match="Say why"):
        seller_order_cancel(seller_order_id=part.pk, seller_id=part.seller_id, actor_id=None, reason="   ")
    expected = {line.variant_id: line.variant.stock + line.quantity for line in _lines(part)}

    seller_order_cancel(
        seller_order_id=part.pk, seller_id=part.seller_id, actor_id=None, reason="Out of stock"
    )

    fresh = SellerOrder.objects.get(pk=part.pk)
    assert (fresh.status, fresh.cancel_reason, fresh.cancelled_by) == ("cancelled", "Out of stock", "seller")
    stock_after = {
        line.variant_id: ProductVariant.objects.get(pk=line.variant_id).stock for line in _lines(part)
    }
    assert stock_after == expected


def test_a_part_with_a_shipment_cannot_be_cancelled(part):
    a, _b = _lines(part)
    shipment_create(
        seller_order_id=part.pk,
        seller_id=part.seller_id,
        carrier="UPS",
        tracking_number="1Z0001",
        quantities={a.pk: 1},
    )

    with pytest.raises(IllegalTransition, match="already been shipped"):
        seller_order_cancel(seller_order_id=part.pk, seller_id=part.seller_id, actor_id=None, reason="Oops")

    assert _status(part) == OrderStatus.PROCESSING


def test_the_wrappers_refuse_another_sellers_part(part):
    intruder = SellerProfileFactory()

    with pytest.raises(ApplicationError, match="This order does not exist"):
        seller_order_start_processing(seller_order_id=part.pk, seller_id=intruder.pk, actor_id=None)
    with pytest.raises(ApplicationError, match="This order does not exist"):
        seller_order_cancel(seller_order_id=part.pk, seller_id=intruder.pk, actor_id=None, reason="Mine now")

    assert _status(part) == OrderStatus.PAID
    assert OrderEvent.objects.count() == 0
