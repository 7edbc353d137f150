"""The seller API (/api/seller/): API-key and session auth, listings, SKUs and stock, bad input, isolation."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient
from rest_framework.throttling import ScopedRateThrottle

from accounts.models import SellerApiToken, SellerProfile
from accounts.services import seller_api_token_create, seller_suspend
from catalog.api import urls_seller
from catalog.models import (
    Category,
    CategoryAttribute,
    Product,
    ProductStatusEvent,
    ProductVariant,
    StockMovement,
    Tag,
)
from tests.factories import (
    OperatorFactory,
    ProductFactory,
    ProductVariantFactory,
    SellerProfileFactory,
    UserFactory,
    category_create,
)

pytestmark = pytest.mark.django_db
Status = Product.Status
Reason = StockMovement.Reason

PRODUCTS_URL = "/api/seller/products/"
VARIANTS_URL = "/api/seller/variants/"
MOVEMENTS_URL = "/api/seller/stock-movements/"


def _api_for(profile: SellerProfile) -> APIClient:
    """A client sending a fresh API key of ``profile``."""
    _token, key = seller_api_token_create(seller_id=profile.id)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return api


@pytest.fixture
def seller():
    return SellerProfileFactory(shop_name="Attic")


@pytest.fixture
def api(seller):
    return _api_for(seller)


@pytest.fixture
def leaf():
    root = category_create("Home")
    return category_create("Kitchen", parent=root)


@pytest.fixture
def listing(seller, leaf):
    """The seller's draft listing with one SKU of 10 units."""
    product = ProductFactory(
        seller=seller, category=leaf, title="Knife", status=Status.DRAFT, price_amount=1999, published_at=None
    )
    ProductVariantFactory(product=product, sku="KNIFE-1", name="Small", price_amount=1999, stock=10)
    return product


def _body(leaf, **changes):
    body = {
        "title": "Chef's knife",
        "category": leaf.pk,
        "description": "Sharp.",
        "brand": "Acme",
        "condition": "new",
        "tags": ["Kitchen", "Knives"],
        "variants": [
            {"sku": "KNIFE-20", "name": "20 cm", "price_amount": 1999, "compare_at_amount": 2450, "stock": 7},
            {"sku": "KNIFE-25", "name": "25 cm", "price_amount": 2999, "stock": 0},
        ],
    }
    body.update(changes)
    return body


def _nothing_written() -> bool:
    return (Product.objects.count(), ProductVariant.objects.count(), StockMovement.objects.count()) == (
        0,
        0,
        0,
    )


def test_url_names_resolve_to_the_documented_paths():
    assert reverse("seller-api:product-list") == PRODUCTS_URL
    assert reverse("seller-api:product-detail", args=[7]) == "/api/seller/products/7/"
    assert reverse("seller-api:product-publish", args=[7]) == "/api/seller/products/7/publish/"
    assert reverse("seller-api:product-delist", args=[7]) == "/api/seller/products/7/delist/"
    assert reverse("seller-api:variant-list") == VARIANTS_URL
    assert (
        reverse("seller-api:stock-adjustment-create", args=[7]) == "/api/seller/variants/7/stock-adjustments/"
    )
    assert reverse("seller-api:stock-movement-list") == MOVEMENTS_URL


# --- who gets in ----------------------------------------------------------------------------------


def test_an_api_key_authenticates_the_seller_and_records_its_use(api, seller, listing):
    response = api.get(PRODUCTS_URL)

    assert response.status_code == 200
    assert [item["id"] for item in response.json()["results"]] == [listing.pk]
    assert SellerApiToken.objects.get(seller=seller).last_used_at is not None


def test_no_credentials_is_a_401_with_a_bearer_challenge():
    response = APIClient().get(PRODUCTS_URL)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("header", ["Bearer mps_not-a-real-key", "Bearer", "Bearer two words"])
def test_an_invalid_key_is_a_401(header):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=header)

    response = api.get(PRODUCTS_URL)

    assert response.status_code == 401


def test_a_revoked_key_is_a_401(seller):
    _old, old_key = seller_api_token_create(seller_id=seller.id)
    seller_api_token_create(seller_id=seller.id)  # regenerating revokes the old key
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {old_key}")

    response = api.get(PRODUCTS_URL)

    assert response.status_code == 401
    assert response.json() == {"detail": "Invalid or revoked API key."}


