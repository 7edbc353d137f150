"""The seller portal's order pages and shipping-method pages, through the test client."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from orders.models import OrderEvent, OrderStatus, SellerOrder, Shipment, ShippingMethod
from orders.shipping.services import shipment_create, shipment_event_add
from tests.factories import SellerProfileFactory, UserFactory
from tests.orders.factories_seller import ShippingMethodFactory, paid_part

pytestmark = pytest.mark.django_db


def _status(part):
    return SellerOrder.objects.get(pk=part.pk).status


def _ship_post(part, **overrides):
    data = {"carrier": "UPS", "tracking_number": "1Z999AA1"}
    for line in part.lines.all():
        data[f"quantity_{line.pk}"] = str(line.quantity)
    data.update(overrides)
    return data


# --- list ---------------------------------------------------------------------------------------------


def test_the_order_list_shows_the_sellers_own_orders_newest_first(client, seller):
    old = paid_part(seller=seller, placed_at=timezone.now() - timedelta(days=1))
    new = paid_part(seller=seller)
    theirs = paid_part()

    response = client.get(reverse("seller:order-list"))

    assert response.status_code == 200
    assert list(response.context["parts"]) == [new, old]
    assert theirs.order.number not in response.content.decode()
    assert "Grace Hopper" in response.content.decode()


def test_the_order_list_filters_by_status(client, seller):
    paid = paid_part(seller=seller)
    shipped = paid_part(seller=seller, status=OrderStatus.SHIPPED)

    response = client.get(reverse("seller:order-list"), {"status": "shipped"})
    everything = client.get(reverse("seller:order-list"), {"status": "bogus"})

    assert list(response.context["parts"]) == [shipped]
    assert list(everything.context["parts"]) == [shipped, paid]


def test_the_order_list_needs_a_bounded_number_of_queries(client, seller, django_assert_max_num_queries):
    for _ in range(3):
        paid_part(seller=seller)
    client.get(reverse("seller:order-list"))  # warm up session/caches
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("seller:order-list"))
    for _ in range(20):
        paid_part(seller=seller, quantities=(1, 2, 3))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("seller:order-list"))

    assert len(response.context["parts"]) == 23


def test_the_order_list_is_paginated(client, seller):
    for _ in range(26):
        paid_part(seller=seller, quantities=(1,))

    first = client.get(reverse("seller:order-list"))
    second = client.get(reverse("seller:order-list"), {"page": 2})

    assert len(first.context["parts"]) == 25
    assert len(second.context["parts"]) == 1


# --- detail -------------------------------------------------------------------------------------------


def test_the_detail_page_shows_address_lines_totals_and_the_timeline(client, seller, part):
    OrderEvent.objects.create(
        order=part.order, actor_kind="system", from_status="pending_payment", to_status="paid"
    )

    response = client.get(reverse("seller:order-detail", args=[part.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Grace Hopper", "1 Compiler Way", "Flat 2", "Arlington", "22201", "+1 555 0100"):
        assert text in body
    for line in part.lines.all():
        assert line.sku in body
    assert "$30.00" in body  # subtotal: 2 + 1 units at $10.00
    assert "$34.95" in body  # total with $4.95 shipping
    assert "Whole order:" in body
    for action in ("Start processing", "Mark shipped", "Cancel with reason"):
        assert action in body


def test_the_detail_page_shows_shipments_and_their_tracking_events(client, seller, part):
    shipment = shipment_create(
        seller_order_id=part.pk, seller_id=seller.pk, carrier="UPS", tracking_number="1Z0001"
    )
    shipment_event_add(
        shipment_id=shipment.pk,
        status="in_transit",
        occurred_at=shipment.shipped_at + timedelta(minutes=1),
        source="carrier",
        location="Memphis <TN>",
    )

    response = client.get(reverse("seller:order-detail", args=[part.pk]))

    body = response.content.decode()
    assert "1Z0001" in body
    assert "In transit" in body
    assert "Memphis &lt;TN&gt;" in body
    assert "Mark shipped" not in body  # nothing left to ship
    assert "Cancel with reason" not in body


def test_the_detail_page_needs_a_bounded_number_of_queries(client, seller, django_assert_max_num_queries):
    small = paid_part(seller=seller, quantities=(1,))
    shipment_create(seller_order_id=small.pk, seller_id=seller.pk, carrier="UPS", tracking_number="1ZS0001")
    client.get(reverse("seller:order-detail", args=[small.pk]))
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("seller:order-detail", args=[small.pk]))
    big = paid_part(seller=seller, quantities=(1, 1, 1, 1, 1))
    for n, line in enumerate(big.lines.all()):
        shipment_create(
            seller_order_id=big.pk,
            seller_id=seller.pk,
            carrier="UPS",
            tracking_number=f"1ZB{n:04d}",
            quantities={line.pk: 1},
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("seller:order-detail", args=[big.pk]))

    assert len(response.context["shipment_rows"]) == 5


def test_start_processing(client, seller, part):
    response = client.post(reverse("seller:order-process", args=[part.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("seller:order-detail", args=[part.pk])
    assert _status(part) == OrderStatus.PROCESSING


def test_start_processing_twice_shows_a_message_not_an_error(client, seller, part):
    client.post(reverse("seller:order-process", args=[part.pk]))

    response = client.post(reverse("seller:order-process", args=[part.pk]), follow=True)

    assert response.status_code == 200
    assert "cannot go from" in response.content.decode()


def test_mark_shipped_with_everything(client, seller, part):
    response = client.post(reverse("seller:order-ship", args=[part.pk]), _ship_post(part))

    assert response.status_code == 302
    shipment = Shipment.objects.get()
    assert (shipment.carrier, shipment.tracking_number) == ("UPS", "1Z999AA1")
    assert _status(part) == OrderStatus.SHIPPED


def test_mark_shipped_with_part_of_the_units(client, seller, part):
    a, b = part.lines.order_by("pk")

    client.post(
        reverse("seller:order-ship", args=[part.pk]),
        _ship_post(part, **{f"quantity_{a.pk}": "1", f"quantity_{b.pk}": "0"}),
    )

    shipment = Shipment.objects.get()
    assert list(shipment.lines.values_list("order_line_id", "quantity")) == [(a.pk, 1)]
    assert _status(part) == OrderStatus.PROCESSING
    page = client.get(reverse("seller:order-detail", args=[part.pk]))
    assert [field.initial for _line, field in page.context["ship_lines"]] == [1, 1]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"tracking_number": ""}, "tracking_number"),
        ({"carrier": ""}, "carrier"),
        ({"tracking_number": "<b>"}, "tracking_number"),
    ],
)
def test_mark_shipped_shows_form_errors_and_ships_nothing(client, seller, part, overrides, field):
    response = client.post(reverse("seller:order-ship", args=[part.pk]), _ship_post(part, **overrides))

    assert response.status_code == 200
    assert field in response.context["ship_form"].errors
    assert Shipment.objects.count() == 0
    assert _status(part) == OrderStatus.PAID


def test_mark_shipped_with_no_units_or_too_many_is_refused(client, seller, part):
    a, b = part.lines.order_by("pk")
    zero = {f"quantity_{a.pk}": "0", f"quantity_{b.pk}": "0"}

    none = client.post(reverse("seller:order-ship", args=[part.pk]), _ship_post(part, **zero))
    many = client.post(
        reverse("seller:order-ship", args=[part.pk]), _ship_post(part, **{f"quantity_{a.pk}": "3"})
    )

    assert none.context["ship_form"].non_field_errors() == ["Choose at least one item to ship."]
    assert f"quantity_{a.pk}" in many.context["ship_form"].errors
    assert Shipment.objects.count() == 0


def test_a_duplicate_tracking_number_is_shown_on_the_field(client, seller, part):
    other = paid_part()
    shipment_create(
        seller_order_id=other.pk, seller_id=other.seller_id, carrier="UPS", tracking_number="1Z999AA1"
    )

    response = client.post(reverse("seller:order-ship", args=[part.pk]), _ship_post(part))

    assert response.context["ship_form"].errors["tracking_number"] == [
        "UPS tracking number 1Z999AA1 is already used by another shipment."
    ]
    assert _status(part) == OrderStatus.PAID


def test_cancel_needs_a_reason(client, seller, part):
    response = client.post(reverse("seller:order-cancel", args=[part.pk]), {"reason": "  "})

    assert response.status_code == 200
    assert "reason" in response.context["cancel_form"].errors
    assert _status(part) == OrderStatus.PAID


def test_cancel_with_a_reason(client, seller, part):
    response = client.post(reverse("seller:order-cancel", args=[part.pk]), {"reason": "Damaged in storage"})

    assert response.status_code == 302
    fresh = SellerOrder.objects.get(pk=part.pk)
    assert (fresh.status, fresh.cancel_reason) == ("cancelled", "Damaged in storage")


def test_add_a_tracking_update(client, seller, part):
    shipment = shipment_create(
        seller_order_id=part.pk, seller_id=seller.pk, carrier="UPS", tracking_number="1Z0001"
    )
    prefix = f"tracking-{shipment.pk}"

    response = client.post(
        reverse("seller:shipment-event-add", args=[shipment.pk]),
        {
            f"{prefix}-status": "delivered",
            f"{prefix}-location": "Front porch",
            f"{prefix}-description": "Signed",
        },
    )

    assert response.status_code == 302
    shipment.refresh_from_db()
    assert shipment.status == "delivered"
    assert list(shipment.events.values_list("status", "location", "source")) == [
        ("shipped", "", "seller"),
        ("delivered", "Front porch", "seller"),
    ]
    assert _status(part) == OrderStatus.DELIVERED
    update = OrderEvent.objects.filter(kind="shipment").last()
    assert (update.actor_kind, update.actor_id) == ("seller", seller.user_id)


def test_a_bad_tracking_update_shows_the_error(client, seller, part):
    shipment = shipment_create(
        seller_order_id=part.pk, seller_id=seller.pk, carrier="UPS", tracking_number="1Z0001"
    )
    prefix = f"tracking-{shipment.pk}"

    response = client.post(
        reverse("seller:shipment-event-add", args=[shipment.pk]), {f"{prefix}-status": "lost"}
    )

    assert response.status_code == 200
    assert "status" in response.context["shipment_rows"][0]["form"].errors
    assert shipment.events.count() == 1


def test_the_packing_slip_has_the_address_and_skus_but_no_prices(client, seller, part):
    response = client.get(reverse("seller:order-packing-slip", args=[part.pk]))

    body = response.content.decode()
    assert response.status_code == 200
    for text in ("Attic", part.order.number, "Grace Hopper"):
        assert text in body
    for line in part.lines.all():
        assert line.sku in body
    assert "$" not in body
    assert "css/print.css" in body


def test_post_only_urls_answer_405_to_get_for_the_owner(client, seller, part):
    assert client.get(reverse("seller:order-ship", args=[part.pk])).status_code == 405


def test_the_pages_need_an_approved_seller(client, part):
    client.force_login(UserFactory())

    response = client.get(reverse("seller:order-list"))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:seller-apply")


# --- shipping methods ---------------------------------------------------------------------------------


def test_the_shipping_method_list_shows_own_methods_only(client, seller):
    mine = ShippingMethodFactory(seller=seller, name="Standard", flat_amount=495)
    ShippingMethodFactory(name="Someone else's")

    response = client.get(reverse("seller:shipping-method-list"))

    assert list(response.context["methods"]) == [mine]
    assert "$4.95" in response.content.decode()
    assert "Someone else" not in response.content.decode()


def test_create_a_shipping_method_from_decimal_amounts(client, seller):
    response = client.post(
        reverse("seller:shipping-method-create"),
        {
            "name": "Standard",
            "flat_amount": "4.95",
            "per_kg_amount": "1",
            "free_over_amount": "50.00",
            "delivery_days_min": "2",
            "delivery_days_max": "4",
            "position": "0",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    method = ShippingMethod.objects.get(seller=seller)
    assert (
        method.name,
        method.flat_amount,
        method.per_kg_amount,
        method.free_over_amount,
        method.is_active,
    ) == (
        "Standard",
        495,
        100,
        5000,
        True,
    )


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"flat_amount": "-1"}, "flat_amount"),
        ({"flat_amount": "4.955"}, "flat_amount"),
        ({"flat_amount": "abc"}, "flat_amount"),
        ({"per_kg_amount": "1000000.01"}, "per_kg_amount"),
        ({"delivery_days_min": "5", "delivery_days_max": "2"}, "delivery_days_max"),
    ],
)
def test_an_invalid_shipping_method_shows_errors(client, seller, changes, field):
    data = {
        "name": "Standard",
        "flat_amount": "4.95",
        "per_kg_amount": "0",
        "free_over_amount": "",
        "delivery_days_min": "2",
        "delivery_days_max": "4",
        "position": "0",
    }

    response = client.post(reverse("seller:shipping-method-create"), {**data, **changes})

    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert ShippingMethod.objects.count() == 0


def test_edit_a_shipping_method(client, seller):
    method = ShippingMethodFactory(seller=seller, name="Standard", flat_amount=495, free_over_amount=5000)
    page = client.get(reverse("seller:shipping-method-edit", args=[method.pk]))
    assert str(page.context["form"].initial["flat_amount"]) == "4.95"

    response = client.post(
        reverse("seller:shipping-method-edit", args=[method.pk]),
        {
            "name": "Economy",
            "flat_amount": "2.50",
            "per_kg_amount": "0",
            "free_over_amount": "",
            "delivery_days_min": "5",
            "delivery_days_max": "9",
            "position": "1",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    method.refresh_from_db()
    assert (method.name, method.flat_amount, method.free_over_amount, method.delivery_days_max) == (
        "Economy",
        250,
        None,
        9,
    )


def test_deactivate_a_shipping_method(client, seller):
    method = ShippingMethodFactory(seller=seller)

    response = client.post(reverse("seller:shipping-method-deactivate", args=[method.pk]))

    assert response.status_code == 302
    method.refresh_from_db()
    assert method.is_active is False
    assert client.get(reverse("seller:shipping-method-deactivate", args=[method.pk])).status_code == 405


def test_shipping_method_pages_need_an_approved_seller(client):
    pending = SellerProfileFactory(status="pending")
    client.force_login(pending.user)

    assert client.get(reverse("seller:shipping-method-list")).status_code == 302
