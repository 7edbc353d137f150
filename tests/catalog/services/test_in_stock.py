"""``Product.in_stock``: every service that moves stock keeps it, both ways, in the same transaction, and a
flip starts a new listing generation (so cached listings drop or bring back the product at once)."""

import itertools

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from catalog.listing_cache import listing_version
from catalog.models import Product, ProductVariant, StockMovement
from catalog.services import OutOfStock, product_in_stock_refresh, stock_adjust, stock_take
from catalog.services_import import product_import
from catalog.services_listing import (
    VariantInput,
    product_create,
    seller_stock_adjust,
    variant_create,
    variant_update,
)
from tests.factories import ProductFactory, ProductVariantFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db
Reason = StockMovement.Reason
_listing_numbers = itertools.count()


def _in_stock(product_id: int) -> bool:
    return Product.objects.values_list("in_stock", flat=True).get(pk=product_id)


def test_taking_the_last_unit_sells_the_product_out_and_a_restock_brings_it_back():
    # given a product with one SKU holding two units
    variant = ProductVariantFactory(stock=2)
    assert _in_stock(variant.product_id) is True

    # when the last units go, then when one comes back
    stock_adjust(variant_id=variant.pk, delta=-2, reason=Reason.DAMAGE)
    sold_out = _in_stock(variant.product_id)
    stock_adjust(variant_id=variant.pk, delta=1, reason=Reason.RESTOCK)

    # then
    assert sold_out is False
    assert _in_stock(variant.product_id) is True


def test_a_product_is_in_stock_while_any_of_its_skus_is():
    # given two SKUs with one unit each
    first = ProductVariantFactory(stock=1)
    second = ProductVariantFactory(product=first.product, stock=1)

    # when
    stock_adjust(variant_id=first.pk, delta=-1, reason=Reason.ADJUSTMENT)
    after_first = _in_stock(first.product_id)
    stock_adjust(variant_id=second.pk, delta=-1, reason=Reason.ADJUSTMENT)

    # then
    assert after_first is True
    assert _in_stock(first.product_id) is False


def test_a_change_that_does_not_cross_zero_only_locks_the_product():
    # The product is locked before its SKU whatever the change (``catalog.locks``), in one statement that
    # also reads the flag; a change that does not cross zero writes nothing of it.
    variant = ProductVariantFactory(stock=5)

    with CaptureQueriesContext(connection) as captured:
        stock_adjust(variant_id=variant.pk, delta=-1, reason=Reason.ADJUSTMENT)
        stock_adjust(variant_id=variant.pk, delta=3, reason=Reason.RESTOCK)

    product_sql = [q["sql"] for q in captured if '"catalog_product"' in q["sql"]]
    assert len(product_sql) == 2
    assert all(sql.startswith('SELECT "catalog_product"."id"') for sql in product_sql), product_sql
    assert _in_stock(variant.product_id) is True


def test_stock_take_sells_out_every_product_whose_last_units_it_takes():
    # given two products, one with a unit to spare
    last = ProductVariantFactory(stock=1)
    spare = ProductVariantFactory(stock=3)

    # when
    stock_take(quantities=[(last.pk, 1), (spare.pk, 2)], reason=Reason.RESERVATION, reference="MP-1")

    # then
    assert _in_stock(last.product_id) is False
    assert _in_stock(spare.product_id) is True


def test_a_refused_stock_take_leaves_the_flag_as_it_was():
    last = ProductVariantFactory(stock=1)
    short = ProductVariantFactory(stock=1)

    with pytest.raises(OutOfStock), transaction.atomic():
        stock_take(quantities=[(last.pk, 1), (short.pk, 2)], reason=Reason.RESERVATION)

    assert _in_stock(last.product_id) is True
    assert ProductVariant.objects.get(pk=last.pk).stock == 1


def test_a_flip_starts_a_new_listing_generation_once_it_commits(django_capture_on_commit_callbacks):
    variant = ProductVariantFactory(stock=2)
    before = listing_version()

    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variant_id=variant.pk, delta=-1, reason=Reason.ADJUSTMENT)
    unflipped = listing_version()
    with django_capture_on_commit_callbacks(execute=True):
        stock_adjust(variant_id=variant.pk, delta=-1, reason=Reason.ADJUSTMENT)

    assert unflipped == before
    assert listing_version() != before