@pytest.mark.parametrize("status", [None, SellerProfile.Status.PENDING, SellerProfile.Status.REJECTED])
def test_a_signed_in_user_without_an_approved_shop_gets_403_everywhere(status, listing):
    user = UserFactory()
    if status is not None:
        SellerProfileFactory(user=user, status=status)
    api = APIClient()
    api.force_login(user)

    responses = [
        api.get(PRODUCTS_URL),
        api.get(VARIANTS_URL),
        api.get(MOVEMENTS_URL),
        api.get(f"{PRODUCTS_URL}{listing.pk}/"),
    ]

    assert [r.status_code for r in responses] == [403, 403, 403, 403]
    assert responses[0].json() == {"detail": "Only approved sellers may use the seller API."}


def test_a_suspended_sellers_key_stops_working_at_once(api, seller, listing):
    variant = listing.variants.get()
    assert api.get(PRODUCTS_URL).status_code == 200

    seller_suspend(seller_id=seller.id, actor=OperatorFactory(), reason="Fake goods")
    read = api.get(PRODUCTS_URL)
    write = api.post(
        f"/api/seller/variants/{variant.pk}/stock-adjustments/",
        {"delta": -10, "reason": "adjustment"},
        format="json",
    )

    assert (read.status_code, write.status_code) == (403, 403)
    assert read.json() == {"detail": "Your shop is suspended."}
    variant.refresh_from_db()
    assert variant.stock == 10
    assert StockMovement.objects.count() == 0


