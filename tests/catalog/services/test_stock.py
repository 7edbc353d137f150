import pytest
from django.db import transaction

from catalog.models import Product, StockMovement
from catalog.services import OutOfStock, product_price_sync, stock_adjust, stock_take
from common.exceptions import ApplicationError
from tests.factories import ProductVariantFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_stock_adjust_changes_stock_and_records_who_and_why():
    variant = ProductVariantFactory(stock=5)
    seller_user = variant.product.seller.user

    movement = stock_adjust(
        variant_id=variant.id,
        delta=7,
        reason=StockMovement.Reason.RESTOCK,
        actor_id=seller_user.id,
        note="pallet",
    )

    variant.refresh_from_db()
    assert variant.stock == 12
    assert (movement.delta, movement.quantity_after, movement.reason) == (7, 12, "restock")
    assert movement.actor_id == seller_user.id
    assert movement.note == "pallet"


def test_stock_adjust_refuses_to_go_negative_and_changes_nothing():
    variant = ProductVariantFactory(stock=2)

    with pytest.raises(OutOfStock):
        stock_adjust(variant_id=variant.id, delta=-3, reason=StockMovement.Reason.ADJUSTMENT)

    variant.refresh_from_db()
    assert variant.stock == 2
    assert StockMovement.objects.count() == 0


def test_stock_adjust_can_take_the_last_unit():
    variant = ProductVariantFactory(stock=2)

    stock_adjust(variant_id=variant.id, delta=-2, reason=StockMovement.Reason.DAMAGE)

    variant.refresh_from_db()
    assert variant.stock == 0


@pytest.mark.parametrize(("delta", "reason"), [(0, "restock"), (1, "free-stuff")])
def test_stock_adjust_rejects_meaningless_changes(delta, reason):
    variant = ProductVariantFactory(stock=2)

    with pytest.raises(ApplicationError):
        stock_adjust(variant_id=variant.id, delta=delta, reason=reason)

    assert StockMovement.objects.count() == 0


def test_stock_adjust_on_a_missing_sku_is_a_clear_error():
    UserFactory()

    with pytest.raises(ApplicationError, match="does not exist"):
        stock_adjust(variant_id=999_999, delta=1, reason=StockMovement.Reason.RESTOCK)


def test_product_price_sync_follows_the_cheapest_variant():
    cheap = ProductVariantFactory(price_amount=1500)
    ProductVariantFactory(product=cheap.product, price_amount=900)
    ProductVariantFactory(product=cheap.product, price_amount=2500)

    assert product_price_sync(product_id=cheap.product_id) == 900
    assert Product.objects.get(pk=cheap.product_id).price_amount == 900


def test_stock_take_takes_several_skus_and_records_each_with_what_is_left():
    first, second = ProductVariantFactory(stock=5), ProductVariantFactory(stock=3)
    shopper = UserFactory()

    movements = stock_take(
        quantities=[(second.id, 3), (first.id, 1), (first.id, 1)],
        reason=StockMovement.Reason.RESERVATION,
        actor_id=shopper.id,
        reference="M123",
    )

    assert [(m.variant_id, m.delta, m.quantity_after, m.reference, m.actor_id) for m in movements] == [
        (first.id, -2, 3, "M123", shopper.id),
        (second.id, -3, 0, "M123", shopper.id),
    ]
    assert StockMovement.objects.filter(reference="M123").count() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.stock, second.stock) == (3, 0)


def test_stock_take_refuses_as_a_whole_when_one_sku_is_short():
    plenty, short = ProductVariantFactory(stock=5), ProductVariantFactory(stock=1)

    # It takes no savepoint: the refusal rolls back the caller's transaction, as the checkout's would be.
    with pytest.raises(OutOfStock), transaction.atomic():
        stock_take(quantities=[(plenty.id, 1), (short.id, 2)], reason=StockMovement.Reason.RESERVATION)

    plenty.refresh_from_db()
    short.refresh_from_db()
    assert (plenty.stock, short.stock) == (5, 1)
    assert not StockMovement.objects.exists()


@pytest.mark.parametrize(
    ("quantities", "reason"),
    [([(1, 0)], StockMovement.Reason.RESERVATION), ([(1, 1)], "nonsense")],
)
def test_stock_take_rejects_meaningless_requests(quantities, reason):
    with pytest.raises(ApplicationError):
        stock_take(quantities=quantities, reason=reason)


def test_stock_take_on_a_missing_sku_is_a_clear_error():
    with pytest.raises(ApplicationError) as refused, transaction.atomic():
        stock_take(quantities=[(999_999, 1)], reason=StockMovement.Reason.RESERVATION)

    assert not isinstance(refused.value, OutOfStock)
    assert refused.value.extra == {"variant": ["not found"]}