# --- the seller's services ------------------------------------------------------------------------


@pytest.fixture
def seller():
    return SellerProfileFactory()


@pytest.fixture
def leaf():
    return category_create("Kitchen", parent=category_create("Home"))


def _listing(seller, leaf, *stocks: int) -> Product:
    number = next(_listing_numbers)
    return product_create(
        seller_id=seller.pk,
        actor_id=seller.user_id,
        title="Chef's knife",
        category_id=leaf.pk,
        variants=[
            VariantInput(sku=f"KNIFE-{number}-{i}", price_amount=1999, stock=stock)
            for i, stock in enumerate(stocks)
        ],
    )


def test_a_new_listing_is_in_stock_only_with_opening_stock(seller, leaf):
    assert _listing(seller, leaf, 0, 3).in_stock is True
    assert Product.objects.get(pk=_listing(seller, leaf, 0, 0).pk).in_stock is False


def test_adding_a_sku_with_stock_to_a_sold_out_listing_brings_it_back(seller, leaf):
    product = _listing(seller, leaf, 0)

    variant_create(
        seller_id=seller.pk, product_id=product.pk, actor_id=None, sku="EXTRA-1", price_amount=1999, stock=0
    )
    still_sold_out = _in_stock(product.pk)
    variant_create(
        seller_id=seller.pk, product_id=product.pk, actor_id=None, sku="EXTRA-2", price_amount=1999, stock=4
    )

    assert still_sold_out is False
    assert _in_stock(product.pk) is True


def test_editing_a_skus_stock_level_flips_the_flag_both_ways(seller, leaf):
    product = _listing(seller, leaf, 2)
    variant = product.variants.get()

    def edit(stock: int) -> bool:
        variant_update(
            seller_id=seller.pk,
            variant_id=variant.pk,
            actor_id=None,
            sku=variant.sku,
            price_amount=1999,
            stock=stock,
        )
        return _in_stock(product.pk)

    assert [edit(0), edit(5)] == [False, True]


def test_a_sellers_manual_adjustment_flips_the_flag_both_ways(seller, leaf):
    variant = _listing(seller, leaf, 1).variants.get()

    def adjust(delta: int, reason: str) -> bool:
        seller_stock_adjust(
            seller_id=seller.pk, variant_id=variant.pk, delta=delta, reason=reason, actor_id=None
        )
        return _in_stock(variant.product_id)

    assert [adjust(-1, Reason.DAMAGE), adjust(6, Reason.RESTOCK)] == [False, True]


def test_a_stock_sheet_import_flips_the_flag_both_ways(seller, leaf):
    knife = _listing(seller, leaf, 2)
    board = _listing(seller, leaf, 0)

    report = product_import(
        seller_id=seller.pk,
        actor_id=seller.user_id,
        file=f"sku,stock\n{knife.variants.get().sku},0\n{board.variants.get().sku},9\n".encode(),
        file_format="csv",
    )

    assert report.errors == []
    assert (_in_stock(knife.pk), _in_stock(board.pk)) == (False, True)


# --- recomputing from the SKUs --------------------------------------------------------------------


def test_refresh_recomputes_from_the_skus_and_names_what_flipped():
    # given flags that disagree with the SKUs (as after a bulk load that wrote stock directly)
    stocked = ProductVariantFactory(stock=4).product
    emptied = ProductVariantFactory(stock=4).product
    bare = ProductFactory()  # no SKU at all: nothing to sell
    ProductVariant.objects.filter(product=emptied).update(stock=0)
    Product.objects.filter(pk=stocked.pk).update(in_stock=False)

    # when
    flipped = product_in_stock_refresh(product_ids=[stocked.pk, emptied.pk, bare.pk])

    # then
    assert flipped == sorted([stocked.pk, emptied.pk, bare.pk])
    assert [_in_stock(p.pk) for p in (stocked, emptied, bare)] == [True, False, False]
    assert product_in_stock_refresh(product_ids=[stocked.pk, emptied.pk, bare.pk]) == []
