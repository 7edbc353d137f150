from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from accounts.models import Address, SellerProfile, User
from analytics.models import Event
from catalog.attributes import PRODUCT, VARIANT, attribute_specs_scoped, attribute_values_clean
from catalog.models import Category, CategoryAttribute, Product, ProductVariant, Tag
from catalog.selectors_attributes import category_attribute_specs
from marketplace.demo.catalog import DEPARTMENTS
from orders.models import Order, OrderLine, OrderStatus, SellerOrder

pytestmark = pytest.mark.django_db

SMALL = {
    "products": 200,
    "sellers": 20,
    "shoppers": 20,
    "orders": 50,
    "events": 500,
    "no_progress": True,
    # A year of rollups takes ~15 s even for this little; one test below builds them.
    "rollups": False,
}


def _seed(**overrides) -> tuple[str, str]:
    stdout, stderr = StringIO(), StringIO()
    call_command("seed_demo", **{**SMALL, **overrides}, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def _row_counts() -> dict[str, int]:
    models = (
        Category,
        CategoryAttribute,
        Tag,
        User,
        SellerProfile,
        Address,
        Product,
        ProductVariant,
        Order,
        SellerOrder,
        OrderLine,
    )
    counts = {model.__name__: model.objects.count() for model in models}
    counts["product tags"] = Product.tags.through.objects.count()
    counts["events"] = Event.objects.count()
    return counts


def test_seed_demo_builds_a_three_level_category_tree_with_products_only_in_leaves():
    _seed()

    subcategories = sum(len(dept.subcategories) for dept in DEPARTMENTS)
    leaves = sum(len(dept.leaves) for dept in DEPARTMENTS)
    by_depth = dict(Category.objects.order_by().values_list("depth").annotate(n=Count("pk")))
    assert by_depth == {1: 8, 2: subcategories, 3: leaves}
    assert set(Category.objects.filter(depth=1).values_list("numchild", flat=True)) <= {3, 4, 5}
    assert set(Category.objects.filter(depth=2).values_list("numchild", flat=True)) <= {2, 3, 4}
    assert Category.objects.filter(depth=3).exclude(numchild=0).count() == 0
    assert Category.objects.find_problems() == ([], [], [], [], [])
    assert Product.objects.exclude(category__depth=3).count() == 0
    electronics = Category.objects.get(slug="electronics")
    assert Category.objects.get_children(electronics).filter(slug="audio").exists()


def test_seed_demo_creates_approved_sellers_shoppers_and_exactly_the_requested_products():
    _seed()

    sellers = SellerProfile.objects.filter(user__email__endswith="@demo.marketplace")
    assert sellers.count() == 20
    assert sellers.filter(status=SellerProfile.Status.APPROVED).count() == 20
    assert set(sellers.values_list("kind", flat=True)) == {
        SellerProfile.Kind.BUSINESS,
        SellerProfile.Kind.INDIVIDUAL,
    }
    assert User.objects.filter(email__startswith="shopper", email__endswith="@demo.marketplace").count() == 20
    assert Address.objects.filter(user__email="shopper@demo.marketplace", is_default=True).count() == 1
    assert Tag.objects.count() == 60
    assert Product.objects.count() == 200
    assert Product.objects.exclude(status=Product.Status.ACTIVE).count() == 0
    assert Product.objects.filter(published_at__lt=timezone.now() - timedelta(days=549)).count() == 0


def test_seed_demo_gives_every_product_variants_whose_cheapest_price_is_the_product_price():
    _seed()

    products = Product.objects.annotate(
        variant_count=Count("variants", distinct=True),
        cheapest=Min("variants__price_amount"),
        tag_count=Count("tags", distinct=True),
    )
    assert products.filter(variant_count=0).count() == 0
    assert products.filter(variant_count__gt=3).count() == 0
    assert [p.pk for p in products if p.price_amount != p.cheapest] == []
    assert products.filter(tag_count=0).count() == 0
    assert products.filter(tag_count__gt=4).count() == 0
    assert ProductVariant.objects.exclude(sku__regex=r"^DEMO-\d{7}-[123]$").count() == 0
    assert ProductVariant.objects.exclude(currency="USD").count() == 0
    assert ProductVariant.objects.filter(price_amount__lt=99).count() == 0
    first = ProductVariant.objects.get(sku="DEMO-0000001-1")
    assert first.product.price_amount <= first.price_amount


def test_seed_demo_defines_typed_attributes_on_the_category_tree():
    _seed()

    definitions = set(
        CategoryAttribute.objects.values_list(
            "category__slug", "code", "type", "scope", "unit", "is_required"
        )
    )
    assert {
        ("electronics", "colour", "choice", "variant", "", False),
        ("smartphones", "screen_size", "number", "product", "in", False),
        ("fashion", "size", "choice", "variant", "", False),
        ("fashion", "material", "choice", "product", "", False),
        ("shoes", "size", "choice", "variant", "", False),
        ("books", "format", "choice", "variant", "", True),
        ("beauty", "vegan", "boolean", "product", "", False),
    } <= definitions
    sneakers = Category.objects.get(slug="sneakers")
    size = next(s for s in category_attribute_specs(category_id=sneakers.id) if s.code == "size")
    assert size.choices == ("6", "7", "8", "9", "10", "11", "12")


def test_seed_demo_values_are_valid_for_their_categorys_attributes():
    _seed()

    specs_by_category = {}
    invalid = []
    for product in Product.objects.prefetch_related("variants"):
        if product.category_id not in specs_by_category:
            specs_by_category[product.category_id] = category_attribute_specs(category_id=product.category_id)
        specs = specs_by_category[product.category_id]
        for values, scope in [(product.attributes, PRODUCT)] + [
            (v.attributes, VARIANT) for v in product.variants.all()
        ]:
            clean, errors = attribute_values_clean(attribute_specs_scoped(specs, scope), values)
            if errors or clean != values:
                invalid.append((product.slug, scope, values, errors))
    assert invalid == []
    assert (
        Product.objects.filter(category__slug="dresses").exclude(attributes__has_key="material").count() == 0
    )
    assert Product.objects.exclude(attributes={}).count() > 100


def test_seed_demo_orders_have_totals_that_add_up():
    _seed()

    orders = Order.objects.prefetch_related("seller_orders__lines")
    assert orders.count() == 50
    assert sorted(orders.values_list("number", flat=True)) == [f"DEMO-{n:06d}" for n in range(1, 51)]
    for order in orders:
        parts = list(order.seller_orders.all())
        assert parts, order.number
        assert order.subtotal_amount == sum(part.subtotal_amount for part in parts)
        assert order.shipping_amount == sum(part.shipping_amount for part in parts)
        assert order.discount_amount == sum(part.discount_amount for part in parts)
        assert order.total_amount == sum(part.total_amount for part in parts)
        assert order.total_amount == order.subtotal_amount + order.shipping_amount - order.discount_amount
        for part in parts:
            lines = list(part.lines.all())
            assert part.status == order.status
            assert part.subtotal_amount == sum(line.total_amount for line in lines)
            assert all(line.total_amount == line.unit_price_amount * line.quantity for line in lines)
            assert {line.variant.product.seller_id for line in lines} == {part.seller_id}
    assert set(orders.values_list("status", flat=True)) <= set(OrderStatus.values) - {
        OrderStatus.PENDING_PAYMENT
    }
    assert orders.filter(placed_at__lt=timezone.now() - timedelta(days=365)).count() == 0


def test_seed_demo_events_cover_twelve_months_with_timezone_aware_times():
    _seed()

    now = timezone.now()
    span = Event.objects.aggregate(first=Min("occurred_at"), last=Max("occurred_at"))
    assert Event.objects.count() == 500
    assert timezone.is_aware(span["first"])
    assert timezone.is_aware(span["last"])
    assert now - timedelta(days=366) <= span["first"] <= now - timedelta(days=300)
    assert now - timedelta(days=30) <= span["last"] <= now
    placed = Event.objects.filter(type="order_placed", object_type="orders.order")
    assert sorted(int(pk) for pk in placed.values_list("object_id", flat=True)) == sorted(
        Order.objects.values_list("pk", flat=True)
    )
    assert Event.objects.exclude(session_key__startswith="demo").count() == 0
    assert Event.objects.filter(type="page_view", utm_source="google", utm_medium="organic").exists()
    assert Event.objects.filter(is_bot=True).exclude(user_agent_class="bot").count() == 0


def test_seed_demo_second_run_creates_nothing():
    _seed()
    before = _row_counts()

    stdout, _ = _seed()

    assert _row_counts() == before
    assert "Created 0 categories, 0 tags, 0 sellers, 0 shoppers (0 addresses), 0 products" in stdout


def test_seed_demo_with_more_products_adds_exactly_the_difference():
    _seed()
    before = _row_counts()

    _seed(products=250)

    after = _row_counts()
    assert after["Product"] == 250
    assert ProductVariant.objects.filter(sku__startswith="DEMO-0000250-").count() >= 1
    assert {key: after[key] for key in ("Order", "OrderLine", "events", "User", "Category")} == {
        key: before[key] for key in ("Order", "OrderLine", "events", "User", "Category")
    }


def test_seed_demo_recreates_the_same_products_for_the_same_seed():
    _seed(orders=0, events=0)
    first = list(Product.objects.order_by("slug").values_list("slug", "title", "price_amount"))
    Product.objects.all().delete()

    _seed(orders=0, events=0)

    assert list(Product.objects.order_by("slug").values_list("slug", "title", "price_amount")) == first


def test_seed_demo_logins_authenticate_with_their_roles():
    _seed()

    shopper = authenticate(email="shopper@demo.marketplace", password="demo-shopper-pass")
    seller = authenticate(email="seller@demo.marketplace", password="demo-seller-pass")
    operator = authenticate(email="operator@demo.marketplace", password="demo-operator-pass")

    assert shopper is not None
    assert shopper.orders.exists()
    assert seller is not None
    assert seller.seller_profile.is_approved
    assert seller.seller_profile.products.exists()
    assert seller.seller_profile.seller_orders.exists()
    assert operator is not None
    assert (operator.is_staff, operator.is_superuser) == (True, True)


def test_seed_demo_draws_progress_on_stderr_unless_quiet():
    _, stderr = _seed(no_progress=False)
    quiet_stdout, quiet_stderr = _seed(no_progress=False, verbosity=0, products=210)

    assert "Products" in stderr
    assert quiet_stderr == ""
    assert "operator@demo.marketplace / demo-operator-pass" in quiet_stdout
    assert Product.objects.count() == 210


def test_seed_demo_totals_match_the_order_placed_events():
    _seed()

    revenue = Order.objects.aggregate(total=Sum("total_amount"))["total"]
    tracked = sum(
        properties["total_amount"]
        for properties in Event.objects.filter(type="order_placed").values_list("properties", flat=True)
    )
    assert tracked == revenue


def test_the_demo_builds_a_year_of_rollups_that_agree_with_its_paid_orders():
    from analytics.models import Grain, SalesFact, TrafficFact

    _seed(rollups=True)

    paid = Order.objects.filter(paid_at__isnull=False)
    platform_days = SalesFact.objects.filter(grain=Grain.DAY, seller_id=0)
    assert platform_days.aggregate(n=Sum("orders_paid"))["n"] == paid.count() > 0
    assert (
        platform_days.aggregate(total=Sum("gmv_amount"))["total"]
        == paid.aggregate(t=Sum("total_amount"))["t"]
    )
    assert TrafficFact.objects.filter(grain=Grain.DAY, seller_id=0).aggregate(n=Sum("sessions"))["n"] > 0
