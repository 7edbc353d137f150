"""The seller's spreadsheet of listings: its columns, reading an uploaded CSV/XLSX into rows, and
rendering the seller's products (or just their stock) back into the same shape.

One row per SKU. Rows that share a ``product_ref`` are one listing; for an existing listing the ref is
its slug (what the export writes) or its id. The optional ``attributes`` (the listing's) and
``variant_attributes`` (the SKU's) columns hold category attribute values as a JSON object. The
stock-only sheet has just ``sku`` and ``stock``.

Exports are built with django-import-export ``Resource`` classes and its CSV/XLSX formats (tablib).
Uploads are read with the ``csv`` module and openpyxl directly, not through tablib: tablib drops blank
lines (so row numbers would no longer match what the seller sees in the spreadsheet) and loads a whole
sheet into memory before we could stop at the row limit. Nothing here writes to the database; see
``catalog.services_import``.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

import tablib
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.formats import base_formats

from catalog.models import ProductVariant
from catalog.selectors_seller import seller_product_list
from common.exceptions import ApplicationError
from common.money import Money

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

MAX_FILE_BYTES = 5 * 1024 * 1024
# Imports run inside the web request, and each new or changed listing goes through the listing services
# (about 75 queries, 50-250 ms each here): the cap keeps one file to what a request can write. Stock-only
# and unchanged rows are far cheaper. A larger catalogue is imported in several files.
MAX_ROWS = 1_000
# An XLSX file is a zip: 5 MB of it can unpack to gigabytes of XML. Sheets within the row limit unpack
# to a few MB, so anything far larger is refused before openpyxl parses it.
MAX_XLSX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_COLUMNS = 50

KIND_PRODUCTS = "products"
KIND_STOCK = "stock"

PRODUCT_COLUMNS = (
    "product_ref",
    "title",
    "category",
    "brand",
    "condition",
    "description",
    "tags",
    "sku",
    "variant_name",
    "price",
    "compare_at_price",
    "stock",
    "attributes",
    "variant_attributes",
)
REQUIRED_PRODUCT_COLUMNS = ("product_ref", "title", "category", "sku", "price", "stock")
# The listing's own columns: equal on every row of one product_ref (a blank cell repeats the first row).
LISTING_COLUMNS = ("title", "category", "brand", "condition", "description", "tags", "attributes")
STOCK_COLUMNS = ("sku", "stock")
TAG_SEPARATOR = "|"

FORMATS: dict[str, base_formats.TablibFormat] = {"csv": base_formats.CSV(), "xlsx": base_formats.XLSX()}

# A spreadsheet evaluates a CSV cell that starts with one of these as a formula. Tags are shared between
# sellers, so an export can hold text another seller typed: such cells are written with a leading
# apostrophe, and the apostrophe is taken off again on import, so export -> import gives back the text.
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_CSV_ESCAPE = "'"


class ImportFileError(ApplicationError):
    """The file as a whole cannot be read: too big, wrong encoding or format, missing columns."""


@dataclass(frozen=True, slots=True)
class RowError:
    """A problem the seller can find in their spreadsheet: ``row`` counts as the spreadsheet does (the
    header is row 1); ``column`` is the column name, or "" when the whole row is concerned."""

    row: int
    column: str
    message: str | _StrPromise


@dataclass(frozen=True, slots=True)
class SheetRow:
    number: int
    values: dict[str, str]


@dataclass
class Sheet:
    kind: str
    columns: tuple[str, ...]
    rows: list[SheetRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def file_format_for_name(name: str) -> str | None:
    """``csv`` or ``xlsx`` from a file name's extension, else None."""
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return suffix if suffix in FORMATS else None


# --- reading ----------------------------------------------------------------------------------------


def _file_error(message: str) -> ImportFileError:
    return ImportFileError(message, extra={"file": [message]})


def _csv_records(data: bytes) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _file_error(
            _("This is not a UTF-8 CSV file. In your spreadsheet choose “Save as: CSV UTF-8” and try again.")
        ) from exc
    if "\x00" in text:
        raise _file_error(_("This is not a CSV file: it contains binary data."))
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for record in reader:
            yield [_csv_unescape(cell) for cell in record]
    except csv.Error as exc:
        raise _file_error(
            _("The CSV file is malformed near line %(line)d (check the quotes on that line).")
            % {"line": reader.line_num}
        ) from exc


def _csv_unescape(cell: str) -> str:
    if len(cell) > 1 and cell[0] == _CSV_ESCAPE and cell[1] in (*_FORMULA_TRIGGERS, _CSV_ESCAPE):
        return cell[1:]
    return cell


