"""Bulk import (CSV/XLSX, all or nothing per file) and export of a seller's listings and stock."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.importexport import (
    MAX_FILE_BYTES,
    MAX_ROWS,
    MAX_XLSX_UNPACKED_BYTES,
    PRODUCT_COLUMNS,
    ImportFileError,
    RowError,
)
from catalog.models import CategoryAttribute, Product, ProductVariant, StockMovement, Tag
from catalog.services_import import product_import
from catalog.services_listing import VariantInput, product_create
from tests.factories import ProductVariantFactory, UserFactory

pytestmark = pytest.mark.django_db
Reason = StockMovement.Reason
URL = "/seller/products/import/"


def _row(ref="knife", sku="KNIFE-20", price="19.99", stock="7", **cells):
    values = {
        "product_ref": ref,
        "title": "Chef's knife",
        "category": "kitchen",
        "brand": "Acme",
        "condition": "new",
        "description": "Sharp.",
        "tags": "Kitchen|Knives",
        "sku": sku,
        "variant_name": "20 cm",
        "price": price,
        "compare_at_price": "",
        "stock": stock,
    }
    values.update(cells)
    return values


def _csv(rows, columns=PRODUCT_COLUMNS):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode()


def _xlsx(rows, columns=PRODUCT_COLUMNS):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(columns))
    for row in rows:
        sheet.append([row.get(c, "") for c in columns])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _upload(client, content, name="products.csv", dry_run=False):
    data = {"file": SimpleUploadedFile(name, content)}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("seller:product-import"), data)


def _counts():
    return (
        Product.objects.count(),
        ProductVariant.objects.count(),
        StockMovement.objects.count(),
        Tag.objects.count(),
    )


def _import(seller, content, file_format="csv", dry_run=False):
    return product_import(
        seller_id=seller.id, actor_id=seller.user_id, file=content, file_format=file_format, dry_run=dry_run
    )


def _listing(seller, leaf, *, title="Chef's knife", variants=None):
    return product_create(
        seller_id=seller.id,
        actor_id=seller.user_id,
        title=title,
        category_id=leaf.id,
        brand="Acme",
        tag_names=["Kitchen"],
        variants=variants or [VariantInput(sku="KNIFE-20", name="20 cm", price_amount=1999, stock=5)],
    )


def _rows_of(content: bytes):
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


# --- importing new listings -------------------------------------------------------------------------


def test_a_valid_csv_creates_draft_listings_with_their_skus_and_import_stock_movements(client, seller, leaf):
    content = _csv(
        [
            _row(),
            _row(sku="KNIFE-25", variant_name="25 cm", price="24.50", compare_at_price="30", stock="0"),
            _row(ref="board", title="Cutting board", sku="BOARD-1", variant_name="", price="12", tags=""),
        ]
    )

    response = _upload(client, content)

    assert response.status_code == 302
    assert response["Location"] == reverse("seller:product-list")
    knife, board = Product.objects.order_by("id")
    assert (knife.seller_id, knife.title, knife.status, knife.brand, knife.price_amount) == (
        seller.id,
        "Chef's knife",
        Product.Status.DRAFT,
        "Acme",
        1999,
    )
    assert sorted(knife.tags.values_list("slug", flat=True)) == ["kitchen", "knives"]
    assert list(knife.variants.values_list("sku", "name", "price_amount", "compare_at_amount", "stock")) == [
        ("KNIFE-20", "20 cm", 1999, None, 7),
        ("KNIFE-25", "25 cm", 2450, 3000, 0),
    ]
    assert (
        board.title,
        board.category_id,
        list(board.variants.values_list("sku", "price_amount", "stock")),
    ) == (
        "Cutting board",
        leaf.id,
        [("BOARD-1", 1200, 7)],
    )
    movements = list(
        StockMovement.objects.order_by("id").values_list("variant__sku", "delta", "quantity_after", "reason")
    )
    assert movements == [("KNIFE-20", 7, 7, Reason.IMPORT), ("BOARD-1", 7, 7, Reason.IMPORT)]
    assert StockMovement.objects.values("reference").distinct().count() == 1
    page = client.get(response["Location"])
    assert (
        "Import complete. Listings created: 2, updated: 0, unchanged: 0. SKUs created: 3, updated: 0. "
        "Stock changes: 2." in page.content.decode()
    )
    assert "Cutting board" in page.content.decode()


def test_an_xlsx_file_imports_the_same_way(client, seller, leaf):
    content = _xlsx([_row(price=19.99, stock=7), _row(sku="KNIFE-25", price=24, stock=3)])

    response = _upload(client, content, name="Products.XLSX")

    assert response.status_code == 302
    product = Product.objects.get()
    assert list(product.variants.values_list("sku", "price_amount", "stock")) == [
        ("KNIFE-20", 1999, 7),
        ("KNIFE-25", 2400, 3),
    ]
    assert list(StockMovement.objects.values_list("reason", flat=True)) == [Reason.IMPORT, Reason.IMPORT]


def test_later_rows_of_a_listing_may_leave_the_listing_cells_empty(seller, leaf):
    second = _row(sku="KNIFE-25", title="", category="", brand="", condition="", description="", tags="")

    report = _import(seller, _csv([_row(), second]))

    assert report.errors == []
    product = Product.objects.get()
    assert (product.brand, product.description, product.variants.count()) == ("Acme", "Sharp.", 2)


def test_a_dry_run_reports_what_would_change_and_writes_nothing(client, seller, leaf):
    response = _upload(client, _csv([_row(), _row(sku="KNIFE-25")]), dry_run=True)

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.ok, report.committed, report.products_created, report.variants_created) == (
        True,
        False,
        1,
        2,
    )
    assert report.stock_changes == 2
    assert _counts() == (0, 0, 0, 0)
    assert "The file is valid — nothing has been saved yet" in response.content.decode()


# --- updating through an export ---------------------------------------------------------------------


def test_reimporting_an_edited_export_updates_price_and_stock_as_import_movements(client, seller, leaf):
    product = _listing(seller, leaf)
    StockMovement.objects.all().delete()
    exported = client.get(reverse("seller:product-export"), {"format": "csv"}).content
    rows = _rows_of(exported)
    rows[0].update(price="17.50", stock="12")

    response = _upload(client, _csv(rows))

    assert response.status_code == 302
    variant = ProductVariant.objects.get()
    assert (variant.product_id, variant.price_amount, variant.stock) == (product.id, 1750, 12)
    assert Product.objects.get().price_amount == 1750
    movements = list(StockMovement.objects.values_list("variant__sku", "delta", "quantity_after", "reason"))
    assert movements == [("KNIFE-20", 7, 12, Reason.IMPORT)]
    assert Product.objects.count() == 1


def test_an_unchanged_export_imports_as_unchanged_and_writes_nothing(client, seller, leaf):
    product = _listing(seller, leaf)
    before = (Product.objects.get().updated_at, _counts())
    exported = client.get(reverse("seller:product-export"), {"format": "xlsx"}).content

    report = _import(seller, exported, file_format="xlsx")

    assert (report.errors, report.products_unchanged, report.products_updated, report.stock_changes) == (
        [],
        1,
        0,
        0,
    )
    assert (Product.objects.get(pk=product.pk).updated_at, _counts()) == before


def test_stock_can_go_down_to_zero_and_a_new_sku_joins_an_existing_listing(seller, leaf):
    product = _listing(seller, leaf)
    rows = [
        _row(ref=product.slug, stock="0"),
        _row(ref=str(product.pk), sku="KNIFE-25", variant_name="25 cm", price="24.00", stock="2"),
    ]

    report = _import(seller, _csv(rows))

    assert report.errors == [
        RowError(
            3, "product_ref", "Row 2 names the same listing with another product_ref; use one per listing."
        )
    ]
    rows[1]["product_ref"] = product.slug

    report = _import(seller, _csv(rows))

    assert (report.errors, report.products_updated, report.variants_created, report.variants_updated) == (
        [],
        1,
        1,
        1,
    )
    assert list(product.variants.values_list("sku", "stock")) == [("KNIFE-20", 0), ("KNIFE-25", 2)]
    movements = StockMovement.objects.filter(reason=Reason.IMPORT).order_by("id")
    assert list(movements.values_list("variant__sku", "delta")) == [("KNIFE-20", -5), ("KNIFE-25", 2)]


def test_a_column_left_out_keeps_the_existing_value(seller, leaf):
    product = _listing(seller, leaf)
    columns = ("product_ref", "title", "category", "sku", "price", "stock")
    row = {"product_ref": product.slug, "title": "Chef's knife XL", "category": "kitchen", "sku": "KNIFE-20"}

    report = _import(seller, _csv([{**row, "price": "19.99", "stock": "5"}], columns=columns))

    product.refresh_from_db()
    variant = product.variants.get()
    assert report.errors == []
    assert (product.title, product.brand, variant.name) == ("Chef's knife XL", "Acme", "20 cm")
    assert list(product.tags.values_list("slug", flat=True)) == ["kitchen"]


def test_text_that_a_spreadsheet_would_run_as_a_formula_is_escaped_and_round_trips(client, seller, leaf):
    _listing(seller, leaf, title="=HYPERLINK(1)")
    exported = client.get(reverse("seller:product-export"), {"format": "csv"}).content

    rows = _rows_of(exported)
    report = _import(seller, _csv(rows))

    assert rows[0]["title"] == "'=HYPERLINK(1)"
    assert (report.errors, report.products_unchanged) == ([], 1)
    assert Product.objects.get().title == "=HYPERLINK(1)"


def test_category_attributes_import_as_json_and_export_back(client, seller, leaf):
    CategoryAttribute.objects.create(
        category=leaf,
        code="material",
        name="Material",
        type="choice",
        choices=["Steel", "Wood"],
        is_required=True,
    )
    CategoryAttribute.objects.create(
        category=leaf, code="length", name="Length", type="number", scope="variant"
    )
    row = _row(attributes='{"material": "steel"}', variant_attributes='{"length": "20.5"}')

    missing = _import(seller, _csv([_row(variant_attributes='{"length": "x"}')]))
    report = _import(seller, _csv([row]))

    assert missing.errors == [
        RowError(2, "attributes", "material: This attribute is required."),
        RowError(2, "variant_attributes", "length: Enter a number."),
    ]
    assert report.errors == []
    variant = ProductVariant.objects.select_related("product").get()
    assert (variant.product.attributes, variant.attributes) == ({"material": "Steel"}, {"length": 20.5})
    exported = _rows_of(client.get(reverse("seller:product-export")).content)
    assert (exported[0]["attributes"], exported[0]["variant_attributes"]) == (
        '{"material": "Steel"}',
        '{"length": 20.5}',
    )
    assert _import(seller, _csv(exported)).products_unchanged == 1


@pytest.mark.parametrize("text", ["[1, 2]", "{colour: red}", '{"a": {"b": 1}}'])
def test_attributes_that_are_not_a_flat_json_object_are_refused(seller, leaf, text):
    report = _import(seller, _csv([_row(attributes=text)]))

    assert [(e.row, e.column) for e in report.errors] == [(2, "attributes")]
    assert _counts() == (0, 0, 0, 0)


# --- refusals: nothing is written -------------------------------------------------------------------


def test_one_bad_row_writes_nothing_and_the_report_names_its_row_and_column(client, seller, leaf):
    rows = [_row(ref=f"p{n}", title=f"Pan {n}", sku=f"PAN-{n}") for n in range(6)]
    rows[5]["price"] = "-3.00"  # the 6th data row: row 7 in the spreadsheet

    response = _upload(client, _csv(rows))

    assert response.status_code == 400
    assert response.context["report"].errors == [RowError(7, "price", "The price cannot be negative.")]
    assert _counts() == (0, 0, 0, 0)
    assert "Nothing was imported" in response.content.decode()
    assert (
        "<tr><td>7</td><td>price</td><td>The price cannot be negative.</td></tr>" in response.content.decode()
    )


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"price": "1000000.01"}, "price", "The price cannot be above 1,000,000.00."),
        ({"price": "12,50"}, "price", "Enter a price such as 12.50."),
        ({"price": "12.505"}, "price", "Use at most two decimal places."),
        ({"price": ""}, "price", "Enter a price such as 12.50."),
        (
            {"compare_at_price": "19.99"},
            "compare_at_price",
            "The compare-at price must be higher than the price.",
        ),
        ({"stock": "2.5"}, "stock", "Enter a whole number of 0 or more."),
        ({"stock": "-1"}, "stock", "Stock cannot be negative."),
        ({"title": "<b>Knife</b>"}, "title", "HTML is not allowed in titles."),
        ({"title": ""}, "title", "This cell is required."),
        ({"category": "garden"}, "category", "Unknown category “garden”."),
        ({"category": "home"}, "category", "Choose an active category that has no sub-categories."),
        ({"condition": "broken"}, "condition", "Unknown condition; use one of: new, used, refurbished."),
        ({"sku": ""}, "sku", "This cell is required."),
        ({"sku": "X" * 65}, "sku", "Use at most 64 characters."),
        ({"product_ref": ""}, "product_ref", "This cell is required."),
    ],
)
def test_a_bad_cell_is_reported_and_nothing_is_written(seller, leaf, cells, column, message):
    report = _import(seller, _csv([_row(ref="ok", sku="OK-1"), _row(**cells)]))

    assert report.errors == [RowError(3, column, message)]
    assert (report.ok, report.products_created) == (False, 0)
    assert _counts() == (0, 0, 0, 0)


def test_duplicated_skus_and_disagreeing_rows_of_one_listing_are_reported(seller, leaf):
    rows = [_row(), _row(sku="KNIFE-25", brand="Other"), _row(ref="pan", title="Pan", sku="KNIFE-20")]

    report = _import(seller, _csv(rows))

    assert report.errors == [
        RowError(3, "brand", "Differs from row 2, the first row of this product_ref."),
        RowError(4, "sku", "This SKU is also in row 2."),
    ]
    assert _counts() == (0, 0, 0, 0)


def test_a_refusal_while_writing_rolls_back_the_whole_file(seller, leaf):
    product = _listing(
        seller,
        leaf,
        variants=[
            VariantInput(sku="KNIFE-20", name="20 cm", price_amount=1999, compare_at_amount=2500, stock=5)
        ],
    )
    before = _counts()
    columns = ("product_ref", "title", "category", "sku", "price", "stock")
    rows = [
        {
            "product_ref": "new",
            "title": "Pan",
            "category": "kitchen",
            "sku": "PAN-1",
            "price": "10",
            "stock": "4",
        },
        # No compare_at_price column: the SKU keeps its 25.00, which the new price is not below.
        {
            "product_ref": product.slug,
            "title": "Chef's knife",
            "category": "kitchen",
            "sku": "KNIFE-20",
            "price": "30.00",
            "stock": "9",
        },
    ]

    report = _import(seller, _csv(rows, columns=columns))

    assert report.errors == [
        RowError(3, "compare_at_price", "The compare-at price must be higher than the price.")
    ]
    assert (report.products_created, report.stock_changes) == (0, 0)
    assert _counts() == before
    assert ProductVariant.objects.get().stock == 5


def test_a_sku_of_another_seller_is_refused_and_left_untouched(client, seller, leaf):
    theirs = ProductVariantFactory(sku="KNIFE-20", price_amount=5000, stock=3)

    response = _upload(client, _csv([_row(ref="mine", sku="KNIFE-20", price="1.00", stock="99")]))

    assert response.status_code == 400
    assert response.context["report"].errors == [RowError(2, "sku", "This SKU is already in use.")]
    theirs.refresh_from_db()
    assert (theirs.product.seller_id != seller.id, theirs.price_amount, theirs.stock) == (True, 5000, 3)
    assert (Product.objects.filter(seller=seller).count(), StockMovement.objects.count()) == (0, 0)


def test_another_sellers_product_ref_does_not_reach_their_listing(seller, leaf):
    theirs = ProductVariantFactory(product__slug="their-knife", sku="THEIRS-1", stock=3).product

    report = _import(seller, _csv([_row(ref="their-knife"), _row(ref=str(theirs.pk), sku="KNIFE-25")]))

    assert report.errors == []
    mine = Product.objects.filter(seller=seller)
    assert (mine.count(), theirs.variants.count(), Product.objects.get(pk=theirs.pk).title) == (
        2,
        1,
        theirs.title,
    )


@pytest.mark.parametrize("ref", ["99999999999999999999999", "²", "007"])
def test_a_product_ref_that_only_looks_like_an_id_makes_a_new_listing(seller, leaf, ref):
    report = _import(seller, _csv([_row(ref=ref)]))

    assert (report.errors, report.products_created) == ([], 1)


def test_a_sku_of_another_own_listing_is_refused(seller, leaf):
    product = _listing(seller, leaf)

    report = _import(seller, _csv([_row(ref="new-one", sku="KNIFE-20")]))

    assert report.errors == [
        RowError(2, "sku", f"This SKU belongs to another of your listings (product_ref “{product.slug}”).")
    ]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("p.csv", b"", "The submitted file is empty."),
        ("p.csv", "product_ref,title\nä,ö\n".encode("latin-1"), "This is not a UTF-8 CSV file."),
        ("p.csv", bytes(range(256)) * 20, "This is not a UTF-8 CSV file."),
        (
            "p.csv",
            b'product_ref,title,category,sku,price,stock\nx,"Knife"oops,kitchen,A,1,1\n',
            "malformed near line 2",
        ),
        ("p.csv", b"sku,price\nA,1\n", "Missing columns: product_ref, title, category, stock."),
        ("p.csv", b"sku,stock,colour\nA,1,red\n", "Unknown columns: colour."),
        ("p.csv", b"sku;stock\nA;1\n", "Separate the columns with commas, not semicolons."),
        ("p.csv", b"sku,stock\n", "The file has no rows below the column names."),
        ("p.xlsx", b"PK\x03\x04 this is no zip", "This is not a readable Excel (.xlsx) file."),
        ("p.xlsx", b"sku,stock\nA,1\n", "This is not a readable Excel (.xlsx) file."),
        ("p.txt", b"sku,stock\nA,1\n", "Upload a .csv or .xlsx file."),
    ],
)
def test_an_unreadable_file_gets_a_clear_400_and_changes_nothing(
    client, seller, leaf, name, content, message
):
    ProductVariantFactory(product__seller=seller, sku="A", stock=4)
    before = _counts()

    response = _upload(client, content, name=name)

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["file"])
    assert _counts() == before


def test_a_file_over_the_size_limit_is_refused(client, seller, leaf):
    content = _csv([_row()]) + b"x" * MAX_FILE_BYTES

    response = _upload(client, content)

    assert response.status_code == 400
    assert response.context["form"].errors["file"] == ["The file is larger than 5 MB."]
    assert _counts() == (0, 0, 0, 0)


def test_the_service_refuses_a_large_file_too(seller, leaf):
    with pytest.raises(ImportFileError, match=r"The file is larger than 5 MB\."):
        _import(seller, io.BytesIO(b"sku,stock\n" + b"A,1\n" * (MAX_FILE_BYTES // 4)))


def test_a_file_with_too_many_rows_is_refused(seller, leaf):
    content = b"sku,stock\n" + b"".join(b"S-%d,1\n" % n for n in range(MAX_ROWS + 1))

    with pytest.raises(ImportFileError, match="more than 1,000 rows"):
        _import(seller, content)


def test_an_xlsx_that_unpacks_to_too_much_is_refused_before_it_is_parsed(seller, leaf):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (MAX_XLSX_UNPACKED_BYTES + 1))

    with pytest.raises(ImportFileError, match="too large once unpacked"):
        _import(seller, packed.getvalue(), file_format="xlsx")


def test_blank_lines_are_skipped_but_still_counted(seller, leaf):
    content = _csv([_row()]) + b"\n,,,,,,,,,,,\n" + _csv([_row(sku="B", price="x")]).split(b"\n", 1)[1]

    report = _import(seller, content)

    assert report.errors == [RowError(5, "price", "Enter a price such as 12.50.")]


# --- stock only -------------------------------------------------------------------------------------


def test_a_stock_only_file_sets_levels_as_import_movements(client, seller, leaf):
    _listing(seller, leaf, variants=[VariantInput(sku="A", price_amount=100, stock=5)])
    ProductVariantFactory(product__seller=seller, sku="B", stock=2)
    StockMovement.objects.all().delete()

    response = _upload(client, b"stock,sku\n8,A\n2,B\n")

    assert response.status_code == 302
    assert response["Location"] == reverse("seller:inventory")
    assert dict(ProductVariant.objects.values_list("sku", "stock")) == {"A": 8, "B": 2}
    assert list(StockMovement.objects.values_list("variant__sku", "delta", "reason")) == [
        ("A", 3, Reason.IMPORT)
    ]


def test_a_stock_only_file_cannot_touch_another_sellers_sku(seller, leaf):
    theirs = ProductVariantFactory(sku="THEIRS", stock=3)

    report = _import(seller, b"sku,stock\nTHEIRS,0\n")

    assert report.errors == [RowError(2, "sku", "You have no SKU with this code.")]
    theirs.refresh_from_db()
    assert (theirs.stock, StockMovement.objects.count()) == (3, 0)


# --- export -----------------------------------------------------------------------------------------


def test_export_contains_only_the_sellers_own_listings_in_the_import_format(client, seller, leaf):
    product = _listing(seller, leaf)
    ProductVariantFactory(sku="NOT-MINE", product__title="Not mine")

    response = client.get(reverse("seller:product-export"), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="products-')
    assert response.content.startswith(
        b"\xef\xbb\xbfproduct_ref,title,category,brand,condition,description,tags"
    )
    assert _rows_of(response.content) == [
        {
            "product_ref": product.slug,
            "title": "Chef's knife",
            "category": "kitchen",
            "brand": "Acme",
            "condition": "new",
            "description": "",
            "tags": "Kitchen",
            "sku": "KNIFE-20",
            "variant_name": "20 cm",
            "price": "19.99",
            "compare_at_price": "",
            "stock": "5",
            "attributes": "",
            "variant_attributes": "",
        }
    ]


def test_export_follows_the_product_list_filter_and_xlsx_reads_back(client, seller, leaf):
    ProductVariantFactory(
        product__seller=seller, product__title="Red pan", sku="RED", product__status="active"
    )
    ProductVariantFactory(
        product__seller=seller, product__title="Blue pan", sku="BLUE", product__status="draft"
    )

    response = client.get(reverse("seller:product-export"), {"format": "xlsx", "status": "draft"})

    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert rows[0] == PRODUCT_COLUMNS
    assert [(row[1], row[7]) for row in rows[1:]] == [("Blue pan", "BLUE")]


def test_stock_export_and_templates(client, seller, leaf):
    ProductVariantFactory(product__seller=seller, sku="A", stock=4)

    stock = client.get(reverse("seller:product-export"), {"columns": "stock"})
    template = client.get(reverse("seller:product-export"), {"template": "1"})
    unknown = client.get(reverse("seller:product-export"), {"format": "pdf"})

    assert stock.content == b"\xef\xbb\xbfsku,stock\r\nA,4\r\n"
    assert template.content == b"\xef\xbb\xbf" + ",".join(PRODUCT_COLUMNS).encode() + b"\r\n"
    assert template["Content-Disposition"] == 'attachment; filename="products-template.csv"'
    assert unknown.status_code == 404


def test_export_queries_do_not_grow_with_the_number_of_listings(client, seller, leaf):
    def export_queries():
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("seller:product-export"), {"format": "csv"})
        return len(queries)

    for n in range(2):
        ProductVariantFactory(
            product__seller=seller, product__tags=[Tag.objects.create(name=f"t{n}", slug=f"t{n}")]
        )
    with_two = export_queries()
    for n in range(2, 8):
        ProductVariantFactory(
            product__seller=seller, product__tags=[Tag.objects.create(name=f"t{n}", slug=f"t{n}")]
        )

    assert export_queries() == with_two


def test_checking_a_file_takes_the_same_queries_for_few_or_many_rows(seller, leaf):
    def check_queries(n):
        rows = [_row(ref=f"p{i}", sku=f"S-{i}") for i in range(n)] + [_row(ref="bad", sku="BAD", price="x")]
        with CaptureQueriesContext(connection) as queries:
            report = _import(seller, _csv(rows))
        assert len(report.errors) == 1
        return len(queries)

    assert check_queries(3) == check_queries(60)


# --- access -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["seller:product-import", "seller:product-export"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["seller:product-import", "seller:product-export"])
def test_users_without_a_seller_profile_are_sent_to_apply(client, name):
    client.force_login(UserFactory())

    response = client.get(reverse(name))

    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:seller-apply")


def test_the_import_page_has_a_labelled_file_input_and_the_nav_link(client, seller):
    response = client.get(URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_file">Spreadsheet file (.csv or .xlsx)' in body
    assert f'href="{reverse("seller:product-import")}">Import / export</a>' in body
