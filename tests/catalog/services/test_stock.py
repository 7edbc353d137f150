import pytest

from catalog.models import Product, StockMovement
from catalog.services import OutOfStock, product_price_sync, stock_adjust
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