def test_session_auth_works_and_needs_the_csrf_token_for_writes(seller, leaf):
    api = APIClient(enforce_csrf_checks=True)
    api.force_login(seller.user)

    read = api.get(PRODUCTS_URL)
    write = api.post(PRODUCTS_URL, _body(leaf), format="json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json() == {"detail": "CSRF Failed: CSRF cookie not set."}
    assert _nothing_written()


def test_the_api_is_throttled_per_seller(api, monkeypatch):
    monkeypatch.setattr(ScopedRateThrottle, "THROTTLE_RATES", {"seller-api": "2/minute"})

    codes = [api.get(PRODUCTS_URL).status_code for _ in range(3)]

    assert codes == [200, 200, 429]


# --- products -------------------------------------------------------------------------------------


def test_create_writes_a_draft_with_its_skus_and_initial_stock_movements(api, seller, leaf):
    response = api.post(PRODUCTS_URL, _body(leaf), format="json")

    assert response.status_code == 201
    product = Product.objects.get()
    body = response.json()
    for volatile in ("created_at", "updated_at"):
        body.pop(volatile)
    variant_ids = list(product.variants.order_by("position").values_list("pk", flat=True))
    assert body == {
        "id": product.pk,
        "slug": "chefs-knife",
        "title": "Chef's knife",
        "description": "Sharp.",
        "brand": "Acme",
        "condition": "new",
        "status": "draft",
        "category": {"id": leaf.pk, "name": "Kitchen", "slug": "kitchen"},
        "tags": ["Kitchen", "Knives"],
        "attributes": {},
        "price_amount": 1999,
        "currency": "USD",
        "published_at": None,
        "variants": [
            {
                "id": variant_ids[0],
                "sku": "KNIFE-20",
                "name": "20 cm",
                "attributes": {},
                "price_amount": 1999,
                "compare_at_amount": 2450,
                "currency": "USD",
                "stock": 7,
                "low_stock_threshold": 3,
                "low_stock": False,
            },
            {
                "id": variant_ids[1],
                "sku": "KNIFE-25",
                "name": "25 cm",
                "attributes": {},
                "price_amount": 2999,
                "compare_at_amount": None,
                "currency": "USD",
                "stock": 0,
                "low_stock": True,
                "low_stock_threshold": 3,
            },
        ],
    }
    assert product.seller_id == seller.id
    movements = list(
        StockMovement.objects.values_list("variant__sku", "delta", "quantity_after", "reason", "actor")
    )
    assert movements == [("KNIFE-20", 7, 7, Reason.INITIAL, seller.user_id)]
    assert ProductStatusEvent.objects.count() == 0


def test_create_and_publish_puts_the_listing_live(api, seller, leaf):
    response = api.post(PRODUCTS_URL, _body(leaf, publish=True), format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "active"
    event = ProductStatusEvent.objects.get()
    assert (event.from_status, event.to_status, event.actor_id) == (
        Status.DRAFT,
        Status.ACTIVE,
        seller.user_id,
    )


def _row(**changes):
    return {"sku": "KNIFE-20", "name": "20 cm", "price_amount": 1999, "stock": 7, **changes}


@pytest.mark.parametrize(
    ("changes", "errors"),
    [
        ({"category": 999_999}, {"category": ["Choose an active category that has no sub-categories."]}),
        ({"title": "Knife <script>alert(1)</script>"}, {"title": ["HTML is not allowed in titles."]}),
        ({"title": "   "}, {"title": ["This field may not be blank."]}),
        ({"condition": "broken"}, {"condition": ['"broken" is not a valid choice.']}),
        (
            {"tags": [f"tag {n}" for n in range(21)]},
            {"tags": ["Ensure this field has no more than 20 elements."]},
        ),
        ({"variants": []}, {"variants": {"non_field_errors": ["This list may not be empty."]}}),
        (
            {"variants": [_row(price_amount="12.50")]},
            {"variants": {"0": {"price_amount": ["A valid integer is required."]}}},
        ),
    ],
)
def test_bad_listing_fields_are_a_400_naming_the_field_and_write_nothing(api, leaf, changes, errors):
    response = api.post(PRODUCTS_URL, _body(leaf, **changes), format="json")

    assert response.status_code == 400
    body = response.json()
    body.pop("detail", None)
    assert body == errors
    assert _nothing_written()
    assert Tag.objects.count() == 0


def test_a_category_with_sub_categories_is_refused(api, leaf):
    branch = Category.objects.get(slug="home")

    response = api.post(PRODUCTS_URL, _body(leaf, category=branch.pk), format="json")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Please correct the listing.",
        "category": ["Choose an active category that has no sub-categories."],
    }
    assert _nothing_written()


@pytest.mark.parametrize(
    ("row", "errors"),
    [
        (_row(price_amount=-1), {"price_amount": ["The price cannot be negative."]}),
        (_row(price_amount=100_000_001), {"price_amount": ["The price cannot be above 1,000,000.00."]}),
        (
            _row(compare_at_amount=1999),
            {"compare_at_amount": ["The compare-at price must be higher than the price."]},
        ),
        (_row(stock=-1), {"stock": ["Stock cannot be negative."]}),
        (_row(sku="KNIFE-25"), {"sku": ["This SKU appears twice in the form."]}),
    ],
)
def test_a_bad_sku_row_is_a_400_at_its_index_and_writes_nothing(api, leaf, row, errors):
    variants = [{"sku": "KNIFE-25", "price_amount": 2999, "stock": 1}, row]

    response = api.post(PRODUCTS_URL, _body(leaf, variants=variants), format="json")

    assert response.status_code == 400
    assert response.json() == {"detail": "Please correct the SKUs.", "variants": {"1": errors}}
    assert _nothing_written()


def test_a_sku_another_seller_uses_is_refused_and_nothing_is_written(api, leaf):
    taken = ProductVariantFactory(sku="KNIFE-25")

    response = api.post(PRODUCTS_URL, _body(leaf), format="json")

    assert response.status_code == 400
    assert response.json()["variants"] == {"1": {"sku": ["This SKU is already in use."]}}
    assert Product.objects.exclude(pk=taken.product_id).count() == 0
    assert StockMovement.objects.count() == 0
    assert Tag.objects.count() == 0


@pytest.fixture
def specs(leaf):
    """Kitchen listings have a dishwasher-safe flag; their SKUs a colour (red or blue)."""
    CategoryAttribute.objects.create(
        category=leaf, code="dishwasher", name="Dishwasher-safe", type=CategoryAttribute.Type.BOOLEAN
    )
    CategoryAttribute.objects.create(
        category=leaf,
        code="colour",
        name="Colour",
        type=CategoryAttribute.Type.CHOICE,
        scope=CategoryAttribute.Scope.VARIANT,
        choices=["Red", "Blue"],
    )
    return leaf


def test_attributes_are_stored_and_patched(api, specs):
    variants = [{"sku": "K-1", "price_amount": 1000, "stock": 1, "attributes": {"colour": "red"}}]
    created = api.post(
        PRODUCTS_URL, _body(specs, attributes={"dishwasher": "yes"}, variants=variants), format="json"
    )
    product_id = created.json()["id"]
    variant_id = created.json()["variants"][0]["id"]

    patched = api.patch(
        f"{PRODUCTS_URL}{product_id}/",
        {"variants": [{"id": variant_id, "attributes": {"colour": "Blue"}}]},
        format="json",
    )

    assert created.status_code == 201
    assert (created.json()["attributes"], created.json()["variants"][0]["attributes"]) == (
        {"dishwasher": True},
        {"colour": "Red"},
    )
    assert patched.status_code == 200
    assert (patched.json()["attributes"], patched.json()["variants"][0]["attributes"]) == (
        {"dishwasher": True},
        {"colour": "Blue"},
    )


def test_bad_attribute_values_are_a_400_naming_the_attribute(api, specs):
    variants = [{"sku": "K-1", "price_amount": 1000, "stock": 1, "attributes": {"colour": "green"}}]

    response = api.post(
        PRODUCTS_URL, _body(specs, attributes={"wattage": 5}, variants=variants), format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["detail"] == "Please correct the attributes."
    assert list(body["attributes"]) == ["wattage"]
    assert list(body["variants"]["0"]["attributes"]) == ["colour"]
    assert _nothing_written()


def test_list_filters_by_status_and_search_and_pages(api, seller, leaf):
    draft = ProductFactory(seller=seller, category=leaf, title="Bread knife", status=Status.DRAFT)
    ProductVariantFactory(product=draft, sku="BREAD-1")
    live = ProductFactory(seller=seller, category=leaf, title="Paring knife", status=Status.ACTIVE)
    ProductVariantFactory(product=live, sku="PARE-1")
    ProductFactory(seller=seller, category=leaf, title="Spoon", status=Status.ACTIVE)
    ProductFactory(category=leaf, title="Someone else's knife")

    by_status = api.get(PRODUCTS_URL, {"status": "active"}).json()
    by_title = api.get(PRODUCTS_URL, {"q": "knife"}).json()
    by_sku = api.get(PRODUCTS_URL, {"q": "bread-1"}).json()
    paged = api.get(PRODUCTS_URL, {"page_size": 2, "page": 2}).json()
    bad = api.get(PRODUCTS_URL, {"status": "gone"})

    assert sorted(item["title"] for item in by_status["results"]) == ["Paring knife", "Spoon"]
    assert sorted(item["title"] for item in by_title["results"]) == ["Bread knife", "Paring knife"]
    assert [item["id"] for item in by_sku["results"]] == [draft.pk]
    assert (paged["count"], len(paged["results"]), paged["next"]) == (3, 1, None)
    assert bad.status_code == 400
    assert bad.json() == {"status": ['"gone" is not a valid choice.']}


def test_product_list_queries_do_not_grow_with_the_page(api, seller, leaf, django_assert_max_num_queries):
    def add_listing(n):
        product = ProductFactory(seller=seller, category=leaf, title=f"Knife {n}")
        ProductVariantFactory(product=product, sku=f"K-{n}-A")
        ProductVariantFactory(product=product, sku=f"K-{n}-B")

    add_listing(0)
    api.get(PRODUCTS_URL)  # warm up: the key's last-use stamp is written once a minute
    with django_assert_max_num_queries(5) as one:
        assert len(api.get(PRODUCTS_URL).json()["results"]) == 1
    for n in range(1, 20):
        add_listing(n)
    with django_assert_max_num_queries(len(one.captured_queries)):
        assert len(api.get(PRODUCTS_URL).json()["results"]) == 20


def test_get_one_listing(api, listing):
    response = api.get(f"{PRODUCTS_URL}{listing.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["title"], body["status"]) == (listing.pk, "Knife", "draft")
    assert [(v["sku"], v["stock"]) for v in body["variants"]] == [("KNIFE-1", 10)]


def test_patch_changes_only_the_fields_given(api, seller, listing):
    listing.tags.add(Tag.objects.create(name="Steel", slug="steel"))
    variant = listing.variants.get()

    response = api.patch(f"{PRODUCTS_URL}{listing.pk}/", {"title": "Better knife"}, format="json")

    assert response.status_code == 200
    listing.refresh_from_db()
    variant.refresh_from_db()
    assert (listing.title, listing.brand, listing.description, listing.category.slug) == (
        "Better knife",
        "Acme",
        "A perfectly ordinary product.",
        "kitchen",
    )
    assert list(listing.tags.values_list("slug", flat=True)) == ["steel"]
    assert (variant.sku, variant.name, variant.price_amount, variant.stock) == ("KNIFE-1", "Small", 1999, 10)
    assert StockMovement.objects.count() == 0
    assert response.json()["title"] == "Better knife"


def test_patch_a_skus_price_and_stock_records_a_stock_movement(api, seller, listing):
    variant = listing.variants.get()

    response = api.patch(
        f"{PRODUCTS_URL}{listing.pk}/",
        {"variants": [{"id": variant.pk, "price_amount": 1500, "stock": 4}]},
        format="json",
    )

    assert response.status_code == 200
    variant.refresh_from_db()
    listing.refresh_from_db()
    assert (variant.price_amount, variant.stock, variant.name, listing.price_amount) == (
        1500,
        4,
        "Small",
        1500,
    )
    movement = StockMovement.objects.get()
    assert (
        movement.variant_id,
        movement.delta,
        movement.quantity_after,
        movement.reason,
        movement.actor_id,
    ) == (
        variant.pk,
        -6,
        4,
        Reason.ADJUSTMENT,
        seller.user_id,
    )
    assert response.json()["variants"][0]["stock"] == 4


def test_patch_without_stock_keeps_the_current_level_even_if_it_changed_meanwhile(api, listing):
    variant = listing.variants.get()
    ProductVariant.objects.filter(pk=variant.pk).update(stock=3)  # e.g. an order reserved 7

    response = api.patch(
        f"{PRODUCTS_URL}{listing.pk}/", {"variants": [{"id": variant.pk, "name": "Tiny"}]}, format="json"
    )

    assert response.status_code == 200
    variant.refresh_from_db()
    assert (variant.name, variant.stock) == ("Tiny", 3)
    assert StockMovement.objects.count() == 0


def test_patch_can_add_a_sku_which_needs_its_basics(api, listing):
    incomplete = api.patch(f"{PRODUCTS_URL}{listing.pk}/", {"variants": [{"sku": "KNIFE-2"}]}, format="json")
    complete = api.patch(
        f"{PRODUCTS_URL}{listing.pk}/",
        {"variants": [{"sku": "KNIFE-2", "price_amount": 2500, "stock": 2}]},
        format="json",
    )

    assert incomplete.status_code == 400
    assert incomplete.json() == {
        "variants": {
            "0": {
                "price_amount": ["This field is required for a new SKU."],
                "stock": ["This field is required for a new SKU."],
            }
        }
    }
    assert complete.status_code == 200
    assert sorted(listing.variants.values_list("sku", "stock")) == [("KNIFE-1", 10), ("KNIFE-2", 2)]
    assert list(StockMovement.objects.values_list("variant__sku", "delta", "reason")) == [
        ("KNIFE-2", 2, Reason.INITIAL)
    ]


def test_a_bad_patch_is_a_400_and_changes_nothing(api, listing):
    variant = listing.variants.get()

    response = api.patch(
        f"{PRODUCTS_URL}{listing.pk}/",
        {"title": "Renamed", "variants": [{"id": variant.pk, "price_amount": -5, "stock": 0}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Please correct the SKUs.",
        "variants": {"0": {"price_amount": ["The price cannot be negative."]}},
    }
    listing.refresh_from_db()
    variant.refresh_from_db()
    assert (listing.title, variant.price_amount, variant.stock) == ("Knife", 1999, 10)
    assert StockMovement.objects.count() == 0


def test_put_replaces_the_listing(api, seller, listing, leaf):
    variant = listing.variants.get()
    body = _body(
        leaf,
        title="Chef's knife",
        tags=["Steel"],
        variants=[{"id": variant.pk, "sku": "KNIFE-1", "price_amount": 2500, "stock": 12}],
    )

    response = api.put(f"{PRODUCTS_URL}{listing.pk}/", body, format="json")

    assert response.status_code == 200
    listing.refresh_from_db()
    variant.refresh_from_db()
    assert (listing.title, listing.slug, listing.description) == ("Chef's knife", listing.slug, "Sharp.")
    assert list(listing.tags.values_list("name", flat=True)) == ["Steel"]
    assert (variant.name, variant.price_amount, variant.stock) == ("", 2500, 12)
    assert list(StockMovement.objects.values_list("delta", "reason")) == [(2, Reason.ADJUSTMENT)]


def test_put_needs_every_required_field(api, listing):
    response = api.put(f"{PRODUCTS_URL}{listing.pk}/", {"title": "Only a title"}, format="json")

    assert response.status_code == 400
    assert response.json() == {
        "category": ["This field is required."],
        "variants": ["This field is required."],
    }


def test_publish_and_delist(api, seller, listing):
    published = api.post(f"{PRODUCTS_URL}{listing.pk}/publish/")
    again = api.post(f"{PRODUCTS_URL}{listing.pk}/publish/")
    delisted = api.post(f"{PRODUCTS_URL}{listing.pk}/delist/")

    assert (published.status_code, published.json()["status"]) == (200, "active")
    assert again.status_code == 400
    assert again.json() == {
        "detail": "A listing cannot go from “Active” to “Active”.",
        "status": ["A listing cannot go from “Active” to “Active”."],
    }
    assert (delisted.status_code, delisted.json()["status"]) == (200, "delisted")
    events = list(
        ProductStatusEvent.objects.order_by("id").values_list("from_status", "to_status", "actor_id")
    )
    assert events == [
        (Status.DRAFT, Status.ACTIVE, seller.user_id),
        (Status.ACTIVE, Status.DELISTED, seller.user_id),
    ]


# --- SKUs and stock -------------------------------------------------------------------------------


def test_a_stock_adjustment_records_a_movement(api, seller, listing):
    variant = listing.variants.get()

    response = api.post(
        f"/api/seller/variants/{variant.pk}/stock-adjustments/",
        {"delta": 5, "reason": "restock", "note": "Delivery 42"},
        format="json",
    )

    assert response.status_code == 201
    movement = StockMovement.objects.get()
    body = response.json()
    body.pop("created_at")
    assert body == {
        "id": movement.pk,
        "variant_id": variant.pk,
        "sku": "KNIFE-1",
        "delta": 5,
        "quantity_after": 15,
        "reason": "restock",
        "reference": "",
        "note": "Delivery 42",
    }
    assert movement.actor_id == seller.user_id
    variant.refresh_from_db()
    assert variant.stock == 15


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({"delta": -1, "reason": "restock"}, {"delta": ["A restock must add stock."]}),
        ({"delta": 1, "reason": "damage"}, {"delta": ["Damaged or lost stock must be removed."]}),
        ({"delta": 0, "reason": "adjustment"}, {"delta": ["A stock change of zero changes nothing."]}),
        ({"delta": -11, "reason": "adjustment"}, {"delta": ["Not enough stock."]}),
        ({"delta": 1, "reason": "initial"}, {"reason": ['"initial" is not a valid choice.']}),
        ({"reason": "restock"}, {"delta": ["This field is required."]}),
    ],
)
def test_a_refused_stock_adjustment_is_a_400_and_changes_nothing(api, listing, body, errors):
    variant = listing.variants.get()

    response = api.post(f"/api/seller/variants/{variant.pk}/stock-adjustments/", body, format="json")

    assert response.status_code == 400
    result = response.json()
    result.pop("detail", None)
    assert result == errors
    variant.refresh_from_db()
    assert variant.stock == 10
    assert StockMovement.objects.count() == 0


def test_variant_list_shows_stock_and_filters_low_stock(api, seller, listing):
    low = ProductVariantFactory(product=listing, sku="KNIFE-2", stock=2, price_amount=2500)
    ProductVariantFactory(sku="OTHER-SELLER", stock=0)

    everything = api.get(VARIANTS_URL).json()
    only_low = api.get(VARIANTS_URL, {"low_stock": "true"}).json()

    assert [(v["sku"], v["stock"], v["low_stock"]) for v in everything["results"]] == [
        ("KNIFE-2", 2, True),
        ("KNIFE-1", 10, False),
    ]
    assert [v["id"] for v in only_low["results"]] == [low.pk]
    assert only_low["results"][0]["product"] == {"id": listing.pk, "title": "Knife", "status": "draft"}


def test_stock_movement_list_is_the_sellers_history(api, seller, listing):
    variant = listing.variants.get()
    other = ProductVariantFactory(product=listing, sku="KNIFE-2", stock=0)
    for delta, target in [(3, variant), (2, other), (-1, variant)]:
        api.post(
            f"/api/seller/variants/{target.pk}/stock-adjustments/",
            {"delta": delta, "reason": "adjustment"},
            format="json",
        )
    foreign = ProductVariantFactory(sku="OTHER-SELLER", stock=1)
    StockMovement.objects.create(variant=foreign, delta=1, quantity_after=1, reason=Reason.INITIAL)

    everything = api.get(MOVEMENTS_URL).json()
    one_sku = api.get(MOVEMENTS_URL, {"variant": variant.pk}).json()

    assert [(m["sku"], m["delta"]) for m in everything["results"]] == [
        ("KNIFE-1", -1),
        ("KNIFE-2", 2),
        ("KNIFE-1", 3),
    ]
    assert [(m["delta"], m["quantity_after"]) for m in one_sku["results"]] == [(-1, 12), (3, 13)]


def test_variant_and_movement_lists_do_not_grow_with_the_page(
    api, seller, leaf, django_assert_max_num_queries
):
    product = ProductFactory(seller=seller, category=leaf)
    for n in range(20):
        variant = ProductVariantFactory(product=product, sku=f"S-{n}", stock=0)
        StockMovement.objects.create(variant=variant, delta=1, quantity_after=1, reason=Reason.RESTOCK)
    api.get(VARIANTS_URL)  # warm up: the key's last-use stamp is written once a minute

    with django_assert_max_num_queries(3):
        assert len(api.get(VARIANTS_URL).json()["results"]) == 20
    with django_assert_max_num_queries(3):
        assert len(api.get(MOVEMENTS_URL).json()["results"]) == 20


# --- isolation: seller B and seller A's objects ------------------------------------------------------


def _state_of(product: Product) -> tuple:
    product.refresh_from_db()
    return (
        product.title,
        product.status,
        product.category_id,
        sorted(product.tags.values_list("slug", flat=True)),
        sorted(product.variants.values_list("sku", "name", "price_amount", "compare_at_amount", "stock")),
        StockMovement.objects.count(),
        ProductStatusEvent.objects.count(),
    )


def test_seller_b_gets_404_for_every_url_with_seller_a_ids_and_nothing_changes(listing, leaf):
    a_variant = listing.variants.get()
    listing.tags.add(Tag.objects.create(name="Steel", slug="steel"))
    before = _state_of(listing)
    b_api = _api_for(SellerProfileFactory(shop_name="Barn"))
    a_row = {"id": a_variant.pk, "sku": "KNIFE-1", "price_amount": 1, "stock": 0}
    requests = [
        ("get", "product-detail", listing.pk, None),
        ("put", "product-detail", listing.pk, _body(leaf, variants=[a_row])),
        ("patch", "product-detail", listing.pk, {"title": "Stolen"}),
        ("patch", "product-detail", listing.pk, {"variants": [{"id": a_variant.pk, "stock": 0}]}),
        ("post", "product-publish", listing.pk, None),
        ("post", "product-delist", listing.pk, None),
        ("post", "stock-adjustment-create", a_variant.pk, {"delta": -10, "reason": "adjustment"}),
    ]
    # Every seller-API URL that takes an object id is exercised above.
    assert {name for _m, name, _id, _b in requests} == {
        pattern.name for pattern in urls_seller.urlpatterns if pattern.pattern.converters
    }

    codes = [
        getattr(b_api, method)(reverse(f"seller-api:{name}", args=[pk]), body, format="json").status_code
        for method, name, pk, body in requests
    ]

    assert codes == [404] * len(requests)
    assert _state_of(listing) == before


def test_seller_b_lists_show_none_of_seller_a_objects(listing):
    a_variant = listing.variants.get()
    StockMovement.objects.create(variant=a_variant, delta=1, quantity_after=11, reason=Reason.RESTOCK)
    b_api = _api_for(SellerProfileFactory(shop_name="Barn"))

    products = b_api.get(PRODUCTS_URL, {"q": "KNIFE-1"}).json()
    variants = b_api.get(VARIANTS_URL).json()
    movements = b_api.get(MOVEMENTS_URL).json()
    movements_of_a_sku = b_api.get(MOVEMENTS_URL, {"variant": a_variant.pk}).json()

    assert [products["count"], variants["count"], movements["count"], movements_of_a_sku["count"]] == [
        0,
        0,
        0,
        0,
    ]


def test_seller_b_cannot_reach_a_sku_of_seller_a_through_their_own_listing(listing, leaf):
    a_variant = listing.variants.get()
    before = _state_of(listing)
    b = SellerProfileFactory(shop_name="Barn")
    own = ProductFactory(seller=b, category=leaf, title="Mine", status=Status.DRAFT)
    ProductVariantFactory(product=own, sku="MINE-1")
    b_api = _api_for(b)
    stolen_row = {"id": a_variant.pk, "sku": "KNIFE-1", "price_amount": 1, "stock": 0}

    patched = b_api.patch(f"{PRODUCTS_URL}{own.pk}/", {"variants": [stolen_row]}, format="json")
    put = b_api.put(f"{PRODUCTS_URL}{own.pk}/", _body(leaf, variants=[stolen_row]), format="json")

    assert patched.status_code == 400
    assert patched.json() == {
        "detail": "This SKU does not exist.",
        "variants": {"0": {"id": ["This SKU does not exist."]}},
    }
    assert put.status_code == 400
    assert put.json()["variants"] == {"non_field_errors": ["This SKU does not exist."]}
    assert _state_of(listing) == before
    own.refresh_from_db()
    assert own.title == "Mine"


# --- the schema -----------------------------------------------------------------------------------


def test_every_seller_endpoint_is_in_the_schema_tagged_and_secured():
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()

    seller_ops = {
        (path, method): op
        for path, ops in schema["paths"].items()
        if path.startswith(("/api/seller/products/", "/api/seller/stock-", "/api/seller/variants/"))
        for method, op in ops.items()
    }
    # The catalog's part of the seller API (orders adds /api/seller/orders/, shipments/, reviews/).
    assert sorted(seller_ops) == [
        ("/api/seller/products/", "get"),
        ("/api/seller/products/", "post"),
        ("/api/seller/products/{product_id}/", "get"),
        ("/api/seller/products/{product_id}/", "patch"),
        ("/api/seller/products/{product_id}/", "put"),
        ("/api/seller/products/{product_id}/delist/", "post"),
        ("/api/seller/products/{product_id}/publish/", "post"),
        ("/api/seller/stock-movements/", "get"),
        ("/api/seller/variants/", "get"),
        ("/api/seller/variants/{variant_id}/stock-adjustments/", "post"),
    ]
    assert {tuple(op["tags"]) for op in seller_ops.values()} == {("seller",)}
    assert {str(op["security"]) for op in seller_ops.values()} == {
        str([{"tokenAuth": []}, {"cookieAuth": []}])
    }
    assert schema["components"]["securitySchemes"]["tokenAuth"] == {"type": "http", "scheme": "bearer"}


@pytest.mark.parametrize("delta", [2**31, -(2**31), 2**63, 1_000_001])
def test_a_stock_adjustment_out_of_range_is_a_400_naming_delta(api, listing, delta):
    variant = listing.variants.get()

    response = api.post(
        f"/api/seller/variants/{variant.pk}/stock-adjustments/",
        {"delta": delta, "reason": "adjustment"},
        format="json",
    )

    assert response.status_code == 400
    assert "delta" in response.json()
    variant.refresh_from_db()
    assert variant.stock == 10
    assert StockMovement.objects.count() == 0


@pytest.mark.parametrize("stock", [2**31, 2**63, 1_000_001])
def test_a_listing_with_stock_out_of_range_is_a_400_naming_the_row(api, leaf, stock):
    body = _body(leaf)
    body["variants"][0]["stock"] = stock

    response = api.post(PRODUCTS_URL, body, format="json")

    assert response.status_code == 400
    assert "stock" in response.json()["variants"]["0"]
    assert not Product.objects.filter(title="Chef's knife").exists()
