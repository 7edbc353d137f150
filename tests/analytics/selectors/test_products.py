"""Best sellers, stock figures (sell-through, turnover, days of cover, stock-out risk, slow movers),
category performance with drill-down, and the sellers' table."""

import datetime as dt
from decimal import Decimal

import pytest

from analytics.selectors import DateRange, seller_performance_qs, seller_rows, seller_sort_parse
from analytics.selectors_products import StockRow, best_sellers, category_performance, stock_tables
from tests.analytics import facts
from tests.analytics.facts import D
from tests.factories import ProductFactory, SellerProfileFactory, category_create

pytestmark = pytest.mark.django_db

END = D(2026, 3, 30)
RANGE = DateRange(D(2026, 3, 1), END)


def test_stock_row_figures_follow_their_definitions():
    row = StockRow(key=1, units_sold=30, units_recent=56, on_hand=10, opening_on_hand=50)

    assert row.sell_through == Decimal("75.0")  # 30 / (30 + 10)
    assert row.turnover == Decimal("1.00")  # 30 / ((50 + 10) / 2)
    assert row.daily_rate == Decimal("2.00")  # 56 / 28
    assert row.days_of_cover == Decimal("5.0")  # 10 / 2
    assert row.at_risk(7) is True
    assert row.at_risk(5) is False
    idle = StockRow(key=2, on_hand=4)
    assert (idle.days_of_cover, idle.at_risk(7), idle.sell_through, idle.turnover) == (
        None,
        False,
        Decimal("0.0"),
        Decimal("0.00"),
    )
    assert StockRow(key=3).turnover is None


@pytest.fixture
def shop():
    seller = SellerProfileFactory(shop_name="Kettle Corner")
    kitchen = category_create("Kitchen")
    kettles = category_create("Kettles", parent=kitchen)
    return {
        "seller": seller,
        "kitchen": kitchen,
        "kettles": kettles,
        "kettle": ProductFactory(seller=seller, category=kettles, title="Steel kettle"),
        "teapot": ProductFactory(seller=seller, category=kettles, title="Clay teapot"),
        "mug": ProductFactory(seller=seller, category=kettles, title="Mug"),
    }


def test_best_sellers_by_units_with_titles_and_shop_names(shop):
    seller, kettle, teapot = shop["seller"], shop["kettle"], shop["teapot"]
    facts.product(
        D(2026, 3, 2),
        product_id=kettle.pk,
        seller_id=seller.pk,
        units=3,
        orders=2,
        gmv_amount=9000,
        product_views=40,
    )
    facts.product(
        D(2026, 3, 5),
        product_id=kettle.pk,
        seller_id=seller.pk,
        units=1,
        orders=1,
        gmv_amount=3000,
        product_views=10,
    )
    facts.product(
        D(2026, 3, 5),
        product_id=teapot.pk,
        seller_id=seller.pk,
        units=5,
        orders=5,
        gmv_amount=5000,
        product_views=20,
    )
    facts.product(
        D(2026, 3, 5), product_id=shop["mug"].pk, seller_id=seller.pk, product_views=20
    )  # viewed, not sold

    rows = best_sellers(date_range=RANGE, seller_id=None, limit=10)

    assert [(r.title, r.shop_name, r.units, r.orders, r.gmv_amount, r.conversion_rate) for r in rows] == [
        ("Clay teapot", "Kettle Corner", 5, 5, 5000, Decimal("25.0")),
        ("Steel kettle", "Kettle Corner", 4, 3, 12000, Decimal("6.0")),
    ]
    assert best_sellers(date_range=RANGE, seller_id=seller.pk + 1, limit=10) == []


