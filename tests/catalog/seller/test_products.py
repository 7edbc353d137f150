"""The listing form and the product list (with its bulk actions), through the seller URLs."""

import pytest
from django.urls import reverse

from catalog.models import Category, Product, ProductStatusEvent, ProductVariant, StockMovement, Tag
from tests.factories import ProductFactory, ProductVariantFactory, category_create

pytestmark = pytest.mark.django_db
Status = Product.Status

ROW_A = {"sku": "KNIFE-20", "name": "20 cm", "price": "19.99", "compare_at_price": "24.50", "stock": 7}
ROW_B = {"sku": "KNIFE-25", "name": "25 cm", "price": "1000000.00", "compare_at_price": "", "stock": 0}


def _nothing_written():
    return (Product.objects.count(), ProductVariant.objects.count(), StockMovement.objects.count()) == (
        0,
        0,
        0,
    )


def test_create_with_two_variants_writes_a_draft_with_exact_prices_and_initial_stock(
    client, seller, product_post
):
    response = client.post(reverse("seller:product-create"), product_post(rows=[ROW_A, ROW_B]))

    product = Product.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("seller:product-edit", args=[product.pk])
    assert (product.seller_id, product.status, product.slug, product.title) == (
        seller.id,
        Status.DRAFT,
        "chefs-knife",
        "Chef's knife",
    )
    variants = list(
        product.variants.values_list("sku", "price_amount", "compare_at_amount", "stock", "position")
    )
    assert variants == [("KNIFE-20", 1999, 2450, 7, 0), ("KNIFE-25", 100_000_000, None, 0, 1)]
    assert product.price_amount == 1999
    movements = list(StockMovement.objects.values_list("variant__sku", "delta", "quantity_after", "reason"))
    assert movements == [("KNIFE-20", 7, 7, StockMovement.Reason.INITIAL)]
    assert sorted(product.tags.values_list("slug", flat=True)) == ["kitchen", "knives"]
    assert ProductStatusEvent.objects.count() == 0


def test_save_and_publish_creates_an_active_listing_with_a_status_event(client, seller, product_post):
    client.post(reverse("seller:product-create"), product_post(rows=[ROW_A], publish=True))

    product = Product.objects.get()
    assert product.status == Status.ACTIVE
    assert product.published_at is not None
    event = ProductStatusEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor_id) == (
        Status.DRAFT,
        Status.ACTIVE,
        seller.user_id,
    )


def test_a_second_listing_with_the_same_title_gets_a_fresh_slug(client, seller, product_post):
    client.post(reverse("seller:product-create"), product_post(rows=[ROW_A]))
    client.post(reverse("seller:product-create"), product_post(rows=[{**ROW_A, "sku": "OTHER"}]))

    assert sorted(Product.objects.values_list("slug", flat=True)) == ["chefs-knife", "chefs-knife-2"]