def _csv_escape(value: object) -> object:
    if isinstance(value, str) and value[:1] in (*_FORMULA_TRIGGERS, _CSV_ESCAPE):
        return _CSV_ESCAPE + value
    return value


def _xlsx_cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: 19.99, not 19.989999...
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    return str(value)


def _xlsx_records(data: bytes) -> Iterator[list[str]]:
    unreadable = _("This is not a readable Excel (.xlsx) file.")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _file_error(unreadable) from exc
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _file_error(_("This Excel file is too large once unpacked; split it into smaller files."))

    import openpyxl  # imported here: only uploads of .xlsx files need it

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _file_error(unreadable) from exc
    try:
        sheet = book.worksheets[0]
        for values in sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True):
            yield [_xlsx_cell_text(value) for value in values]
    except ImportFileError:
        raise
    except Exception as exc:  # a damaged sheet fails while its rows are read
        raise _file_error(unreadable) from exc
    finally:
        book.close()


def _header(cells: list[str]) -> tuple[str, ...]:
    names = [cell.strip().lower().replace(" ", "_") for cell in cells]
    while names and not names[-1]:
        names.pop()
    if not names:
        raise _file_error(_("The first row must name the columns, e.g. %(columns)s.") % _columns_hint())
    if len(names) == 1 and ";" in names[0]:
        raise _file_error(_("Separate the columns with commas, not semicolons."))
    for position, name in enumerate(names, start=1):
        if not name:
            raise _file_error(_("Column %(n)d of the first row has no name.") % {"n": position})
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise _file_error(_("These columns appear twice: %(columns)s.") % {"columns": ", ".join(duplicated)})
    return tuple(names)


def _columns_hint() -> dict[str, str]:
    return {"columns": ", ".join(PRODUCT_COLUMNS)}


def _sheet_kind(columns: tuple[str, ...]) -> str:
    if set(columns) == set(STOCK_COLUMNS):
        return KIND_STOCK
    unknown = [name for name in columns if name not in PRODUCT_COLUMNS]
    if unknown:
        raise _file_error(
            _("Unknown columns: %(unknown)s. The columns are: %(columns)s.")
            % {"unknown": ", ".join(unknown), **_columns_hint()}
        )
    missing = [name for name in REQUIRED_PRODUCT_COLUMNS if name not in columns]
    if missing:
        raise _file_error(_("Missing columns: %(missing)s.") % {"missing": ", ".join(missing)})
    return KIND_PRODUCTS


def _sheet_build(records: Iterable[list[str]]) -> Sheet:
    records = iter(records)
    first = next(records, None)
    if first is None:
        raise _file_error(_("The file is empty."))
    columns = _header(first)
    sheet = Sheet(kind=_sheet_kind(columns), columns=columns)
    width = len(columns)
    for number, cells in enumerate(records, start=2):
        cells = [cell.strip() for cell in cells]
        if not any(cells):
            continue  # blank rows are skipped but still counted, so numbers match the spreadsheet
        if len(sheet.rows) == MAX_ROWS:
            raise _file_error(
                _("The file has more than %(max)s rows; split it into smaller files.")
                % {"max": f"{MAX_ROWS:,}"}
            )
        if any(cells[width:]):
            sheet.errors.append(
                RowError(number, "", _("This row has more cells than the first row has columns."))
            )
            continue
        cells += [""] * (width - len(cells))
        sheet.rows.append(SheetRow(number=number, values=dict(zip(columns, cells, strict=False))))
    if not sheet.rows and not sheet.errors:
        raise _file_error(_("The file has no rows below the column names."))
    return sheet