def test_stock_tables_rank_sales_risk_and_slow_movers_from_the_latest_snapshot(shop):
    seller, kettle, teapot, mug = shop["seller"], shop["kettle"], shop["teapot"], shop["mug"]
    sid = seller.pk
    # snapshots: the first in the range (opening) and the latest on or before its end (closing)
    for day, kettle_stock, teapot_stock, mug_stock in (
        (D(2026, 3, 1), 40, 20, 9),
        (D(2026, 3, 29), 6, 16, 9),
    ):
        facts.stock(day, variant_id=kettle.pk * 10, product_id=kettle.pk, seller_id=sid, on_hand=kettle_stock)
        facts.stock(day, variant_id=kettle.pk * 10 + 1, product_id=kettle.pk, seller_id=sid, on_hand=0)
        facts.stock(day, variant_id=teapot.pk * 10, product_id=teapot.pk, seller_id=sid, on_hand=teapot_stock)
        facts.stock(day, variant_id=mug.pk * 10, product_id=mug.pk, seller_id=sid, on_hand=mug_stock)
    facts.stock(
        D(2026, 3, 31), variant_id=kettle.pk * 10, product_id=kettle.pk, seller_id=sid, on_hand=999
    )  # after the end
    # sales: the kettle 28 units in the last 28 days (1 a day), the teapot 4 units 40 days before the
    # end only, the mug last sold 90 days ago
    for offset in range(28):
        facts.product(END - dt.timedelta(days=offset), product_id=kettle.pk, seller_id=sid, units=1)
    facts.product(D(2026, 2, 18), product_id=teapot.pk, seller_id=sid, units=4)
    facts.product(END - dt.timedelta(days=90), product_id=mug.pk, seller_id=sid, units=1)

    tables = stock_tables(date_range=RANGE, seller_id=sid, group="product", limit=10)

    assert tables.snapshot_day == D(2026, 3, 29)
    (kettle_row,) = tables.stock
    assert (kettle_row.name, kettle_row.units_sold, kettle_row.on_hand, kettle_row.opening_on_hand) == (
        "Steel kettle",
        28,
        6,
        40,
    )
    assert (kettle_row.sell_through, kettle_row.turnover, kettle_row.days_of_cover) == (
        Decimal("82.4"),  # 28 / 34
        Decimal("1.22"),  # 28 / 23
        Decimal("6.0"),  # 6 / (28 / 28)
    )
    assert [r.name for r in tables.at_risk] == ["Steel kettle"]
    # slow movers: stock and no sale in 30 days, most stock first, with the last sale
    assert [(r.name, r.on_hand, r.last_sale) for r in tables.slow] == [
        ("Clay teapot", 16, D(2026, 2, 18)),
        ("Mug", 9, END - dt.timedelta(days=90)),
    ]
    longer = stock_tables(date_range=RANGE, seller_id=sid, group="product", limit=10, slow_days=45)
    assert [r.name for r in longer.slow] == ["Mug"]
    assert stock_tables(date_range=RANGE, seller_id=sid, group="product", limit=10, lead_days=6).at_risk == []


def test_stock_by_seller_and_by_category_add_up_the_products(shop):
    seller, kettle, teapot = shop["seller"], shop["kettle"], shop["teapot"]
    other = SellerProfileFactory(shop_name="Other")
    for product, owner, stock in (
        (kettle, seller, 5),
        (teapot, seller, 7),
        (ProductFactory(seller=other), other, 100),
    ):
        facts.stock(
            END,
            variant_id=product.pk,
            product_id=product.pk,
            seller_id=owner.pk,
            on_hand=stock,
            category_id=shop["kettles"].pk,
        )
        facts.product(END, product_id=product.pk, seller_id=owner.pk, category_id=shop["kettles"].pk, units=2)

    by_seller = stock_tables(date_range=RANGE, seller_id=None, group="seller", limit=10)
    by_category = stock_tables(date_range=RANGE, seller_id=seller.pk, group="category", limit=10)

    assert [(r.name, r.units_sold, r.on_hand) for r in by_seller.stock] == [
        ("Kettle Corner", 4, 12),
        ("Other", 2, 100),
    ]
    assert [(r.name, r.units_sold, r.on_hand) for r in by_category.stock] == [("Kettles", 4, 12)]


