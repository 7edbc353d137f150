"""The Online Retail mapping rules (``marketplace.importers.online_retail``), without the database."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from marketplace.importers import online_retail as retail

LONDON = ZoneInfo("Europe/London")
HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
HEADER_II = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country"


def _rows(*lines: str, header: str = HEADER, limit: int | None = None) -> list[retail.Row]:
    return list(retail.rows_from_text([header, *lines], limit=limit))


def _invoice(*lines: str) -> retail.Invoice:
    (invoice,) = retail.invoices_group(_rows(*lines), split_last={})
    return invoice


# --- reading --------------------------------------------------------------------------------------------


def test_online_retail_and_online_retail_ii_headers_read_the_same_row():
    line = "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850,United Kingdom"
    line_ii = (
        "536365,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 08:26:00,2.55,17850.0,United Kingdom"
    )

    (row,) = _rows(line)
    (row_ii,) = _rows(line_ii, header=HEADER_II)

    assert row == row_ii
    assert row == retail.Row(
        0, "536365", "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 6, "2010-12-01 08:26:00",
        Decimal("2.55"), "17850", "United Kingdom",
    )  # fmt: skip
    assert retail.file_format(HEADER.split(",")) == "Online Retail"
    assert retail.file_format(HEADER_II.split(",")) == "Online Retail II"


def test_a_file_without_the_columns_is_refused_naming_them():
    with pytest.raises(retail.FileFormatError, match="InvoiceNo, UnitPrice"):
        retail.columns_detect(
            ["StockCode", "Description", "Quantity", "InvoiceDate", "CustomerID", "Country"]
        )


def test_an_unreadable_row_is_refused_with_its_number():
    with pytest.raises(retail.FileFormatError, match="data row 2"):
        _rows("1,A,x,1,2010-12-01 08:26:00,1.0,,UK", "1,A,x,one,2010-12-01 08:26:00,1.0,,UK")


def test_invoice_dates_are_london_wall_clock_time():
    assert retail.local_time("2011-07-01 10:00:00") == datetime(2011, 7, 1, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert retail.local_time("2011-01-01 10:00:00") == datetime(2011, 1, 1, 10, 0, tzinfo=ZoneInfo("UTC"))


def test_a_limit_keeps_only_whole_invoices():
    lines = ("1,A,x,1,2010-12-01 08:00:00,1.0,,UK", "2,A,x,1,2010-12-01 09:00:00,1.0,,UK")
    lines += ("2,B,x,1,2010-12-01 09:00:00,1.0,,UK", "3,A,x,1,2010-12-01 10:00:00,1.0,,UK")

    assert [row.invoice for row in _rows(*lines, limit=2)] == ["1"]
    assert [row.invoice for row in _rows(*lines, limit=3)] == ["1", "2", "2"]
    assert [row.invoice for row in _rows(*lines, limit=10)] == ["1", "2", "2", "3"]


def test_an_invoice_split_over_the_file_is_grouped_whole_at_its_last_row():
    rows = _rows(
        "1,A,x,1,2010-12-01 08:00:00,1.0,,UK",
        "1,B,x,1,2010-12-01 08:00:00,1.0,,UK",
        "C2,A,x,-1,2010-12-01 08:05:00,1.0,,UK",
        "1,C,x,1,2010-12-01 08:01:00,1.0,,UK",
        "3,A,x,1,2010-12-01 09:00:00,1.0,,UK",
    )
    scan = retail.file_scan(rows)

    invoices = list(retail.invoices_group(rows, split_last=scan.split_last))

    assert scan.split_last == {"1": 3}
    assert scan.invoices == 3
    assert [(i.number, [r.code for r in i.rows]) for i in invoices] == [
        ("C2", ["A"]),
        ("1", ["A", "B", "C"]),
        ("3", ["A"]),
    ]
    assert invoices[1].at == datetime(2010, 12, 1, 8, 0, tzinfo=LONDON)


# --- codes, money, categories ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("POST", retail.CodeKind.SHIPPING),
        ("DOT", retail.CodeKind.SHIPPING),
        ("C2", retail.CodeKind.SHIPPING),
        ("D", retail.CodeKind.DISCOUNT),
        ("M", retail.CodeKind.CHARGE),
        ("m", retail.CodeKind.CHARGE),
        ("BANK CHARGES", retail.CodeKind.CHARGE),
        ("AMAZONFEE", retail.CodeKind.CHARGE),
        ("PADS", retail.CodeKind.CHARGE),
        ("CRUK", retail.CodeKind.CHARGE),
        ("S", retail.CodeKind.CHARGE),
        ("B", retail.CodeKind.CHARGE),
        ("85123A", retail.CodeKind.PRODUCT),
        ("DCGS0003", retail.CodeKind.PRODUCT),
    ],
)
def test_codes_are_products_unless_postage_discount_or_charge(code, kind):
    assert retail.code_kind(code) is kind


def test_invoice_kinds_and_keys():
    assert retail.invoice_kind("536365") is retail.InvoiceKind.SALE
    assert retail.invoice_kind("C536379") is retail.InvoiceKind.CANCELLATION
    assert retail.invoice_kind("A563185") is retail.InvoiceKind.ADJUSTMENT
    assert retail.order_number("536365") == "OR-536365"
    assert retail.sku_for("85123a") == "OLR-85123a"
    assert retail.sku_for("m") == "OLR-M"
    assert retail.customer_email("12346") == "customer-12346@import.invalid"
    assert retail.guest_email("536544") == "guest-536544@import.invalid"


@pytest.mark.parametrize(
    ("amount", "minor"),
    [("2.55", 255), ("0.125", 12), ("0.135", 14), ("0.001", 0), ("0.005", 0), ("0.015", 2), ("-4.25", -425)],
)
def test_money_rounds_half_even_to_pence(amount, minor):
    assert retail.minor_units(Decimal(amount)) == minor


def test_a_line_total_is_exact_and_a_fraction_of_a_penny_becomes_a_discount():
    assert retail.line_price(6, Decimal("2.55")) == retail.LinePrice(
        unit=255, subtotal=1530, discount=0, total=1530
    )
    # 4 x 0.125 = 0.50 exactly: unit 13p (50 / 4 rounded up), 2p discount, total 50p.
    assert retail.line_price(4, Decimal("0.125")) == retail.LinePrice(
        unit=13, subtotal=52, discount=2, total=50
    )
    assert retail.line_price(1, Decimal("0.001")) == retail.LinePrice(unit=0, subtotal=0, discount=0, total=0)
    assert retail.line_price(3, Decimal("0")) == retail.LinePrice(unit=0, subtotal=0, discount=0, total=0)


def test_a_discount_is_shared_in_proportion_and_never_over_a_line():
    # 10/11 of [5, 5, 1] is [4.55, 4.55, 0.91]: floors [4, 4, 0], the two units left to the largest remainders
    assert retail.discount_allocate(10, [5, 5, 1]) == [5, 4, 1]
    assert retail.discount_allocate(6, [300, 100, 200]) == [3, 1, 2]
    assert retail.discount_allocate(1020, [9000, 1020, 250]) == [894, 101, 25]
    assert retail.discount_allocate(1000, [300, 100]) == [300, 100]
    assert retail.discount_allocate(0, [300, 100]) == [0, 0]


@pytest.mark.parametrize(
    ("title", "category"),
    [
        ("WHITE HANGING HEART T-LIGHT HOLDER", "Lighting"),
        ("JUMBO BAG RED RETROSPOT", "Bags"),
        ("PAPER CHAIN KIT 50'S CHRISTMAS ", "Christmas"),
        ("SPACEBOY LUNCH BOX ", "Kitchen"),
        ("PACK OF 72 RETROSPOT CAKE CASES", "Kitchen"),
        ("PANDA AND BUNNIES STICKER SHEET", "Stationery & party"),
        ("VINTAGE SEASIDE JIGSAW PUZZLES", "Toys & games"),
        ("DIAMANTE NECKLACE", "Jewellery & accessories"),
        ("GARDEN PATH POCKET BOOK", "Stationery & party"),
        ("DOORMAT WELCOME TO OUR HOME", "Home decor"),
        ("INFLATABLE POLITICAL GLOBE ", "Imported"),
    ],
)
def test_categories_come_from_the_first_keyword_rule_that_matches(title, category):
    assert retail.category_for(title).name == category


def test_catalog_titles_prices_and_stock_come_from_priced_sales():
    rows = _rows(
        "1,85123A,damaged,-5,2010-12-01 08:00:00,0,,UK",
        "2,85123A,WHITE HANGING HEART T-LIGHT HOLDER,6,2010-12-01 09:00:00,2.55,17850,UK",
        "3,85123A,CREAM HANGING HEART T-LIGHT HOLDER,6,2011-01-05 09:00:00,2.95,17850,UK",
        "4,85123A,WHITE HANGING HEART T-LIGHT HOLDER,12,2011-02-01 09:00:00,2.55,17850,UK",
        "5,POST,POSTAGE,1,2011-02-01 09:00:00,18,17850,UK",
        "6,99999,?,3,2011-02-01 09:00:00,0,,UK",
    )

    items = {item.code: item for item in retail.catalog_items(retail.file_scan(rows))}

    assert set(items) == {"85123A", "99999"}
    heart = items["85123A"]
    assert (heart.sku, heart.title, heart.category.slug, heart.price) == (
        "OLR-85123A",
        "WHITE HANGING HEART T-LIGHT HOLDER",
        "lighting",
        255,
    )
    assert (heart.units_sold, heart.stock) == (24, 8)  # 24 units over 3 months (Dec, Jan, Feb)
    assert heart.first_sold == datetime(2010, 12, 1, 9, 0, tzinfo=LONDON)
    assert (items["99999"].title, items["99999"].price, items["99999"].stock) == ("?", 0, 0)


# --- sales ----------------------------------------------------------------------------------------------


def test_a_sale_becomes_an_order_with_shipping_charges_and_a_shared_discount():
    invoice = _invoice(
        "536370,22728,ALARM CLOCK BAKELIKE PINK,24,2010-12-01 08:45:00,3.75,12583,France",
        "536370,21724,PANDA AND BUNNIES STICKER SHEET,12,2010-12-01 08:45:00,0.85,12583,France",
        "536370,POST,POSTAGE,3,2010-12-01 08:45:00,18.0,12583,France",
        "536370,M,Manual,1,2010-12-01 08:45:00,2.5,12583,France",
        "536370,D,Discount,-1,2010-12-01 08:45:00,10.2,12583,France",
        "536370,21883,found,-2,2010-12-01 08:45:00,0,12583,France",
    )

    plan = retail.order_plan(invoice, titles={"22728": "ALARM CLOCK BAKELIKE PINK"})

    assert plan is not None
    assert (plan.number, plan.customer, plan.email, plan.country) == (
        "OR-536370",
        "12583",
        "customer-12583@import.invalid",
        "France",
    )
    assert plan.at == datetime(2010, 12, 1, 8, 45, tzinfo=LONDON)
    assert [
        (line.sku, line.quantity, line.unit, line.discount, line.total, line.is_product)
        for line in plan.lines
    ] == [
        ("OLR-22728", 24, 375, 894, 8106, True),
        ("OLR-21724", 12, 85, 101, 919, True),
        ("OLR-M", 1, 250, 25, 225, False),
    ]
    # 90.00 + 10.20 + 2.50 of goods and charges, the 10.20 discount shared in proportion, 54.00 postage
    assert (plan.subtotal, plan.discount, plan.shipping, plan.total) == (10270, 1020, 5400, 14650)


def test_a_guest_sale_and_postage_alone():
    guest = retail.order_plan(
        _invoice("538154,DOT,DOTCOM POSTAGE,1,2010-12-09 16:35:00,4.95,,United Kingdom"), titles={}
    )

    assert guest is not None
    assert (guest.customer, guest.email, guest.shipping) == ("", "guest-538154@import.invalid", 0)
    assert [(line.sku, line.title, line.total, line.is_product) for line in guest.lines] == [
        ("OLR-DOT", "DOTCOM POSTAGE", 495, False)
    ]


def test_an_invoice_of_stock_corrections_is_no_order():
    corrections = _invoice(
        "536589,21777,?,-10,2010-12-01 16:50:00,0,,United Kingdom",
        "536589,21778,found,5,2010-12-01 16:50:00,0,,United Kingdom",
    )

    assert retail.order_plan(corrections, titles={}) is None


# --- cancellations --------------------------------------------------------------------------------------

BOUGHT = datetime(2011, 2, 1, 10, 0, tzinfo=LONDON)


def _open_lines() -> list[retail.OpenLine]:
    return [
        retail.OpenLine(1, 10, "OLR-22763", BOUGHT, quantity=2, total=1990, commission=199),
        retail.OpenLine(2, 10, "OLR-22171", BOUGHT, quantity=4, total=3400, commission=340),
        retail.OpenLine(3, 10, "OLR-22168", BOUGHT, quantity=2, total=1700, commission=170),
    ]


def test_a_cancellation_refunds_the_latest_earlier_lines_and_postage():
    cancellation = retail.cancellation_plan(
        _invoice(
            "C543175,POST,POSTAGE,-1,2011-02-04 09:46:00,18.0,12712,Germany",
            "C543175,22763,KEY CABINET MA CAMPAGNE,-2,2011-02-04 09:46:00,9.95,12712,Germany",
            "C543175,22171,3 HOOK PHOTO SHELF ANTIQUE WHITE,-2,2011-02-04 09:46:00,8.5,12712,Germany",
            "C543175,22168,ORGANISER WOOD ANTIQUE WHITE ,-2,2011-02-04 09:46:00,8.5,12712,Germany",
        )
    )
    lines = _open_lines()
    parts = [retail.OpenPart(10, BOUGHT, shipping=3600)]

    plans, unmatched = retail.cancellation_match(cancellation, lines=lines, parts=parts)

    assert unmatched == []
    (plan,) = plans
    assert plan.lines == [
        {"order_line": 1, "quantity": 2, "amount": 1990},
        {"order_line": 2, "quantity": 2, "amount": 1700},
        {"order_line": 3, "quantity": 2, "amount": 1700},
    ]
    assert (plan.shipping, plan.amount, plan.commission, plan.seller_amount) == (1800, 7190, 539, 6651)
    assert [(line.refunded_quantity, line.refunded_amount) for line in lines] == [
        (2, 1990),
        (2, 1700),
        (2, 1700),
    ]
    assert parts[0].shipping_left == 1800


def test_a_later_cancellation_gets_what_is_left_and_reports_the_rest():
    lines = _open_lines()
    lines[1].refunded_quantity, lines[1].refunded_amount = 3, 2550
    cancellation = retail.cancellation_plan(
        _invoice(
            "C1,22171,3 HOOK PHOTO SHELF ANTIQUE WHITE,-2,2011-02-05 09:46:00,8.5,12712,Germany",
            "C1,D,Discount,-1,2011-02-05 09:46:00,5.0,12712,Germany",
        )
    )

    plans, unmatched = retail.cancellation_match(cancellation, lines=lines, parts=[])

    assert [plan.lines for plan in plans] == [[{"order_line": 2, "quantity": 1, "amount": 850}]]
    assert plans[0].commission == 85  # 340 in all: 255 given back before, 85 now
    assert sorted((u.code, u.quantity, u.amount, u.reason) for u in unmatched) == [
        ("D", 1, 500, "not a refund of goods or postage"),
        ("OLR-22171", 1, 850, "no earlier purchase left"),
    ]


def test_a_cancellation_never_reaches_a_later_purchase_or_a_guests_goods():
    early = retail.cancellation_plan(
        _invoice("C0,22763,KEY CABINET MA CAMPAGNE,-1,2011-01-04 09:46:00,9.95,12712,Germany")
    )
    guest = retail.cancellation_plan(
        _invoice("C9,22763,KEY CABINET MA CAMPAGNE,-1,2011-03-04 09:46:00,9.95,,UK")
    )

    plans, unmatched = retail.cancellation_match(early, lines=_open_lines(), parts=[])

    assert plans == []
    assert [(u.code, u.reason) for u in unmatched] == [("OLR-22763", "no earlier purchase left")]
    assert guest.items == ()
    assert [(u.code, u.quantity, u.amount, u.reason) for u in guest.skipped] == [("22763", 1, 995, "guest")]


def test_cancelled_units_of_a_free_line_give_nothing_back():
    lines = [retail.OpenLine(1, 10, "OLR-22763", BOUGHT, quantity=2, total=0, commission=0)]
    cancellation = retail.cancellation_plan(
        _invoice("C1,22763,KEY CABINET MA CAMPAGNE,-1,2011-02-05 09:46:00,9.95,12712,Germany")
    )

    plans, unmatched = retail.cancellation_match(cancellation, lines=lines, parts=[])

    assert (plans, unmatched) == ([], [])
