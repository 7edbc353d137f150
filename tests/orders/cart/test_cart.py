"""Cart lines: adding (capped by stock), changing, removing, accepting new prices and merging at sign-in."""

import pytest

from catalog.models import Product, ProductVariant
from catalog.services import OutOfStock
from orders.cart.selectors import CART_MAX_LINES, CART_MAX_QUANTITY
from orders.cart.services import (
    CartError,
    cart_create,
    cart_line_add,
    cart_line_remove,
    cart_line_set_quantity,
    cart_merge,
    cart_prices_accept,
    cart_quantities_set,
)
from orders.models import Cart, CartLine
from tests.factories import UserFactory
from tests.orders.factories import cart_with_lines, purchasable_variant

pytestmark = pytest.mark.django_db


def _quantities(cart) -> dict[int, int]:
    return dict(CartLine.objects.filter(cart=cart).values_list("variant_id", "quantity"))


def test_adding_a_sku_records_the_price_the_shopper_saw():
    cart = cart_create(user_id=None)
    variant = purchasable_variant(price=2500, stock=5)

    line, capped = cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=2)

    assert (line.quantity, line.seen_unit_price_amount, capped) == (2, 2500, False)


def test_adding_more_than_the_stock_caps_the_quantity_and_says_so():
    cart = cart_create(user_id=None)
    variant = purchasable_variant(stock=3)

    line, capped = cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=2)
    assert (line.quantity, capped) == (2, False)
    line, capped = cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=2)

    assert (line.quantity, capped) == (3, True)
    assert _quantities(cart) == {variant.pk: 3}


def test_a_quantity_is_also_capped_by_the_cart_maximum():
    cart = cart_create(user_id=None)
    variant = purchasable_variant(stock=CART_MAX_QUANTITY + 50)

    line, capped = cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=10**9)

    assert (line.quantity, capped) == (CART_MAX_QUANTITY, True)


def test_a_sold_out_sku_cannot_be_added():
    cart = cart_create(user_id=None)
    variant = purchasable_variant(stock=0)

    with pytest.raises(OutOfStock):
        cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=1)

    assert _quantities(cart) == {}


@pytest.mark.parametrize(
    "status", [Product.Status.DELISTED, Product.Status.DRAFT, Product.Status.PENDING_REVIEW]
)
def test_a_product_shoppers_cannot_see_cannot_be_added(status):
    cart = cart_create(user_id=None)
    variant = purchasable_variant()
    Product.objects.filter(pk=variant.product_id).update(status=status)

    with pytest.raises(CartError):
        cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=1)

    assert _quantities(cart) == {}


def test_a_sku_priced_in_another_currency_cannot_be_added():
    cart = cart_create(user_id=None)
    variant = purchasable_variant()
    ProductVariant.objects.filter(pk=variant.pk).update(currency="EUR")

    with pytest.raises(CartError):
        cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=1)


@pytest.mark.parametrize("quantity", [0, -3])
def test_a_quantity_below_one_is_refused(quantity):
    cart = cart_create(user_id=None)
    variant = purchasable_variant()

    with pytest.raises(CartError):
        cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=quantity)


def test_a_full_cart_refuses_another_sku_but_accepts_more_of_one_it_holds():
    cart = cart_create(user_id=None)
    variants = [purchasable_variant() for _ in range(CART_MAX_LINES)]
    for variant in variants:
        cart_line_add(cart_id=cart.pk, variant_id=variant.pk, quantity=1)

    with pytest.raises(CartError):
        cart_line_add(cart_id=cart.pk, variant_id=purchasable_variant().pk, quantity=1)
    line, _capped = cart_line_add(cart_id=cart.pk, variant_id=variants[0].pk, quantity=1)

    assert line.quantity == 2
    assert CartLine.objects.filter(cart=cart).count() == CART_MAX_LINES


def test_setting_a_quantity_caps_it_by_stock_and_accepts_the_current_price():
    variant = purchasable_variant(price=1000, stock=4)
    cart = cart_with_lines(lines=[(variant, 1)])
    ProductVariant.objects.filter(pk=variant.pk).update(price_amount=1200)

    line, capped = cart_line_set_quantity(cart_id=cart.pk, variant_id=variant.pk, quantity=9)

    assert (line.quantity, line.seen_unit_price_amount, capped) == (4, 1200, True)


