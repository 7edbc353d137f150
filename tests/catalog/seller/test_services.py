"""catalog.services_listing called directly: the rules hold without the forms in front of them."""

from decimal import Decimal

import pytest

from catalog.models import Category, Product, ProductStatusEvent, ProductVariant, StockMovement, Tag
from catalog.selectors_seller import seller_category_choices
from catalog.services_listing import (
    PRICE_CAP_AMOUNT,
    DuplicateSku,
    ListingNotFound,
    VariantInput,
    product_bulk_price_change,
    product_bulk_transition,
    product_create,
    product_seller_transition,
    product_update,
    seller_stock_adjust,
    variant_create,
    variant_update,
)
from catalog.transitions import IllegalTransition
from common.exceptions import ApplicationError
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db
Status = Product.Status


@pytest.fixture
def seller():
    return SellerProfileFactory()


def _create(seller, leaf, variants, **kwargs):
    return product_create(
        seller_id=seller.id,
        actor_id=seller.user_id,
        title=kwargs.pop("title", "Lamp"),
        category_id=kwargs.pop("category_id", leaf.id),
        variants=variants,
        **kwargs,
    )


def test_product_create_writes_a_draft_with_stock_movements_and_tags(seller, leaf):
    product = _create(
        seller,
        leaf,
        [
            VariantInput(sku="L-1", price_amount=2500, stock=3),
            VariantInput(sku="L-2", price_amount=1500, stock=0),
        ],
        tag_names=["Lighting", "lighting", " Desk "],
    )

    assert (product.status, product.price_amount, product.slug, product.currency) == (
        Status.DRAFT,
        1500,
        "lamp",
        "USD",
    )
    assert list(StockMovement.objects.values_list("variant__sku", "delta", "reason")) == [
        ("L-1", 3, "initial")
    ]
    assert sorted(Tag.objects.values_list("slug", flat=True)) == ["desk", "lighting"]


def test_product_create_reuses_existing_tags_by_slug(seller, leaf):
    existing = Tag.objects.create(name="Lighting", slug="lighting")

    product = _create(
        seller, leaf, [VariantInput(sku="L-1", price_amount=100, stock=0)], tag_names=["LIGHTING"]
    )

    assert list(product.tags.all()) == [existing]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (VariantInput(sku="X", price_amount=-1, stock=0), "price"),
        (VariantInput(sku="X", price_amount=PRICE_CAP_AMOUNT + 1, stock=0), "price"),
        (VariantInput(sku="X", price_amount=500, compare_at_amount=500, stock=0), "compare_at_price"),
        (VariantInput(sku="X", price_amount=500, stock=-1), "stock"),
        (VariantInput(sku="L-1", price_amount=500, stock=0), "sku"),
        (VariantInput(sku=" ", price_amount=500, stock=0), "sku"),
    ],
)
def test_product_create_with_one_bad_row_writes_nothing(seller, leaf, bad, field):
    with pytest.raises(ApplicationError) as excinfo:
        _create(seller, leaf, [VariantInput(sku="L-1", price_amount=100, stock=5), bad], tag_names=["new"])

    assert list(excinfo.value.extra["variants"][1]) == [field]
    assert (Product.objects.count(), ProductVariant.objects.count(), StockMovement.objects.count()) == (
        0,
        0,
        0,
    )
    assert Tag.objects.count() == 0


def test_product_create_refuses_a_sku_of_another_listing_as_duplicate(seller, leaf):
    ProductVariantFactory(sku="TAKEN")

    with pytest.raises(DuplicateSku):
        _create(seller, leaf, [VariantInput(sku="TAKEN", price_amount=100, stock=0)])


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"title": "<b>Lamp</b>"}, "title"),
        ({"title": "   "}, "title"),
        ({"condition": "broken"}, "condition"),
    ],
)
def test_product_create_refuses_bad_listing_fields(seller, leaf, kwargs, field):
    with pytest.raises(ApplicationError) as excinfo:
        _create(seller, leaf, [VariantInput(sku="L-1", price_amount=100, stock=0)], **kwargs)

    assert list(excinfo.value.extra) == [field]
    assert Product.objects.count() == 0


def test_product_create_refuses_a_branch_category(seller, leaf):
    branch = Category.objects.get(slug="home")

    with pytest.raises(ApplicationError) as excinfo:
        _create(seller, leaf, [VariantInput(sku="L-1", price_amount=100, stock=0)], category_id=branch.id)

    assert excinfo.value.extra == {"category": ["Choose an active category that has no sub-categories."]}


def test_a_title_with_a_less_than_sign_is_not_html(seller, leaf):
    product = _create(
        seller, leaf, [VariantInput(sku="L-1", price_amount=100, stock=0)], title="Bolts < 5 mm"
    )

    assert product.title == "Bolts < 5 mm"


def test_product_create_and_publish(seller, leaf):
    product = _create(seller, leaf, [VariantInput(sku="L-1", price_amount=100, stock=1)], publish=True)

    assert product.status == Status.ACTIVE
    assert ProductStatusEvent.objects.get().actor_id == seller.user_id


