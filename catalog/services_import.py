"""Bulk import of a seller's listings, or of just their stock, from a CSV/XLSX file (the file's shape is
defined in ``catalog.importexport``).

All or nothing per file. Every row is checked first (shape, prices, categories, SKU ownership,
consistency of the rows of one listing); then everything is written in one transaction through the
listing services, so the same rules, stock movements, search-index refresh and seller scoping apply as
in the listing form. Any refusal, while checking or while writing, rolls the whole file back and is
reported against its spreadsheet row and column. Stock in the file is the absolute level; each change
is an IMPORT stock movement (one import shares one ``reference``). An import never deletes a listing
or a SKU, and new listings are created as drafts.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any, cast

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from catalog.importexport import (
    KIND_STOCK,
    LISTING_COLUMNS,
    MAX_FILE_BYTES,
    TAG_SEPARATOR,
    RowError,
    Sheet,
    SheetRow,
    sheet_read,
)
from catalog.locks import variants_lock
from catalog.models import Category, Product, ProductVariant, StockMovement
from catalog.services import stock_adjust
from catalog.services_listing import (
    MAX_TAGS,
    PRICE_CAP_AMOUNT,
    VariantInput,
    listing_currency,
    product_create,
    product_update,
    title_has_html,
)
from common.exceptions import ApplicationError
from common.money import Money, currency_exponent

MAX_STOCK = 1_000_000
# Lengths of the model fields (and of the listing form's description).
MAX_LENGTHS = {
    "product_ref": 220,
    "title": 200,
    "brand": 80,
    "description": 5000,
    "sku": 64,
    "variant_name": 120,
}
MAX_TAG_LENGTH = 50

# Where a listing service's ``ApplicationError.extra`` keys land in the spreadsheet.
_VARIANT_COLUMNS = {
    "sku": "sku",
    "name": "variant_name",
    "price": "price",
    "price_amount": "price",
    "compare_at_price": "compare_at_price",
    "compare_at_amount": "compare_at_price",
    "stock": "stock",
}
_LISTING_KEYS = {
    "title": "title",
    "category": "category",
    "category_id": "category",
    "brand": "brand",
    "condition": "condition",
    "description": "description",
}


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do). With any error nothing was written and the
    counts are zero."""

    kind: str
    dry_run: bool
    rows: int = 0
    products_created: int = 0
    products_updated: int = 0
    products_unchanged: int = 0
    variants_created: int = 0
    variants_updated: int = 0
    stock_changes: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def committed(self) -> bool:
        return self.ok and not self.dry_run


class _CellError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class _Rollback(Exception):
    pass


@dataclass
class _VariantRow:
    number: int
    sku: str
    price_amount: int
    stock: int
    name: str | None  # None: the column is absent, keep the SKU's current name
    compare_at_amount: int | None
    compare_at_given: bool
    attributes: dict[str, Any] | None  # None: the column is absent, keep the SKU's current values
    variant_id: int | None = None
    current: Mapping[str, Any] | None = None


@dataclass
class _Group:
    """The rows of one product_ref: one listing."""

    ref: str
    first_row: int
    listing: dict[str, Any] = field(default_factory=dict)
    rows: list[_VariantRow] = field(default_factory=list)
    product: Product | None = None
    category_id: int | None = None


# --- cells ------------------------------------------------------------------------------------------