def sheet_read(*, data: bytes, file_format: str) -> Sheet:
    """The rows of an uploaded file, or ``ImportFileError`` when the file cannot be read as a whole."""
    if file_format not in FORMATS:
        raise _file_error(_("Upload a .csv or .xlsx file."))
    if not data:
        raise _file_error(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise _file_error(_("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)})
    records = _csv_records(data) if file_format == "csv" else _xlsx_records(data)
    return _sheet_build(records)


# --- exporting --------------------------------------------------------------------------------------


def attributes_text(values: dict[str, object]) -> str:
    """Attribute values as a JSON object in one cell ("" when there are none)."""
    return json.dumps(values, ensure_ascii=False) if values else ""


def _major(amount: int | None, currency: str) -> Decimal | None:
    return None if amount is None else Money(amount, currency).to_decimal()


class ProductRowResource(resources.Resource):
    """One row per SKU, in ``PRODUCT_COLUMNS`` order: the shape ``product_import`` reads back."""

    product_ref = Field(column_name="product_ref")
    title = Field(column_name="title")
    category = Field(column_name="category")
    brand = Field(column_name="brand")
    condition = Field(column_name="condition")
    description = Field(column_name="description")
    tags = Field(column_name="tags")
    sku = Field(column_name="sku")
    variant_name = Field(column_name="variant_name")
    price = Field(column_name="price")
    compare_at_price = Field(column_name="compare_at_price")
    stock = Field(column_name="stock")
    attributes = Field(column_name="attributes")
    variant_attributes = Field(column_name="variant_attributes")

    class Meta:
        fields = PRODUCT_COLUMNS
        export_order = PRODUCT_COLUMNS

    def dehydrate_product_ref(self, variant: ProductVariant) -> str:
        return variant.product.slug

    def dehydrate_title(self, variant: ProductVariant) -> str:
        return variant.product.title

    def dehydrate_category(self, variant: ProductVariant) -> str:
        return variant.product.category.slug

    def dehydrate_brand(self, variant: ProductVariant) -> str:
        return variant.product.brand

    def dehydrate_condition(self, variant: ProductVariant) -> str:
        return variant.product.condition

    def dehydrate_description(self, variant: ProductVariant) -> str:
        return variant.product.description

    def dehydrate_tags(self, variant: ProductVariant) -> str:
        return TAG_SEPARATOR.join(sorted(tag.name for tag in variant.product.tags.all()))

    def dehydrate_sku(self, variant: ProductVariant) -> str:
        return variant.sku

    def dehydrate_variant_name(self, variant: ProductVariant) -> str:
        return variant.name

    def dehydrate_price(self, variant: ProductVariant) -> Decimal | None:
        return _major(variant.price_amount, variant.currency)

    def dehydrate_compare_at_price(self, variant: ProductVariant) -> Decimal | None:
        return _major(variant.compare_at_amount, variant.currency)

    def dehydrate_stock(self, variant: ProductVariant) -> int:
        return variant.stock

    def dehydrate_attributes(self, variant: ProductVariant) -> str:
        return attributes_text(variant.product.attributes)

    def dehydrate_variant_attributes(self, variant: ProductVariant) -> str:
        return attributes_text(variant.attributes)


class StockRowResource(resources.Resource):
    sku = Field(column_name="sku")
    stock = Field(column_name="stock")

    class Meta:
        fields = STOCK_COLUMNS
        export_order = STOCK_COLUMNS

    def dehydrate_sku(self, variant: ProductVariant) -> str:
        return variant.sku

    def dehydrate_stock(self, variant: ProductVariant) -> int:
        return variant.stock


RESOURCES: dict[str, type[resources.Resource]] = {
    KIND_PRODUCTS: ProductRowResource,
    KIND_STOCK: StockRowResource,
}


def seller_variant_export_list(
    *, seller_id: int, search: str = "", status: str = ""
) -> QuerySet[ProductVariant]:
    """The seller's SKUs for an export, filtered like the product list, rows of one listing together."""
    products = seller_product_list(seller_id=seller_id, search=search, status=status)
    return (
        ProductVariant.objects.filter(product__seller_id=seller_id, product_id__in=products.values("pk"))
        .select_related("product", "product__category")
        .prefetch_related("product__tags")
        .order_by("product_id", "position", "id")
    )


def sheet_render(*, variants: QuerySet[ProductVariant] | None, kind: str, file_format: str) -> bytes:
    """The file's bytes; ``variants=None`` renders the empty template (the header row only)."""
    resource = RESOURCES[kind]()
    dataset = resource.export(queryset=variants) if variants is not None else _empty(resource)
    if file_format == "csv":
        escaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            escaped.append([_csv_escape(value) for value in row])
        # A byte-order mark makes Excel read the file as UTF-8; the import skips it again.
        return "\ufeff".encode() + FORMATS["csv"].export_data(escaped).encode("utf-8")
    return _xlsx_render(dataset)


def _empty(resource: resources.Resource) -> tablib.Dataset:
    return tablib.Dataset(headers=resource.get_export_headers())


def _xlsx_render(dataset: tablib.Dataset) -> bytes:
    """tablib's XLSX writer, except that text is always stored as text: openpyxl would otherwise store a
    title starting with "=" as a formula, which Excel evaluates and which reads back empty."""
    from openpyxl import load_workbook

    content = FORMATS["xlsx"].export_data(dataset)
    book = load_workbook(io.BytesIO(content))
    for row in book.active.iter_rows():
        for cell in row:
            if cell.data_type == "f":
                cell.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def content_type_for(file_format: str) -> str:
    content_type = FORMATS[file_format].get_content_type()
    return f"{content_type}; charset=utf-8" if file_format == "csv" else content_type