def test_setting_a_quantity_of_zero_removes_the_line():
    variant = purchasable_variant()
    cart = cart_with_lines(lines=[(variant, 2)])

    line, capped = cart_line_set_quantity(cart_id=cart.pk, variant_id=variant.pk, quantity=0)

    assert (line, capped) == (None, False)
    assert _quantities(cart) == {}


def test_setting_a_quantity_of_a_sold_out_sku_removes_the_line_and_says_so():
    variant = purchasable_variant(stock=2)
    cart = cart_with_lines(lines=[(variant, 2)])
    ProductVariant.objects.filter(pk=variant.pk).update(stock=0)

    line, capped = cart_line_set_quantity(cart_id=cart.pk, variant_id=variant.pk, quantity=1)

    assert (line, capped) == (None, True)
    assert _quantities(cart) == {}


def test_setting_the_quantity_of_a_sku_not_in_the_cart_is_refused():
    cart = cart_create(user_id=None)

    with pytest.raises(CartError):
        cart_line_set_quantity(cart_id=cart.pk, variant_id=purchasable_variant().pk, quantity=1)


def test_removing_a_line_only_touches_that_cart():
    variant = purchasable_variant()
    mine = cart_with_lines(lines=[(variant, 1)])
    theirs = cart_with_lines(lines=[(variant, 1)])

    assert cart_line_remove(cart_id=mine.pk, variant_id=variant.pk) is True
    assert cart_line_remove(cart_id=mine.pk, variant_id=variant.pk) is False
    assert _quantities(mine) == {}
    assert _quantities(theirs) == {variant.pk: 1}


def test_accepting_prices_updates_only_the_changed_lines():
    same = purchasable_variant(price=1000)
    changed = purchasable_variant(price=1000)
    cart = cart_with_lines(lines=[(same, 1), (changed, 1)])
    ProductVariant.objects.filter(pk=changed.pk).update(price_amount=800)

    assert cart_prices_accept(cart_id=cart.pk) == 1
    assert dict(CartLine.objects.filter(cart=cart).values_list("variant_id", "seen_unit_price_amount")) == {
        same.pk: 1000,
        changed.pk: 800,
    }


def test_a_users_cart_is_created_once():
    user = UserFactory()

    assert cart_create(user_id=user.pk).pk == cart_create(user_id=user.pk).pk


def test_merging_adds_quantities_capped_by_stock_and_drops_what_cannot_be_bought():
    user = UserFactory()
    shared = purchasable_variant(stock=5)
    only_visitor = purchasable_variant(stock=5)
    gone = purchasable_variant(stock=5)
    users_cart = cart_with_lines(user=user, lines=[(shared, 3)])
    visitors_cart = cart_with_lines(lines=[(shared, 4), (only_visitor, 2), (gone, 1)])
    Product.objects.filter(pk=gone.product_id).update(status=Product.Status.DELISTED)

    merged = cart_merge(from_cart_id=visitors_cart.pk, user_id=user.pk)

    assert merged.pk == users_cart.pk
    assert _quantities(merged) == {shared.pk: 5, only_visitor.pk: 2}
    assert not Cart.objects.filter(pk=visitors_cart.pk).exists()


def test_merging_a_cart_into_itself_changes_nothing():
    user = UserFactory()
    variant = purchasable_variant()
    cart = cart_with_lines(user=user, lines=[(variant, 2)])

    assert cart_merge(from_cart_id=cart.pk, user_id=user.pk).pk == cart.pk
    assert _quantities(cart) == {variant.pk: 2}


def test_setting_several_quantities_is_all_or_nothing(django_assert_max_num_queries):
    kept, dropped, foreign = purchasable_variant(stock=5), purchasable_variant(stock=5), purchasable_variant()
    cart = cart_with_lines(lines=[(kept, 1), (dropped, 2)])

    with pytest.raises(CartError):
        cart_quantities_set(cart_id=cart.pk, quantities={kept.pk: 3, foreign.pk: 1})
    assert sorted(CartLine.objects.filter(cart=cart).values_list("variant_id", "quantity")) == [
        (kept.pk, 1),
        (dropped.pk, 2),
    ]

    # One read of the SKUs for the whole update, not one per line.
    with django_assert_max_num_queries(6):
        removed, capped = cart_quantities_set(cart_id=cart.pk, quantities={kept.pk: 9, dropped.pk: 0})

    assert (removed, capped) == ([dropped.pk], True)
    assert list(CartLine.objects.filter(cart=cart).values_list("variant_id", "quantity")) == [(kept.pk, 5)]