def test_category_performance_top_level_and_drill_down_to_leaves(shop):
    sid = shop["seller"].pk
    kitchen, kettles = shop["kitchen"], shop["kettles"]
    mugs = category_create("Mugs", parent=kitchen)
    garden = category_create("Garden")
    facts.category(
        D(2026, 3, 3),
        category_id=kettles.pk,
        top_category_id=kitchen.pk,
        seller_id=sid,
        product_views=100,
        orders=4,
        units=5,
        gmv_amount=20000,
    )
    facts.category(
        D(2026, 3, 3),
        category_id=mugs.pk,
        top_category_id=kitchen.pk,
        seller_id=sid,
        product_views=50,
        orders=1,
        units=2,
        gmv_amount=1000,
    )
    facts.category(
        D(2026, 3, 4),
        category_id=garden.pk,
        top_category_id=garden.pk,
        seller_id=sid + 100,
        product_views=10,
        orders=1,
        units=1,
        gmv_amount=30000,
    )

    tops = category_performance(date_range=RANGE, seller_id=None)
    leaves = category_performance(date_range=RANGE, seller_id=None, top_category_id=kitchen.pk)
    own = category_performance(date_range=RANGE, seller_id=sid)

    assert [(r.name, r.product_views, r.orders, r.gmv_amount, r.conversion_rate) for r in tops] == [
        ("Garden", 10, 1, 30000, Decimal("10.0")),
        ("Kitchen", 150, 5, 21000, Decimal("3.3")),
    ]
    assert [(r.name, r.gmv_amount, r.conversion_rate) for r in leaves] == [
        ("Kettles", 20000, Decimal("4.0")),
        ("Mugs", 1000, Decimal("2.0")),
    ]
    assert [r.name for r in own] == ["Kitchen"]


def test_sellers_table_sorts_by_a_whitelisted_column_with_names_and_rates():
    fast = SellerProfileFactory(shop_name="Fast", rating_avg=Decimal("4.50"), rating_count=10)
    slow = SellerProfileFactory(shop_name="Slow")
    facts.sales(
        D(2026, 3, 2),
        seller_id=fast.pk,
        gmv_amount=50000,
        orders_paid=10,
        orders_cancelled=1,
        orders_shipped_late=2,
        refunded_orders=1,
        commission_amount=5000,
    )
    facts.sales(
        D(2026, 3, 2),
        seller_id=slow.pk,
        gmv_amount=10000,
        orders_paid=4,
        orders_cancelled=2,
        commission_amount=1000,
    )
    facts.sales(D(2026, 3, 2), gmv_amount=60000, orders_paid=14)  # the platform row is not a seller

    by_gmv = seller_rows(seller_performance_qs(date_range=RANGE, sort="-gmv"))
    by_cancellations = seller_rows(seller_performance_qs(date_range=RANGE, sort="-cancellation_rate"))

    assert [
        (
            r.shop_name,
            r.gmv_amount,
            r.orders_paid,
            r.cancellation_rate,
            r.late_shipment_rate,
            r.refund_rate,
            r.rating_avg,
            r.commission_amount,
        )
        for r in by_gmv
    ] == [
        ("Fast", 50000, 10, Decimal("10.0"), Decimal("20.0"), Decimal("10.0"), Decimal("4.50"), 5000),
        ("Slow", 10000, 4, Decimal("50.0"), Decimal("0.0"), Decimal("0.0"), None, 1000),
    ]
    assert [r.shop_name for r in by_cancellations] == ["Slow", "Fast"]
    assert [r.shop_name for r in seller_rows(seller_performance_qs(date_range=RANGE, sort="gmv"))] == [
        "Slow",
        "Fast",
    ]


@pytest.mark.parametrize(
    ("value", "parsed"),
    [
        ("gmv", "gmv"),
        ("-orders", "-orders"),
        ("--gmv", "-gmv"),
        ("seller_id", "-gmv"),
        ("", "-gmv"),
        ("-pk", "-gmv"),
    ],
)
def test_only_whitelisted_sorts_are_taken(value, parsed):
    assert seller_sort_parse(value) == parsed
