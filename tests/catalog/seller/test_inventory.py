"""The inventory page and its per-SKU stock adjustment form."""

import pytest
from django.urls import reverse

from catalog.models import StockMovement
from tests.factories import ProductFactory, ProductVariantFactory

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def test_inventory_lists_own_skus_low_stock_first_with_recent_movements(client, seller):
    product = ProductFactory(seller=seller, title="Teapot")
    ProductVariantFactory(product=product, sku="PLENTY", stock=50)
    ProductVariantFactory(product=product, sku="LOW", stock=2, low_stock_threshold=3)
    ProductVariantFactory(product=product, sku="EMPTY", stock=0)
    ProductVariantFactory(sku="NOT-MINE", stock=0)
    StockMovement.objects.create(
        variant=product.variants.get(sku="LOW"), delta=2, quantity_after=2, reason="restock"
    )

    response = client.get(reverse("seller:inventory"))

    assert response.status_code == 200
    assert [(v.sku, v.is_low) for v in response.context["variants"]] == [
        ("EMPTY", True),
        ("LOW", True),
        ("PLENTY", False),
    ]
    assert [m.variant.sku for m in response.context["movements"]] == ["LOW"]
    assert 'for="delta-' in response.content.decode()


def test_inventory_marks_the_skus_of_a_sold_out_listing(client, seller):
    ProductVariantFactory(product=ProductFactory(seller=seller, title="Teapot"), sku="GONE", stock=0)
    ProductVariantFactory(product=ProductFactory(seller=seller, title="Mug"), sku="HERE", stock=9)

    html = client.get(reverse("seller:inventory")).content.decode()

    assert html.count('<span class="sold-out">Sold out</span>') == 1
    assert '>Teapot</a> <span class="sold-out">Sold out</span></td>' in html


def test_a_restock_adds_stock_and_records_a_movement(client, seller):
    variant = ProductVariantFactory(product__seller=seller, stock=2)

    response = client.post(
        reverse("seller:stock-adjust", args=[variant.pk]),
        {"delta": "5", "reason": "restock", "note": "Delivery 42"},
        follow=True,
    )

    assert _messages(response) == [f"{variant.sku}: stock is now 7."]
    variant.refresh_from_db()
    assert variant.stock == 7
    movement = StockMovement.objects.get()
    assert (movement.delta, movement.quantity_after, movement.reason, movement.note, movement.actor_id) == (
        5,
        7,
        "restock",
        "Delivery 42",
        seller.user_id,
    )


def test_damage_removes_stock(client, seller):
    variant = ProductVariantFactory(product__seller=seller, stock=4)

    client.post(reverse("seller:stock-adjust", args=[variant.pk]), {"delta": "-1", "reason": "damage"})

    variant.refresh_from_db()
    assert variant.stock == 3
    assert StockMovement.objects.get().reason == "damage"


def test_going_below_zero_is_refused_and_nothing_changes(client, seller):
    variant = ProductVariantFactory(product__seller=seller, stock=2)

    response = client.post(
        reverse("seller:stock-adjust", args=[variant.pk]),
        {"delta": "-3", "reason": "adjustment"},
        follow=True,
    )

    assert response.status_code == 200
    assert _messages(response) == [f"{variant.sku}: Not enough stock."]
    variant.refresh_from_db()
    assert variant.stock == 2
    assert StockMovement.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"delta": "-2", "reason": "restock"}, "A restock must add stock."),
        ({"delta": "2", "reason": "damage"}, "Damaged or lost stock must be removed."),
    ],
)
def test_reason_and_direction_must_agree(client, seller, data, message):
    variant = ProductVariantFactory(product__seller=seller, stock=5)

    response = client.post(reverse("seller:stock-adjust", args=[variant.pk]), data, follow=True)

    assert _messages(response) == [f"{variant.sku}: {message}"]
    variant.refresh_from_db()
    assert variant.stock == 5


@pytest.mark.parametrize(
    "data",
    [
        {"delta": "0", "reason": "restock"},
        {"delta": "x", "reason": "restock"},
        {"delta": "3", "reason": "reservation"},
    ],
)
def test_malformed_adjustments_are_refused(client, seller, data):
    variant = ProductVariantFactory(product__seller=seller, stock=5)

    response = client.post(reverse("seller:stock-adjust", args=[variant.pk]), data, follow=True)

    assert response.status_code == 200
    assert len(_messages(response)) == 1
    variant.refresh_from_db()
    assert variant.stock == 5
    assert StockMovement.objects.count() == 0


def test_inventory_is_paged_and_filtered_by_stock_and_search_with_bounded_queries(
    client, seller, django_assert_max_num_queries
):
    product = ProductFactory(seller=seller, title="Teapot")
    for n in range(120):
        ProductVariantFactory(product=product, sku=f"TEA-{n:03}", stock=n % 7, low_stock_threshold=2)
    other = ProductFactory(seller=seller, title="Kettle")
    ProductVariantFactory(product=other, sku="KETTLE-1", stock=40)

    with django_assert_max_num_queries(12):
        first = client.get(reverse("seller:inventory"))
    page_three = client.get(reverse("seller:inventory"), {"page": 3})
    out = client.get(reverse("seller:inventory"), {"stock": "out"})
    low = client.get(reverse("seller:inventory"), {"stock": "low"})
    searched = client.get(reverse("seller:inventory"), {"q": "kettle"})

    assert len(first.context["variants"]) == 50
    assert first.context["page_obj"].paginator.count == 121
    assert len(page_three.context["variants"]) == 21
    assert {v.stock for v in out.context["variants"]} == {0}
    assert out.context["page_obj"].paginator.count == 18  # n % 7 == 0 for 18 of 0..119
    assert all(v.stock <= 2 for v in low.context["page_obj"].paginator.object_list)
    assert [v.sku for v in searched.context["variants"]] == ["KETTLE-1"]


def test_an_adjustment_returns_to_the_same_page_and_filters_at_its_row(client, seller):
    variant = ProductVariantFactory(product__seller=seller, stock=0)
    here = reverse("seller:inventory") + "?stock=out&page=1"

    response = client.post(
        reverse("seller:stock-adjust", args=[variant.pk]), {"delta": "5", "reason": "restock", "next": here}
    )

    assert response["Location"] == f"{here}#variant-{variant.pk}"


def test_an_adjustment_never_redirects_off_the_inventory(client, seller):
    variant = ProductVariantFactory(product__seller=seller, stock=0)

    response = client.post(
        reverse("seller:stock-adjust", args=[variant.pk]),
        {"delta": "5", "reason": "restock", "next": "https://evil.example/seller/inventory/"},
    )

    assert response["Location"] == reverse("seller:inventory") + f"#variant-{variant.pk}"