def _money(text: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise _CellError(_("Enter a price such as 12.50."))
    if value < 0:
        raise _CellError(_("The price cannot be negative."))
    currency = listing_currency()
    try:
        amount = Money.from_decimal(value, currency).amount
    except ValueError:
        places = currency_exponent(currency)
        if places == 2:
            raise _CellError(_("Use at most two decimal places.")) from None
        raise _CellError(
            ngettext(
                "Use at most %(n)d decimal place for %(currency)s.",
                "Use at most %(n)d decimal places for %(currency)s.",
                places,
            )
            % {"n": places, "currency": currency}
        ) from None
    if amount > PRICE_CAP_AMOUNT:
        raise _CellError(_("The price cannot be above 1,000,000.00."))
    return amount


def _stock(text: str) -> int:
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or value != value.to_integral_value():
        raise _CellError(_("Enter a whole number of 0 or more."))
    if value < 0:
        raise _CellError(_("Stock cannot be negative."))
    if value > MAX_STOCK:
        raise _CellError(_("Stock cannot be above 1,000,000."))
    return int(value)


def _text(text: str, column: str, *, required: bool = False) -> str:
    if required and not text:
        raise _CellError(_("This cell is required."))
    limit = MAX_LENGTHS.get(column)
    if limit is not None and len(text) > limit:
        raise _CellError(_("Use at most %(n)d characters.") % {"n": limit})
    return text


def _condition(text: str) -> str:
    if not text:
        return Product.Condition.NEW
    wanted = text.lower()
    for value, label in Product.Condition.choices:
        if wanted in (value, str(label).lower()):
            return value
    raise _CellError(
        _("Unknown condition; use one of: %(values)s.") % {"values": ", ".join(Product.Condition.values)}
    )


def _tags(text: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in text.split(TAG_SEPARATOR) if name.strip())
    if len(names) > MAX_TAGS:
        raise _CellError(_("Use at most %(n)d tags.") % {"n": MAX_TAGS})
    if any(len(name) > MAX_TAG_LENGTH for name in names):
        raise _CellError(_("A tag can have at most %(n)d characters.") % {"n": MAX_TAG_LENGTH})
    return names


def _attributes(text: str) -> dict[str, Any]:
    """A JSON object of attribute values; the listing services check them against the category."""
    if not text:
        return {}
    try:
        values = json.loads(text)
    except ValueError:
        values = None
    if not isinstance(values, dict):
        raise _CellError(_('Enter the attributes as a JSON object, e.g. {"colour": "red"}.'))
    if any(isinstance(value, dict | list) for value in values.values()):
        raise _CellError(_("Each attribute value must be text, a number, true or false."))
    return values


def _listing_value(values: dict[str, str], column: str, *, first: bool) -> Any:
    """One listing cell, parsed; the first row of a listing must give a title and a category."""
    if column == "title":
        title = _text(values["title"], "title", required=first)
        if title_has_html(title):
            raise _CellError(_("HTML is not allowed in titles."))
        return title
    if column == "category":
        return _text(values["category"], "category", required=first).lower()
    if column == "condition":
        return _condition(values["condition"])
    if column == "tags":
        return _tags(values["tags"])
    if column == "attributes":
        return _attributes(values["attributes"])
    return _text(values[column], column)


def _tag_slugs(names: tuple[str, ...] | list[str]) -> set[str]:
    """The tag slugs ``services_listing`` would store for these names."""
    return {slug for slug in (slugify(name.strip()[:50])[:60] for name in names) if slug}


# --- checking a products sheet ----------------------------------------------------------------------


def _products_parse(sheet: Sheet, errors: list[RowError]) -> list[_Group]:
    """Every row's shape, and the rows of one product_ref agreeing on the listing's columns."""
    present = [column for column in LISTING_COLUMNS if column in sheet.columns]
    groups: dict[str, _Group] = {}
    sku_rows: dict[str, int] = {}
    for row in sheet.rows:
        values = row.values
        found: list[RowError] = []
        try:
            ref = _text(values["product_ref"], "product_ref", required=True)
        except _CellError as exc:
            found.append(RowError(row.number, "product_ref", exc.message))
            ref = ""
        group = groups.get(ref) if ref else None
        first = group is None
        listing: dict[str, Any] = {}
        for column in present:
            if not first and not values[column]:
                continue  # a blank listing cell below the first row repeats the first row
            try:
                listing[column] = _listing_value(values, column, first=first)
            except _CellError as exc:
                found.append(RowError(row.number, column, exc.message))
                continue
            if group is not None and column in group.listing and listing[column] != group.listing[column]:
                found.append(
                    RowError(
                        row.number,
                        column,
                        _("Differs from row %(row)d, the first row of this product_ref.")
                        % {"row": group.first_row},
                    )
                )
        variant = _variant_parse(row, found, sku_rows)
        errors.extend(found)
        if not ref:
            continue
        if group is None:
            group = groups[ref] = _Group(ref=ref, first_row=row.number, listing=listing)
        if variant is not None:
            group.rows.append(variant)
    return list(groups.values())


def _variant_parse(row: SheetRow, found: list[RowError], sku_rows: dict[str, int]) -> _VariantRow | None:
    values = row.values

    def cell(column: str, parse: Callable[[str], Any]) -> Any:
        try:
            return parse(values.get(column, ""))
        except _CellError as exc:
            found.append(RowError(row.number, column, exc.message))
            return None

    sku = cell("sku", lambda text: _text(text, "sku", required=True))
    name = (
        cell("variant_name", lambda text: _text(text, "variant_name")) if "variant_name" in values else None
    )
    price = cell("price", _money)
    compare_at = cell("compare_at_price", _money) if values.get("compare_at_price") else None
    stock = cell("stock", _stock)
    attributes = cell("variant_attributes", _attributes) if "variant_attributes" in values else None
    if sku:
        if sku in sku_rows:
            found.append(
                RowError(row.number, "sku", _("This SKU is also in row %(row)d.") % {"row": sku_rows[sku]})
            )
        else:
            sku_rows[sku] = row.number
    if price is not None and compare_at is not None and compare_at <= price:
        found.append(
            RowError(row.number, "compare_at_price", _("The compare-at price must be higher than the price."))
        )
    if found:
        return None
    return _VariantRow(
        number=row.number,
        sku=sku,
        name=name,
        price_amount=price,
        compare_at_amount=compare_at,
        compare_at_given="compare_at_price" in values,
        stock=stock,
        attributes=attributes,
    )


def _ref_id(ref: str) -> int | None:
    """A product_ref that can be a listing id (an ASCII number within a bigint)."""
    return int(ref) if ref.isascii() and ref.isdigit() and len(ref) <= 18 else None


def _products_resolve(*, seller_id: int, groups: list[_Group], errors: list[RowError]) -> None:
    """Categories by slug, existing listings by ref and SKUs by code, in one query each."""
    _categories_resolve(groups=groups, errors=errors)
    _listings_resolve(seller_id=seller_id, groups=groups, errors=errors)
    _skus_resolve(seller_id=seller_id, groups=groups, errors=errors)


def _categories_resolve(*, groups: list[_Group], errors: list[RowError]) -> None:
    """Each group's category_id from its category slug: a leaf category that is active."""
    slugs = {g.listing["category"] for g in groups if g.listing.get("category")}
    categories = {
        c["slug"]: c
        for c in Category.objects.filter(slug__in=slugs).values("id", "slug", "is_active", "numchild")
    }
    for group in groups:
        slug = group.listing.get("category")
        if not slug:
            continue
        category = categories.get(slug)
        if category is None:
            errors.append(
                RowError(group.first_row, "category", _("Unknown category “%(slug)s”.") % {"slug": slug})
            )
        elif not category["is_active"] or category["numchild"]:
            errors.append(
                RowError(
                    group.first_row, "category", _("Choose an active category that has no sub-categories.")
                )
            )
        else:
            group.category_id = category["id"]


def _listings_resolve(*, seller_id: int, groups: list[_Group], errors: list[RowError]) -> None:
    """Each group's product: the seller's listing its product_ref names by id or slug, one group each."""
    refs = [g.ref for g in groups]
    ids = [pk for pk in map(_ref_id, refs) if pk is not None]
    products = list(
        Product.objects.filter(Q(slug__in=refs) | Q(pk__in=ids), seller_id=seller_id).prefetch_related("tags")
    )
    by_id: dict[int | None, Product] = {p.pk: p for p in products}  # looked up by _ref_id(), maybe None
    by_slug = {p.slug: p for p in products}
    claimed: dict[int, _Group] = {}
    for group in groups:
        product = by_id.get(_ref_id(group.ref)) or by_slug.get(group.ref)
        if product is None:
            continue
        other = claimed.get(product.pk)
        if other is not None:
            errors.append(
                RowError(
                    group.first_row,
                    "product_ref",
                    _("Row %(row)d names the same listing with another product_ref; use one per listing.")
                    % {"row": other.first_row},
                )
            )
            continue
        claimed[product.pk] = group
        group.product = product


def _skus_resolve(*, seller_id: int, groups: list[_Group], errors: list[RowError]) -> None:
    """Each row's existing SKU (variant_id, current values) when it belongs to the row's listing."""
    skus = [row.sku for group in groups for row in group.rows]
    existing = {
        v["sku"]: v
        for v in ProductVariant.objects.filter(sku__in=skus).values(
            "id",
            "sku",
            "product_id",
            "product__seller_id",
            "product__slug",
            "name",
            "price_amount",
            "compare_at_amount",
            "attributes",
        )
    }
    for group in groups:
        for row in group.rows:
            variant = existing.get(row.sku)
            if variant is None:
                continue
            if variant["product__seller_id"] != seller_id:
                errors.append(RowError(row.number, "sku", _("This SKU is already in use.")))
            elif group.product is None or group.product.pk != variant["product_id"]:
                errors.append(
                    RowError(
                        row.number,
                        "sku",
                        _("This SKU belongs to another of your listings (product_ref “%(ref)s”).")
                        % {"ref": variant["product__slug"]},
                    )
                )
            else:
                row.variant_id = variant["id"]
                row.current = variant


# --- writing a products sheet -----------------------------------------------------------------------


def _listing_kwargs(group: _Group) -> dict[str, Any]:
    """The listing as the services take it; a column absent from the file keeps the listing's value."""
    product, listing = group.product, group.listing

    def keep(column: str, current: Any, default: Any) -> Any:
        if column in listing:
            return listing[column]
        return current if product is not None else default

    tags = keep("tags", [t.name for t in product.tags.all()] if product else None, ())
    return {
        "title": listing["title"],
        "category_id": group.category_id,
        "brand": keep("brand", product and product.brand, ""),
        "condition": keep("condition", product and product.condition, Product.Condition.NEW),
        "description": keep("description", product and product.description, ""),
        "tag_names": list(tags),
        # None keeps the stored values (the services' convention).
        "attributes": listing.get("attributes"),
    }


def _variant_input(row: _VariantRow, stock_now: dict[int, int]) -> VariantInput:
    """The SKU as the services take it, its stock left where it is: the file's level is applied after,
    as an IMPORT movement, instead of the INITIAL/ADJUSTMENT one the listing services would write."""
    current = row.current or {}
    name = row.name if row.name is not None else current.get("name", "")
    compare_at = row.compare_at_amount if row.compare_at_given else current.get("compare_at_amount")
    stock = stock_now.get(row.variant_id, 0) if row.variant_id else 0
    return VariantInput(
        id=row.variant_id,
        sku=row.sku,
        name=name,
        price_amount=row.price_amount,
        compare_at_amount=compare_at,
        stock=stock,
        attributes=row.attributes,
    )


def _listing_changed(group: _Group, kwargs: dict[str, Any], inputs: list[VariantInput]) -> bool:
    product = group.product
    if product is None:
        return True
    if (product.title, product.category_id, product.brand, product.condition, product.description) != (
        kwargs["title"].strip(),
        kwargs["category_id"],
        kwargs["brand"].strip(),
        kwargs["condition"],
        kwargs["description"],
    ):
        return True
    if _tag_slugs(kwargs["tag_names"]) != {t.slug for t in product.tags.all()}:
        return True
    if kwargs["attributes"] is not None and kwargs["attributes"] != product.attributes:
        return True
    return any(_variant_changed(row, given) for row, given in zip(group.rows, inputs, strict=True))


def _variant_changed(row: _VariantRow, given: VariantInput) -> bool:
    current = row.current
    if current is None:
        return True
    if given.attributes is not None and given.attributes != current["attributes"]:
        return True
    return (current["name"], current["price_amount"], current["compare_at_amount"]) != (
        given.name,
        given.price_amount,
        given.compare_at_amount,
    )


def _messages(value: object) -> list[str]:
    return [str(m) for m in value] if isinstance(value, list | tuple) else [str(value)]


def _attribute_errors(errors: object) -> list[str]:
    """``{code: [messages]}`` as "code: message" lines."""
    if not isinstance(errors, dict):
        return _messages(errors)
    return [f"{code}: {message}" for code, messages in errors.items() for message in _messages(messages)]


def _service_errors(exc: ApplicationError, rows: list[_VariantRow], first_row: int) -> list[RowError]:
    """A listing service's refusal, put on the rows and columns it is about."""
    found: list[RowError] = []
    variants = exc.extra.get("variants")
    if isinstance(variants, dict):
        for index, fields in variants.items():
            if not isinstance(fields, dict) or not 0 <= index < len(rows):
                continue
            for name, messages in fields.items():
                number = rows[index].number
                if name == "attributes":
                    found += [RowError(number, "variant_attributes", m) for m in _attribute_errors(messages)]
                else:
                    found += [
                        RowError(number, _VARIANT_COLUMNS.get(name, ""), m) for m in _messages(messages)
                    ]
    for key, column in _LISTING_KEYS.items():
        if key in exc.extra:
            found += [RowError(first_row, column, m) for m in _messages(exc.extra[key])]
    if "attributes" in exc.extra:
        found += [RowError(first_row, "attributes", m) for m in _attribute_errors(exc.extra["attributes"])]
    skus = exc.extra.get("skus")
    if isinstance(skus, dict):  # SKUs the file leaves out whose values no longer fit a new category
        for sku, fields in skus.items():
            for message in _attribute_errors(
                fields.get("attributes", {}) if isinstance(fields, dict) else fields
            ):
                found.append(RowError(first_row, "category", f"{sku} — {message}"))
    return found or [RowError(first_row, "", exc.message)]


def _products_write(
    *, seller_id: int, actor_id: int | None, groups: list[_Group], report: ImportReport, reference: str
) -> None:
    # Lock in the catalog's order (``catalog.locks``: listings, then SKUs, each by pk) and read the stock
    # under the lock, so a checkout reserving stock meanwhile is not overwritten: the file's level is set
    # from this value.
    stock_now = variants_lock(
        variant_ids=[row.variant_id for g in groups for row in g.rows if row.variant_id],
        product_ids=[g.product.pk for g in groups if g.product is not None],
        seller_id=seller_id,
    )
    for group in groups:
        kwargs = _listing_kwargs(group)
        inputs = [_variant_input(row, stock_now) for row in group.rows]
        changed = _listing_changed(group, kwargs, inputs)
        product = group.product
        if changed:
            try:
                if product is None:
                    product = product_create(
                        seller_id=seller_id, actor_id=actor_id, variants=inputs, **kwargs
                    )
                else:
                    product = product_update(
                        seller_id=seller_id,
                        product_id=product.pk,
                        actor_id=actor_id,
                        variants=inputs,
                        **kwargs,
                    )
            except ApplicationError as exc:
                report.errors.extend(_service_errors(exc, group.rows, group.first_row))
                continue
        sku_ids = {row.sku: row.variant_id for row in group.rows if row.variant_id}
        if len(sku_ids) < len(group.rows):
            # unchanged, so an existing listing: only a new one (product None) counts as changed
            sku_ids = dict(
                ProductVariant.objects.filter(product_id=cast(Product, product).pk).values_list("sku", "pk")
            )
        stock_changed = False
        for row, given in zip(group.rows, inputs, strict=True):
            delta = row.stock - given.stock
            if delta:
                try:
                    stock_adjust(
                        variant_id=sku_ids[row.sku],
                        delta=delta,
                        reason=StockMovement.Reason.IMPORT,
                        actor_id=actor_id,
                        reference=reference,
                    )
                except ApplicationError as exc:
                    report.errors.append(RowError(row.number, "stock", exc.message))
                    continue
                report.stock_changes += 1
                stock_changed = True
            if row.variant_id is None:
                report.variants_created += 1
            elif delta or _variant_changed(row, given):
                report.variants_updated += 1
        if group.product is None:
            report.products_created += 1
        elif changed or stock_changed:
            report.products_updated += 1
        else:
            report.products_unchanged += 1


# --- a stock-only sheet -----------------------------------------------------------------------------


def _stock_parse(*, seller_id: int, sheet: Sheet, errors: list[RowError]) -> list[tuple[int, int, int]]:
    """(row number, SKU id, new level) for every row; SKUs of other sellers are simply unknown."""
    parsed: list[tuple[int, str, int]] = []
    sku_rows: dict[str, int] = {}
    for row in sheet.rows:
        found: list[RowError] = []
        sku = row.values["sku"]
        if not sku:
            found.append(RowError(row.number, "sku", _("This cell is required.")))
        elif sku in sku_rows:
            found.append(
                RowError(row.number, "sku", _("This SKU is also in row %(row)d.") % {"row": sku_rows[sku]})
            )
        else:
            sku_rows[sku] = row.number
        try:
            level = _stock(row.values["stock"])
        except _CellError as exc:
            found.append(RowError(row.number, "stock", exc.message))
        errors.extend(found)
        if not found:
            parsed.append((row.number, sku, level))
    own = dict(
        ProductVariant.objects.filter(product__seller_id=seller_id, sku__in=list(sku_rows)).values_list(
            "sku", "pk"
        )
    )
    plan = []
    for number, sku, level in parsed:
        if sku not in own:
            errors.append(RowError(number, "sku", _("You have no SKU with this code.")))
        else:
            plan.append((number, own[sku], level))
    return plan


def _stock_write(
    *,
    seller_id: int,
    actor_id: int | None,
    plan: list[tuple[int, int, int]],
    report: ImportReport,
    reference: str,
) -> None:
    # The SKUs' listings first, then the SKUs (``catalog.locks``): a level crossing zero writes the listing.
    stock_now = variants_lock(variant_ids=[pk for _n, pk, _l in plan], seller_id=seller_id)
    for number, pk, level in plan:
        if pk not in stock_now:
            report.errors.append(RowError(number, "sku", _("You have no SKU with this code.")))
            continue
        delta = level - stock_now[pk]
        if not delta:
            continue
        try:
            stock_adjust(
                variant_id=pk,
                delta=delta,
                reason=StockMovement.Reason.IMPORT,
                actor_id=actor_id,
                reference=reference,
            )
        except ApplicationError as exc:
            report.errors.append(RowError(number, "stock", exc.message))
            continue
        report.stock_changes += 1
        report.variants_updated += 1


# --- the service ------------------------------------------------------------------------------------


def _read_limited(file: IO[bytes] | bytes) -> bytes:
    """At most one byte more than allowed, so ``sheet_read`` can tell a file that is too large."""
    return file if isinstance(file, bytes) else file.read(MAX_FILE_BYTES + 1)


def product_import(
    *, seller_id: int, actor_id: int | None, file: IO[bytes] | bytes, file_format: str, dry_run: bool = False
) -> ImportReport:
    """Import a products sheet (listings and SKUs) or a stock-only sheet (``sku``, ``stock``) for one
    seller. Raises ``ImportFileError`` when the file cannot be read at all; otherwise returns the report,
    whose errors name rows and columns. Nothing is written when there is any error, nor on a dry run
    (which still runs every write, then rolls back, so it finds what the real import would refuse).

    Not wrapped in one ``@transaction.atomic``: reading and checking the file holds no transaction, only
    the writes do."""
    sheet = sheet_read(data=_read_limited(file), file_format=file_format)
    report = ImportReport(kind=sheet.kind, dry_run=dry_run, rows=len(sheet.rows))
    errors = list(sheet.errors)
    reference = f"import-{uuid.uuid4().hex[:12]}"
    if sheet.kind == KIND_STOCK:
        plan = _stock_parse(seller_id=seller_id, sheet=sheet, errors=errors)

        def write() -> None:
            _stock_write(
                seller_id=seller_id, actor_id=actor_id, plan=plan, report=report, reference=reference
            )

    else:
        groups = _products_parse(sheet, errors)
        _products_resolve(seller_id=seller_id, groups=groups, errors=errors)

        def write() -> None:
            _products_write(
                seller_id=seller_id, actor_id=actor_id, groups=groups, report=report, reference=reference
            )

    report.errors = errors
    if not errors:
        try:
            with transaction.atomic():
                write()
                if report.errors or dry_run:
                    raise _Rollback
        except _Rollback:
            pass
    if report.errors:
        report.errors.sort(key=lambda e: (e.row, _column_order(sheet, e.column)))
        report.products_created = report.products_updated = report.products_unchanged = 0
        report.variants_created = report.variants_updated = report.stock_changes = 0
    return report


def _column_order(sheet: Sheet, column: str) -> int:
    return sheet.columns.index(column) if column in sheet.columns else -1
