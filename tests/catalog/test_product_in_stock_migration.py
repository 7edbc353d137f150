"""Migration 0008 adds ``Product.in_stock`` and sets it for the products already there: true where any SKU
has stock, false for the sold-out ones and for those without a SKU."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalog", "0007_category_translations")]
AFTER = [("catalog", "0008_product_in_stock")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_existing_products_get_in_stock_from_their_skus():
    # given the database before the field, with products in every stock state
    apps = _migrate(BEFORE)
    try:
        Category = apps.get_model("catalog", "Category")
        Product = apps.get_model("catalog", "Product")
        ProductVariant = apps.get_model("catalog", "ProductVariant")
        SellerProfile = apps.get_model("accounts", "SellerProfile")
        User = apps.get_model("accounts", "User")
        user = User.objects.create(email="old@example.com")
        seller = SellerProfile.objects.create(user=user, shop_name="Old", slug="old")
        category = Category.objects.create(name="Old", slug="old", path="0001", depth=1)
        stocks = {"stocked": [0, 4], "sold-out": [0, 0], "bare": []}
        for slug, levels in stocks.items():
            product = Product.objects.create(
                seller=seller, category=category, title=slug, slug=slug, status="active"
            )
            for number, stock in enumerate(levels):
                ProductVariant.objects.create(
                    product=product, sku=f"{slug}-{number}", price_amount=100, stock=stock
                )

        # when the field is added
        apps = _migrate(AFTER)
        flags = dict(apps.get_model("catalog", "Product").objects.values_list("slug", "in_stock"))
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    # then
    assert flags == {"stocked": True, "sold-out": False, "bare": False}