@pytest.mark.parametrize(
    ("row_changes", "field", "message"),
    [
        ({"price": "-1.00"}, "price", "Ensure this value is greater than or equal to 0."),
        ({"price": "1000000.01"}, "price", "Ensure this value is less than or equal to 1000000.00."),
        ({"price": "19.999"}, "price", "Ensure that there are no more than 2 decimal places."),
        (
            {"compare_at_price": "19.99"},
            "compare_at_price",
            "The compare-at price must be higher than the price.",
        ),
        ({"stock": "-1"}, "stock", "Ensure this value is greater than or equal to 0."),
    ],
)
def test_bad_sku_rows_change_nothing_and_show_the_error(
    client, seller, product_post, row_changes, field, message
):
    response = client.post(
        reverse("seller:product-create"), product_post(rows=[ROW_B, {**ROW_A, **row_changes}])
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors[field] == [message]
    assert _nothing_written()


def test_html_in_the_title_is_refused(client, seller, product_post):
    response = client.post(
        reverse("seller:product-create"), product_post(rows=[ROW_A], title="Knife <script>alert(1)</script>")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["title"] == ["HTML is not allowed in titles."]
    assert _nothing_written()


def test_a_category_with_children_cannot_be_chosen(client, seller, leaf, product_post):
    branch = Category.objects.get(slug="home")

    response = client.post(reverse("seller:product-create"), product_post(rows=[ROW_A], category=branch.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["category"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert _nothing_written()


def test_an_inactive_leaf_category_cannot_be_chosen(client, seller, product_post):
    hidden = category_create("Hidden")
    hidden.is_active = False
    hidden.save()

    response = client.post(reverse("seller:product-create"), product_post(rows=[ROW_A], category=hidden.pk))

    assert response.status_code == 200
    assert "category" in response.context["form"].errors
    assert _nothing_written()


def test_a_sku_taken_by_another_listing_is_refused_and_nothing_is_written(client, seller, product_post):
    taken = ProductVariantFactory(sku="KNIFE-25")

    response = client.post(reverse("seller:product-create"), product_post(rows=[ROW_A, ROW_B]))

    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["sku"] == ["This SKU is already in use."]
    assert Product.objects.exclude(pk=taken.product_id).count() == 0
    assert StockMovement.objects.count() == 0
    assert Tag.objects.count() == 0


def test_the_same_sku_twice_in_the_form_is_refused(client, seller, product_post):
    response = client.post(
        reverse("seller:product-create"), product_post(rows=[ROW_A, {**ROW_B, "sku": "KNIFE-20"}])
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["sku"] == ["This SKU appears twice in the form."]
    assert _nothing_written()


def test_the_create_page_renders_with_labelled_fields(client, seller, leaf):
    response = client.get(reverse("seller:product-create"))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'for="id_title"' in html
    assert 'for="id_variants-0-price"' in html
    assert list(response.context["form"].fields["category"].queryset) == [leaf]


def test_edit_updates_fields_adds_a_sku_and_records_stock_adjustments(client, seller, leaf, product_post):
    product = ProductFactory(seller=seller, category=leaf, status=Status.DRAFT, price_amount=1500)
    variant = ProductVariantFactory(product=product, sku="OLD-1", price_amount=1500, stock=10)
    url = reverse("seller:product-edit", args=[product.pk])
    assert client.get(url).status_code == 200

    rows = [
        {
            "id": variant.pk,
            "sku": "OLD-1",
            "name": "Default",
            "price": "12.00",
            "compare_at_price": "",
            "stock": 4,
        },
        {"sku": "NEW-1", "name": "Big", "price": "30.00", "compare_at_price": "", "stock": 2},
    ]
    response = client.post(url, product_post(rows=rows, initial_rows=1, title="Better knife"))

    assert response.status_code == 302
    product.refresh_from_db()
    variant.refresh_from_db()
    assert (product.title, product.slug, product.price_amount, product.status) == (
        "Better knife",
        product.slug,
        1200,
        Status.DRAFT,
    )
    assert (variant.price_amount, variant.stock) == (1200, 4)
    movements = sorted(StockMovement.objects.values_list("variant__sku", "delta", "quantity_after", "reason"))
    assert movements == [("NEW-1", 2, 2, "initial"), ("OLD-1", -6, 4, "adjustment")]


def test_edit_with_a_bad_row_leaves_the_listing_untouched(client, seller, leaf, product_post):
    product = ProductFactory(seller=seller, category=leaf, title="Knife", status=Status.DRAFT)
    variant = ProductVariantFactory(product=product, sku="OLD-1", price_amount=1999, stock=10)
    ProductVariantFactory(sku="TAKEN")
    rows = [
        {"id": variant.pk, "sku": "OLD-1", "price": "5.00", "stock": 1},
        {"sku": "TAKEN", "price": "5.00", "stock": 1},
    ]

    response = client.post(
        reverse("seller:product-edit", args=[product.pk]),
        product_post(rows=rows, initial_rows=1, title="Changed"),
    )

    assert response.status_code == 200
    assert response.context["formset"].forms[1].errors["sku"] == ["This SKU is already in use."]
    product.refresh_from_db()
    variant.refresh_from_db()
    assert (product.title, variant.price_amount, variant.stock) == ("Knife", 1999, 10)
    assert StockMovement.objects.count() == 0


def test_publish_and_delist_from_the_product_page(client, seller):
    product = ProductFactory(seller=seller, status=Status.DRAFT, published_at=None)
    ProductVariantFactory(product=product)
    url = reverse("seller:product-transition", args=[product.pk])

    client.post(url, {"action": "publish"})
    product.refresh_from_db()
    assert product.status == Status.ACTIVE

    client.post(url, {"action": "delist"})
    product.refresh_from_db()
    assert product.status == Status.DELISTED
    assert list(ProductStatusEvent.objects.order_by("id").values_list("to_status", flat=True)) == [
        "active",
        "delisted",
    ]


def test_a_seller_cannot_publish_past_review(client, seller):
    product = ProductFactory(seller=seller, status=Status.PENDING_REVIEW)
    ProductVariantFactory(product=product)

    response = client.post(
        reverse("seller:product-transition", args=[product.pk]), {"action": "publish"}, follow=True
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "A listing cannot go from “Pending review” to “Active”."
    ]
    product.refresh_from_db()
    assert product.status == Status.PENDING_REVIEW


def test_the_list_shows_only_own_listings_filtered_by_search_and_status(client, seller):
    mine = ProductFactory(seller=seller, title="Blue teapot", status=Status.ACTIVE)
    ProductVariantFactory(product=mine, sku="TEA-1", stock=3)
    ProductVariantFactory(product=mine, sku="TEA-2", stock=4)
    ProductFactory(seller=seller, title="Red mug", status=Status.DRAFT)
    ProductFactory(title="Blue teapot of someone else")

    everything = client.get(reverse("seller:product-list"))
    by_sku = client.get(reverse("seller:product-list"), {"q": "tea-2"})
    drafts = client.get(reverse("seller:product-list"), {"status": "draft"})

    assert sorted(p.title for p in everything.context["products"]) == ["Blue teapot", "Red mug"]
    assert [(p.title, p.stock_total, p.variant_count) for p in by_sku.context["products"]] == [
        ("Blue teapot", 7, 2)
    ]
    assert [p.title for p in drafts.context["products"]] == ["Red mug"]


def test_the_list_shows_a_live_listing_without_stock_as_sold_out_beside_its_status(client, seller):
    # given a live listing whose SKUs have all sold out, one in stock, and a draft without stock
    sold_out = ProductFactory(seller=seller, title="Teapot", status=Status.ACTIVE)
    ProductVariantFactory(product=sold_out, stock=0)
    ProductVariantFactory(product=ProductFactory(seller=seller, title="Mug"), stock=2)
    ProductVariantFactory(product=ProductFactory(seller=seller, title="Jug", status=Status.DRAFT), stock=0)

    # when
    html = client.get(reverse("seller:product-list")).content.decode()
    edit = client.get(reverse("seller:product-edit", args=[sold_out.pk])).content.decode()

    # then it stays "Active" (it is published), marked sold out; nothing else is
    assert html.count('<td>Active · <span class="sold-out">Sold out</span></td>') == 1
    assert html.count("<td>Active</td>") == 1
    assert html.count("<td>Draft</td>") == 1
    assert "search and category pages leave it out until you restock" in edit


def test_the_list_is_paginated_by_25(client, seller):
    ProductFactory.create_batch(26, seller=seller)

    first = client.get(reverse("seller:product-list"))
    second = client.get(reverse("seller:product-list"), {"page": 2})

    assert len(first.context["products"]) == 25
    assert len(second.context["products"]) == 1


def test_bulk_publish_reports_refused_listings_and_publishes_the_rest(client, seller):
    draft = ProductFactory(seller=seller, title="Draft one", status=Status.DRAFT, published_at=None)
    ProductVariantFactory(product=draft)
    pending = ProductFactory(seller=seller, title="Waiting", status=Status.PENDING_REVIEW)

    response = client.post(
        reverse("seller:product-list"), {"action": "publish", "products": [draft.pk, pending.pk]}, follow=True
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "Updated 1 listing.",
        "“Waiting” was not changed: A listing cannot go from “Pending review” to “Active”.",
    ]
    draft.refresh_from_db()
    pending.refresh_from_db()
    assert (draft.status, pending.status) == (Status.ACTIVE, Status.PENDING_REVIEW)


def test_bulk_delist(client, seller):
    products = ProductFactory.create_batch(2, seller=seller, status=Status.ACTIVE)

    client.post(reverse("seller:product-list"), {"action": "delist", "products": [p.pk for p in products]})

    assert set(Product.objects.values_list("status", flat=True)) == {Status.DELISTED}


def test_bulk_price_change_by_percent_rounds_half_up_and_syncs_the_from_price(client, seller):
    product = ProductFactory(seller=seller, price_amount=1000)
    ProductVariantFactory(product=product, sku="A", price_amount=1000, compare_at_amount=2000)
    ProductVariantFactory(product=product, sku="B", price_amount=1005)
    untouched = ProductVariantFactory(sku="C", price_amount=1000, product__seller=seller)

    client.post(
        reverse("seller:product-list"), {"action": "price", "products": [product.pk], "percent": "-10"}
    )

    assert dict(ProductVariant.objects.values_list("sku", "price_amount")) == {"A": 900, "B": 905, "C": 1000}
    product.refresh_from_db()
    assert product.price_amount == 900
    untouched.refresh_from_db()
    assert untouched.price_amount == 1000


def test_bulk_price_increase_reaching_the_compare_at_price_changes_nothing(client, seller):
    product = ProductFactory(seller=seller)
    ProductVariantFactory(product=product, sku="A", price_amount=1000, compare_at_amount=1050)
    ProductVariantFactory(product=product, sku="B", price_amount=1000)

    response = client.post(
        reverse("seller:product-list"),
        {"action": "price", "products": [product.pk], "percent": "10"},
        follow=True,
    )

    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == [
        "No prices changed: the new price is out of range or not below the compare-at price for A."
    ]
    assert dict(ProductVariant.objects.values_list("sku", "price_amount")) == {"A": 1000, "B": 1000}


def test_bulk_action_without_a_selection_shows_an_error(client, seller):
    response = client.post(reverse("seller:product-list"), {"action": "publish"})

    assert response.status_code == 200
    assert "products" in response.context["bulk_form"].errors


def test_dashboard_counts_listings_by_status_and_low_stock_skus(client, seller):
    active = ProductFactory(seller=seller, status=Status.ACTIVE)
    ProductFactory(seller=seller, status=Status.DRAFT)
    ProductVariantFactory(product=active, stock=3, low_stock_threshold=3)
    ProductVariantFactory(product=active, stock=4, low_stock_threshold=3)
    ProductVariantFactory(stock=0)  # someone else's

    response = client.get(reverse("seller:dashboard"))

    assert response.status_code == 200
    counts = {value: n for value, _label, n in response.context["status_counts"]}
    assert counts == {"draft": 1, "pending_review": 0, "active": 1, "delisted": 0, "sold_out": 0}
    assert response.context["low_stock_count"] == 1