def test_product_update_of_another_sellers_listing_is_not_found(seller, leaf):
    other = ProductFactory(category=leaf, title="Theirs")

    with pytest.raises(ListingNotFound):
        product_update(
            seller_id=seller.id,
            product_id=other.id,
            actor_id=seller.user_id,
            title="Mine now",
            category_id=leaf.id,
            variants=[VariantInput(sku="Z", price_amount=1, stock=0)],
        )

    other.refresh_from_db()
    assert other.title == "Theirs"
    assert ProductVariant.objects.count() == 0


def test_variant_update_records_the_stock_difference_as_an_adjustment(seller):
    variant = ProductVariantFactory(product__seller=seller, sku="V", price_amount=1000, stock=10)

    variant_update(
        seller_id=seller.id, variant_id=variant.id, actor_id=None, sku="V2", price_amount=800, stock=12
    )

    variant.refresh_from_db()
    variant.product.refresh_from_db()
    assert (variant.sku, variant.price_amount, variant.stock, variant.product.price_amount) == (
        "V2",
        800,
        12,
        800,
    )
    assert list(StockMovement.objects.values_list("delta", "quantity_after", "reason")) == [
        (2, 12, "adjustment")
    ]


def test_variant_update_without_a_stock_change_records_no_movement(seller):
    variant = ProductVariantFactory(product__seller=seller, sku="V", price_amount=1000, stock=10)

    variant_update(
        seller_id=seller.id, variant_id=variant.id, actor_id=None, sku="V", price_amount=900, stock=10
    )

    assert StockMovement.objects.count() == 0


def test_variant_create_on_another_sellers_product_is_not_found(seller):
    other = ProductFactory()

    with pytest.raises(ListingNotFound):
        variant_create(
            seller_id=seller.id, product_id=other.id, actor_id=None, sku="X", price_amount=1, stock=1
        )

    assert ProductVariant.objects.count() == 0


def test_seller_transition_refuses_unknown_actions_and_publishing_without_skus(seller):
    product = ProductFactory(seller=seller, status=Status.DRAFT)

    with pytest.raises(ApplicationError):
        product_seller_transition(
            seller_id=seller.id, product_id=product.id, action="sell_out", actor_id=None
        )
    with pytest.raises(ApplicationError) as excinfo:
        product_seller_transition(seller_id=seller.id, product_id=product.id, action="publish", actor_id=None)

    assert excinfo.value.message == "Add at least one SKU before publishing."
    product.refresh_from_db()
    assert product.status == Status.DRAFT


def test_seller_transition_refuses_delisting_a_draft(seller):
    product = ProductFactory(seller=seller, status=Status.DRAFT)

    with pytest.raises(IllegalTransition):
        product_seller_transition(seller_id=seller.id, product_id=product.id, action="delist", actor_id=None)


def test_bulk_transition_ignores_other_sellers_listings(seller):
    mine = ProductFactory(seller=seller, status=Status.ACTIVE)
    theirs = ProductFactory(status=Status.ACTIVE)

    outcome = product_bulk_transition(
        seller_id=seller.id, product_ids=[mine.id, theirs.id], action="delist", actor_id=None
    )

    assert (outcome.done, outcome.refused) == ([mine.id], [])
    theirs.refresh_from_db()
    assert theirs.status == Status.ACTIVE


@pytest.mark.parametrize("percent", ["0", "-100", "-150"])
def test_bulk_price_change_refuses_pointless_or_destructive_percentages(seller, percent):
    variant = ProductVariantFactory(product__seller=seller, price_amount=1000)

    with pytest.raises(ApplicationError):
        product_bulk_price_change(
            seller_id=seller.id, product_ids=[variant.product_id], percent=Decimal(percent), actor_id=None
        )

    variant.refresh_from_db()
    assert variant.price_amount == 1000


def test_bulk_price_change_refuses_going_over_the_cap(seller):
    variant = ProductVariantFactory(product__seller=seller, price_amount=PRICE_CAP_AMOUNT)

    with pytest.raises(ApplicationError):
        product_bulk_price_change(
            seller_id=seller.id, product_ids=[variant.product_id], percent=Decimal("0.01"), actor_id=None
        )

    variant.refresh_from_db()
    assert variant.price_amount == PRICE_CAP_AMOUNT


def test_bulk_price_change_does_not_touch_other_sellers_skus(seller):
    theirs = ProductVariantFactory(price_amount=1000)

    changed = product_bulk_price_change(
        seller_id=seller.id, product_ids=[theirs.product_id], percent=Decimal(-10), actor_id=None
    )

    assert changed == 0
    theirs.refresh_from_db()
    assert theirs.price_amount == 1000


def test_seller_stock_adjust_of_another_sellers_sku_is_not_found(seller):
    theirs = ProductVariantFactory(stock=5)

    with pytest.raises(ListingNotFound):
        seller_stock_adjust(
            seller_id=seller.id, variant_id=theirs.id, delta=-5, reason="adjustment", actor_id=None
        )

    theirs.refresh_from_db()
    assert theirs.stock == 5


def test_seller_stock_adjust_refuses_system_reasons(seller):
    variant = ProductVariantFactory(product__seller=seller, stock=5)

    with pytest.raises(ApplicationError):
        seller_stock_adjust(
            seller_id=seller.id, variant_id=variant.id, delta=-1, reason="reservation", actor_id=None
        )

    assert StockMovement.objects.count() == 0


def test_categories_for_listings_are_active_leaves(leaf):
    inactive = category_create("Old")
    inactive.is_active = False
    inactive.save()

    assert list(seller_category_choices()) == [leaf]
