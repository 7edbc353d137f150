"""``manage.py import_transactions`` on a cut of the real Online Retail file (tests/fixtures): whole
invoices of December 2010, a guest's order with DOTCOM postage, a manual charge (M), postage (POST), a
discount granted in a cancellation (D), cushion pads at 0.001 a unit, an invoice of stock corrections, a
bad-debt adjustment, an invoice split over the file, and cancellation C543175 of part of order 542782."""

import csv
import math
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum

from accounts.models import SellerProfile, User
from analytics.models import ProductFact, SalesFact
from catalog.models import Category, Product, ProductVariant, StockMovement
from orders.models import Order, OrderEvent, OrderLine, OrderStatus, SellerOrder
from payments.commissions import refund_split
from payments.ledger import ledger_problems
from payments.models import JournalEntry, JournalLine, LineCommission, Payment, Refund

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "online_retail_sample.csv"
LONDON = ZoneInfo("Europe/London")
# Written out here, not taken from the importer: the codes of the file that are not goods.
NOT_GOODS = {"POST", "DOT", "C2", "D", "M", "m", "S", "PADS", "BANK CHARGES", "AMAZONFEE", "CRUK", "B"}


def _import(path: Path = FIXTURE, **options) -> str:
    stdout, stderr = StringIO(), StringIO()
    options = {"no_rollup": True, "no_progress": True, **options}
    call_command("import_transactions", file=path, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue()


def _fixture_rows() -> list[dict[str, str]]:
    with FIXTURE.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _revenue(*, goods_only: bool, adjustments: bool = True) -> Decimal:
    """The issue's revenue: sum of Quantity x UnitPrice over rows of non-cancellation invoices with a
    positive quantity and price (``goods_only``: without postage, charges and discounts;
    ``adjustments=False``: without the bad-debt adjustment invoices, "A...", which are no sales)."""
    return sum(
        (
            int(row["Quantity"]) * Decimal(row["UnitPrice"])
            for row in _fixture_rows()
            if not row["InvoiceNo"].startswith("C")
            and (adjustments or not row["InvoiceNo"].startswith("A"))
            and int(row["Quantity"]) > 0
            and Decimal(row["UnitPrice"]) > 0
            and not (goods_only and row["StockCode"] in NOT_GOODS)
        ),
        Decimal(0),
    )


def _row_counts() -> dict[str, int]:
    models = (User, SellerProfile, Category, Product, ProductVariant, StockMovement, Order, SellerOrder)
    models += (OrderLine, OrderEvent, Payment, LineCommission, Refund, JournalEntry, JournalLine)
    return {model.__name__: model.objects.count() for model in models}


def test_each_sale_invoice_becomes_one_paid_completed_order():
    sale_invoices = {
        row["InvoiceNo"]
        for row in _fixture_rows()
        if not row["InvoiceNo"].startswith(("C", "A")) and int(row["Quantity"]) > 0
    }

    _import()

    assert len(sale_invoices) == 22  # 23 sale invoices, less 536589 (stock corrections only)
    assert set(Order.objects.values_list("number", flat=True)) == {f"OR-{number}" for number in sale_invoices}
    assert set(Order.objects.values_list("status", "currency")) == {(OrderStatus.COMPLETED, "GBP")}
    assert set(SellerOrder.objects.values_list("status", flat=True)) == {OrderStatus.COMPLETED}
    order = Order.objects.get(number="OR-536365")
    part = order.seller_orders.get()
    placed = order.placed_at.astimezone(LONDON).replace(tzinfo=None).isoformat(" ")
    assert placed == "2010-12-01 08:26:00"
    assert order.paid_at == part.completed_at == part.delivered_at == order.placed_at
    assert (order.total_amount, order.buyer.email) == (13912, "customer-17850@import.invalid")
    assert part.seller.shop_name == "Online Retail (imported)"
    assert part.seller.is_approved
    assert not order.buyer.has_usable_password()
    assert order.shipping_address["country"] == "GB"
    assert order.events.get().to_status == OrderStatus.COMPLETED


def test_the_imported_goods_gmv_equals_the_hand_computed_revenue():
    _import()

    goods = OrderLine.objects.filter(product_id_snapshot__isnull=False).aggregate(total=Sum("total_amount"))
    orders = Order.objects.aggregate(total=Sum("total_amount"), discount=Sum("discount_amount"))

    assert Decimal(goods["total"]) / 100 == _revenue(goods_only=True)
    # Goods, charges and postage: every penny of the sales' revenue except the 0.1p of a cushion pad at
    # 0.001 (rounded half-even to 0p); no sale in the sample has a discount. A563185 ("Adjust bad debt",
    # 11,062.06) is bookkeeping, not a sale.
    assert orders["discount"] == 0
    assert _revenue(goods_only=False) - _revenue(goods_only=False, adjustments=False) == Decimal("11062.06")
    assert Decimal(orders["total"]) / 100 == _revenue(goods_only=False, adjustments=False) - Decimal("0.001")


def test_every_order_keeps_the_checkouts_invariants():
    _import()

    for order in Order.objects.prefetch_related("seller_orders__lines", "payments"):
        (part,) = order.seller_orders.all()
        lines = list(part.lines.all())
        assert order.subtotal_amount == sum(line.unit_price_amount * line.quantity for line in lines)
        assert order.discount_amount == sum(line.discount_amount for line in lines)
        assert order.total_amount == order.subtotal_amount - order.discount_amount + order.shipping_amount
        assert (part.subtotal_amount, part.shipping_amount, part.total_amount) == (
            order.subtotal_amount,
            order.shipping_amount,
            order.total_amount,
        )
        for line in lines:
            assert line.total_amount == line.unit_price_amount * line.quantity - line.discount_amount
        (payment,) = order.payments.all()
        assert (payment.provider, payment.captured_amount, payment.captured_at) == (
            "import",
            order.total_amount,
            order.paid_at,
        )


def test_postage_charges_and_fractions_of_a_penny_are_not_products():
    _import()

    postage = Order.objects.get(number="OR-542782")
    manual = OrderLine.objects.get(seller_order__order__number="OR-538147")
    pads = OrderLine.objects.get(seller_order__order__number="OR-561226", sku="OLR-PADS")

    assert postage.shipping_amount == 3600  # 2 x POSTAGE at 18.00
    assert (manual.sku, manual.variant_id, manual.product_id_snapshot, manual.total_amount) == (
        "OLR-M",
        None,
        None,
        1500,
    )
    assert (pads.variant_id, pads.quantity, pads.unit_price_amount, pads.total_amount) == (None, 1, 0, 0)
    assert not ProductVariant.objects.filter(sku__in=["OLR-POST", "OLR-M", "OLR-PADS", "OLR-DOT"]).exists()


def test_a_guests_invoice_is_a_guest_order_with_its_postage():
    _import()

    guest = Order.objects.get(number="OR-538154")

    assert (guest.buyer_id, guest.email) == (None, "guest-538154@import.invalid")
    assert guest.shipping_amount == 8579  # DOTCOM POSTAGE 85.79
    assert User.objects.filter(email__startswith="guest-").count() == 0


def test_an_invoice_split_over_the_file_is_one_order():
    _import()

    assert OrderLine.objects.filter(seller_order__order__number="OR-542806").count() == 39


def test_a_cancellation_refunds_the_customers_goods_and_postage():
    _import()

    refund = Refund.objects.get()
    payment = refund.payment
    lines = {
        OrderLine.objects.get(pk=item["order_line"]).sku: (item["quantity"], item["amount"])
        for item in refund.lines
    }

    assert refund.idempotency_key == "online-retail:C543175:OR-542782"
    assert payment.order.number == "OR-542782"
    # KEY CABINET 2 x 9.95 (all of it), SHELF 2 of 4 x 8.50, ORGANISER 2 x 8.50, one of two postages 18.00
    assert lines == {"OLR-22763": (2, 1990), "OLR-22171": (2, 1700), "OLR-22168": (2, 1700)}
    assert (refund.amount, refund.shipping_amount, refund.status) == (7190, 1800, Refund.Status.SUCCEEDED)
    assert refund.succeeded_at.astimezone(LONDON).replace(tzinfo=None).isoformat(" ") == "2011-02-04 09:46:00"
    assert (payment.amount, payment.refunded_amount, payment.status) == (
        31415,
        7190,
        Payment.Status.PARTIALLY_REFUNDED,
    )
    # Split as the payments app splits a refund of those lines and that postage.
    assert (refund.seller_amount, refund.commission_amount, refund.promotions_amount) == refund_split(
        seller_order_id=refund.seller_order_id,
        lines=[(item["order_line"], item["amount"]) for item in refund.lines],
        shipping_amount=refund.shipping_amount,
        exclude_refund_id=refund.pk,
    )
    entry = JournalEntry.objects.get(key=f"refund:{refund.pk}")
    assert entry.created_at == refund.succeeded_at
    assert OrderEvent.objects.filter(order=payment.order, reason_code="refund_succeeded").count() == 1


def test_what_a_cancellation_cannot_refund_is_reported_not_imported():
    output = _import()

    # C536379: a discount granted afterwards; C542805: goods customer 14606 bought before the file starts.
    assert "Cancellation rows not refunded (not a refund of goods or postage): 1, £27.50." in output
    assert "Cancellation rows not refunded (no earlier purchase left): 2, £3.80." in output
    assert "1 invoices of stock corrections only, 1 bad-debt adjustments." in output
    assert Refund.objects.count() == 1


def test_the_books_balance_and_commission_books_on_the_invoice_day():
    _import()
    out = StringIO()

    call_command("ledger_check", stdout=out)

    assert ledger_problems() == []
    order = Order.objects.get(number="OR-536365")
    capture = JournalEntry.objects.get(kind=JournalEntry.Kind.CAPTURE, order=order)
    assert capture.created_at == order.paid_at
    commission = LineCommission.objects.filter(seller_order__order=order).aggregate(total=Sum("amount"))[
        "total"
    ]
    # 10 % of each line, rounded half up: 15.30, 20.34 x 3, 22.00, 15.30 and 25.50
    assert commission == 153 + 203 * 3 + 220 + 153 + 255
    assert -JournalLine.objects.get(entry=capture, account__kind="commission_revenue").amount == commission


def test_the_catalog_has_one_published_sku_per_code_with_a_months_stock():
    _import()
    units: dict[str, int] = {}
    for row in _fixture_rows():
        sold = int(row["Quantity"]) > 0 and Decimal(row["UnitPrice"]) > 0
        if sold and row["StockCode"] not in NOT_GOODS and not row["InvoiceNo"].startswith(("C", "A")):
            units[row["StockCode"]] = units.get(row["StockCode"], 0) + int(row["Quantity"])

    heart = ProductVariant.objects.select_related("product__category").get(sku="OLR-85123A")

    assert ProductVariant.objects.count() == len({r["StockCode"] for r in _fixture_rows()} - NOT_GOODS)
    assert set(Product.objects.values_list("status", flat=True)) == {Product.Status.ACTIVE}
    assert (heart.product.title, heart.price_amount, heart.product.category.name) == (
        "WHITE HANGING HEART T-LIGHT HOLDER",
        255,
        "Lighting",
    )
    # Stock on hand: one average month of sales (the sample spans December to August: 9 months).
    assert heart.stock == math.ceil(units["85123A"] / 9)
    assert heart.product.in_stock
    assert heart.product.sales_count == units["85123A"]
    # Listed as in stock exactly when its SKU has stock (a code with no priced sale has none).
    flags = set(ProductVariant.objects.values_list("stock", "product__in_stock"))
    assert {in_stock for stock, in_stock in flags} == {True, False}
    assert all(in_stock == (stock > 0) for stock, in_stock in flags)
    assert StockMovement.objects.get(variant=heart).delta == heart.stock


def test_a_second_run_adds_nothing():
    _import()
    before = _row_counts()

    output = _import()

    assert _row_counts() == before
    assert "Done: nothing new to import." in output
    assert "Already there: 22 orders, 1 cancellations." in output


def test_a_limited_run_imports_whole_invoices_and_a_full_run_completes_it():
    _import(limit=10)  # rows 1-7 are 536365, 8-9 536366, 10 the first of 536367's 12

    assert sorted(Order.objects.values_list("number", flat=True)) == ["OR-536365", "OR-536366"]

    _import()

    assert Order.objects.count() == 22
    assert OrderLine.objects.filter(seller_order__order__number="OR-536367").count() == 12


def test_the_online_retail_ii_columns_import_the_same(tmp_path):
    path = tmp_path / "online_retail_ii.csv"
    rows = _fixture_rows()
    with path.open("w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Invoice",
                "StockCode",
                "Description",
                "Quantity",
                "InvoiceDate",
                "Price",
                "Customer ID",
                "Country",
            ]
        )
        for row in rows:
            customer = f"{row['CustomerID']}.0" if row["CustomerID"] else ""
            writer.writerow([*list(row.values())[:6], customer, row["Country"]])

    output = _import(path)

    assert "online_retail_ii.csv: Online Retail II, 246 rows" in output
    assert Order.objects.count() == 22
    assert Order.objects.get(number="OR-536365").buyer.email == "customer-17850@import.invalid"
    goods = OrderLine.objects.filter(product_id_snapshot__isnull=False).aggregate(total=Sum("total_amount"))
    assert Decimal(goods["total"]) / 100 == _revenue(goods_only=True)
    assert Refund.objects.get().amount == 7190


def test_the_import_rebuilds_the_analytics_of_its_days():
    output = _import(limit=150, no_rollup=False)  # whole invoices of 1 December 2010

    day = date(2010, 12, 1)
    orders = Order.objects.aggregate(total=Sum("total_amount"), count=Count("pk"))
    facts = SalesFact.objects.filter(grain="D", period=day, seller_id=0).aggregate(
        gmv=Sum("gmv_amount"), paid=Sum("orders_paid"), commission=Sum("commission_amount")
    )
    products = ProductFact.objects.filter(grain="D", period=day).aggregate(gmv=Sum("gmv_amount"))

    assert "Rebuilding the analytics of 2010-11-30 to 2010-12-02:" in output
    assert set(Order.objects.values_list("placed_at__date", flat=True)) == {day}
    assert (facts["gmv"], facts["paid"]) == (orders["total"], orders["count"])
    assert facts["commission"] == LineCommission.objects.aggregate(total=Sum("amount"))["total"]
    goods = OrderLine.objects.filter(product_id_snapshot__isnull=False).aggregate(total=Sum("total_amount"))
    assert products["gmv"] == goods["total"]
