"""Every write of the Online Retail import (``manage.py import_transactions``): the file's history as
marketplace rows, following the rules of ``marketplace.importers.online_retail``.

What one import writes, all in bulk (``marketplace.importers.bulk``: COPY on PostgreSQL), batch by batch
of invoices, each batch one transaction:

* one importing seller — user ``online-retail@import.invalid`` (unusable password) with an approved
  ``SellerProfile`` "Online Retail (imported)" — and its catalog: a product with one SKU per product code,
  published, in a category per keyword rule (a root category, reused when its slug exists), with its stock
  on hand (and the ``StockMovement`` that put it there);
* a shopper per CustomerID (``customer-<id>@import.invalid``, unusable password, joined at their first
  invoice);
* per sale invoice, what a paid and completed order holds after checkout, payment and delivery: the
  ``Order`` (``OR-<invoice>``) with one ``SellerOrder`` and its ``OrderLine`` snapshots, placed, paid,
  shipped, delivered and completed at the invoice's time; a captured ``Payment`` (provider ``import``,
  reference ``online-retail:<invoice>``) for a total above zero; the ``LineCommission`` of every line at the
  rate the commission rules give today; the ledger's capture entry at the invoice's time (so commission
  books on that day); a timeline event;
* per cancellation invoice, succeeded ``Refund`` rows of the goods and postage it finds (one per order
  reached), the payments' refunded amounts and statuses, the ledger's refund entries and the timeline
  notes, all at the cancellation's time.

Idempotent: an order whose number exists, a cancellation that has refunds (their keys are
``online-retail:<C invoice>:<order number>``), a SKU or a customer that exists is skipped, so a second
run adds nothing. The imported orders follow the checkout's invariants (line total = unit price x
quantity - discount, order total = lines + shipping - discount, allocation = total) and
``manage.py ledger_check`` holds after an import. Sellers' pending funds of the imported orders become
available through the hourly ``payments.seller_funds_release`` like any completed order's.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Case, F, IntegerField, Model, OuterRef, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import slugify
from django_countries import countries

from accounts.models import SellerProfile, SellerStatusEvent, User
from catalog import search
from catalog.listing_cache import listing_cache_invalidate
from catalog.models import Category, Product, ProductVariant, StockMovement
from catalog.services import product_in_stock_refresh
from common.money import currency_exponent
from marketplace.importers import online_retail as retail
from marketplace.importers.bulk import BulkTable
from orders.lifecycle.reasons import ReasonCode, choice_param, money_param, reason_stored_text
from orders.models import Order, OrderEvent, OrderLine, OrderStatus, SellerOrder
from payments import ledger
from payments.commissions import commission_of, commission_rate
from payments.models import LineCommission, Payment, Refund

SELLER_EMAIL = f"online-retail@{retail.EMAIL_DOMAIN}"
SHOP_NAME = "Online Retail (imported)"
SHOP_SLUG = "online-retail-imported"
PAYMENT_PROVIDER = "import"
BATCH_INVOICES = 2000
REFUND_KEY_PREFIX = f"{retail.SOURCE}:"
# Country names of the file that are not a country's name (or not one django-countries knows).
COUNTRY_CODES = {"EIRE": "IE", "RSA": "ZA", "USA": "US", "Channel Islands": "JE", "Czech Republic": "CZ"}


@dataclass
class ImportReport:
    """What an import did (amounts in minor units of ``currency``)."""

    currency: str = ""
    file_format: str = ""
    rows: int = 0
    invoices: int = 0
    first_day: date | None = None
    last_day: date | None = None
    products_created: int = 0
    customers_created: int = 0
    orders_created: int = 0
    orders_existing: int = 0
    gmv_amount: int = 0
    stock_corrections: int = 0  # sale invoices of stock corrections only: no order
    adjustments: int = 0  # "A" invoices (bad debt): not sales
    cancellations: int = 0
    cancellations_existing: int = 0
    refunds_created: int = 0
    refund_amount: int = 0
    unmatched_rows: Counter[str] = field(default_factory=Counter)  # reason -> cancellation rows
    unmatched_amount: Counter[str] = field(default_factory=Counter)  # reason -> amount not refunded

    @property
    def added(self) -> bool:
        return bool(self.orders_created or self.refunds_created or self.products_created)


@dataclass
class _Context:
    currency: str
    exponent: int
    seller_id: int
    titles: dict[str, str]  # product code -> title
    variants: dict[str, tuple[int, int]] = field(default_factory=dict)  # sku -> (variant, product)
    rates: dict[int | None, tuple[int, str]] = field(default_factory=dict)  # product (None: charge) -> rate
    cancellations_done: set[str] = field(default_factory=set)
    tables: dict[type[Model], BulkTable] = field(default_factory=dict)

    def table(self, model: type[Model]) -> BulkTable:
        if model not in self.tables:
            self.tables[model] = BulkTable(model)
        return self.tables[model]


def online_retail_import(
    *,
    path: Path | str,
    limit: int | None = None,
    currency: str = "GBP",
    batch_invoices: int = BATCH_INVOICES,
    progress: Callable[[int], object] | None = None,
    on_scanned: Callable[[ImportReport], object] | None = None,
) -> ImportReport:
    """Import an Online Retail file (streamed twice: the catalog first, then invoice by invoice), each
    batch of ``batch_invoices`` in its own transaction: a failure keeps the batches before it, and running
    the import again goes on from there. ``progress`` is called with the rows of each batch done;
    ``on_scanned`` once the first pass is."""
    report = ImportReport(currency=currency)
    report.file_format = retail.file_format(retail.header_read(path))
    scan = retail.file_scan(retail.rows_read(path, limit=limit))
    report.rows, report.invoices = scan.rows, scan.invoices
    if scan.first_date:
        report.first_day = retail.local_time(scan.first_date).date()
        report.last_day = retail.local_time(scan.last_date).date()
    if on_scanned is not None:
        on_scanned(report)
    exponent = currency_exponent(currency)
    items = retail.catalog_items(scan, exponent=exponent)
    context = _Context(
        currency=currency,
        exponent=exponent,
        seller_id=_seller_ensure(),
        titles={item.code: item.title for item in items},
    )
    new_products = _catalog_ensure(items=items, context=context)
    report.products_created = len(new_products)
    context.variants, context.rates = _catalog_load(seller_id=context.seller_id)
    context.cancellations_done = _cancellations_done()
    invoices = retail.invoices_group(retail.rows_read(path, limit=limit), split_last=scan.split_last)
    for batch in _batched(invoices, batch_invoices):
        _batch_import(batch=batch, context=context, report=report)
        if progress is not None:
            progress(sum(len(invoice.rows) for invoice in batch))
    if report.orders_created or new_products:
        _catalog_follow_up(seller_id=context.seller_id, new_product_ids=new_products)
    return report


def _batched(invoices: Iterable[retail.Invoice], size: int) -> Iterator[list[retail.Invoice]]:
    iterator = iter(invoices)
    while batch := list(islice(iterator, size)):
        yield batch


# --- the seller and its catalog -------------------------------------------------------------------------


@transaction.atomic
def _seller_ensure() -> int:
    """The importing seller (created approved on the first import, with its approval on record)."""
    profile = SellerProfile.objects.filter(user__email=SELLER_EMAIL).first()
    if profile is not None:
        return profile.pk
    now = timezone.now()
    user, _created = User.objects.get_or_create(
        email=SELLER_EMAIL,
        defaults={"password": make_password(None), "display_name": SHOP_NAME, "date_joined": now},
    )
    slug = SHOP_SLUG
    while SellerProfile.objects.filter(slug=slug).exists():
        slug = f"{SHOP_SLUG}-{user.pk}"
    reason = "Imported history of the UCI Online Retail data set"
    profile = SellerProfile(
        user=user,
        shop_name=SHOP_NAME,
        slug=slug,
        description="A UK gift-ware wholesaler's 2010-2011 sales, imported as marketplace history.",
        kind=SellerProfile.Kind.BUSINESS,
        status=SellerProfile.Status.APPROVED,
        status_reason=reason,
        status_changed_at=now,
    )
    profile.full_clean()
    profile.save()
    SellerStatusEvent.objects.create(
        seller=profile,
        action="approve",
        from_status=SellerProfile.Status.PENDING,
        to_status=SellerProfile.Status.APPROVED,
        reason=reason,
    )
    return profile.pk


def _categories_ensure(rules: Iterable[retail.CategoryRule]) -> dict[str, int]:
    """Category id per rule slug: the existing category of that slug, else a new root category."""
    wanted = {rule.slug: rule for rule in rules}
    ids = dict(Category.objects.filter(slug__in=wanted).values_list("slug", "pk"))
    for slug, rule in wanted.items():
        if slug not in ids:
            ids[slug] = Category.objects.add_root({"name": rule.name, "slug": slug}).pk
    return ids


@transaction.atomic
def _catalog_ensure(*, items: Sequence[retail.CatalogItem], context: _Context) -> list[int]:
    """Create the products (one SKU each) the catalog lacks; returns the new products' ids."""
    existing = set(
        ProductVariant.objects.filter(sku__in=[item.sku for item in items]).values_list("sku", flat=True)
    )
    todo = [item for item in items if item.sku not in existing]
    if not todo:
        return []
    categories = _categories_ensure(item.category for item in todo)
    slugs = _slugs_free([f"{slugify(item.title)[:180]}-{slugify(item.code)}".strip("-") for item in todo])
    product_ids = context.table(Product).ids(len(todo))
    variant_ids = context.table(ProductVariant).ids(len(todo))
    now = timezone.now()
    products, variants, movements = [], [], []
    for item, slug, product_id, variant_id in zip(todo, slugs, product_ids, variant_ids, strict=True):
        published = item.first_sold or now
        products.append(
            {
                "id": product_id,
                "seller_id": context.seller_id,
                "category_id": categories[item.category.slug],
                "title": item.title,
                "slug": slug,
                "description": f"StockCode {item.code}, imported from the Online Retail sales history.",
                "status": Product.Status.ACTIVE,
                "price_amount": item.price,
                # What the stock services keep (``Product.in_stock``): its one SKU has stock.
                "in_stock": item.stock > 0,
                "currency": context.currency,
                "published_at": published,
                "status_changed_at": published,
                "created_at": published,
                "updated_at": now,
            }
        )
        variants.append(
            {
                "id": variant_id,
                "product_id": product_id,
                "sku": item.sku,
                "price_amount": item.price,
                "currency": context.currency,
                "stock": item.stock,
                "created_at": published,
                "updated_at": now,
            }
        )
        if item.stock:
            movements.append(_stock_movement(variant_id=variant_id, stock=item.stock, now=now))
    context.table(Product).insert(products)
    context.table(ProductVariant).insert(variants)
    context.table(StockMovement).insert(movements)
    product_in_stock_refresh(product_ids=product_ids)
    return product_ids


def _stock_movement(*, variant_id: int, stock: int, now: datetime) -> dict[str, Any]:
    return {
        "variant_id": variant_id,
        "delta": stock,
        "quantity_after": stock,
        "reason": StockMovement.Reason.IMPORT,
        "reference": retail.SOURCE,
        "note": "Stock on hand: one average month of the SKU's sales in the imported file",
        "created_at": now,
    }


def _slugs_free(candidates: list[str]) -> list[str]:
    """``candidates`` made unique among themselves and the existing products' slugs."""
    taken = set(Product.objects.filter(slug__in=candidates).values_list("slug", flat=True))
    free = []
    for candidate in candidates:
        slug, n = candidate or "item", 1
        while slug in taken:
            n += 1
            slug = f"{candidate}-{n}"
        taken.add(slug)
        free.append(slug)
    return free


def _catalog_load(*, seller_id: int) -> tuple[dict[str, tuple[int, int]], dict[int | None, tuple[int, str]]]:
    """The seller's SKUs (variant and product ids) and the commission rate of each product and of a line
    without one: the rate depends on the seller and the category, so it is asked once per category."""
    rows = ProductVariant.objects.filter(product__seller_id=seller_id).values_list(
        "sku", "pk", "product_id", "product__category_id"
    )
    variants: dict[str, tuple[int, int]] = {}
    category_rates: dict[int, tuple[int, str]] = {}
    rates: dict[int | None, tuple[int, str]] = {None: commission_rate(seller_id=seller_id, product_id=None)}
    for sku, variant_id, product_id, category_id in rows:
        variants[sku] = (variant_id, product_id)
        if category_id not in category_rates:
            category_rates[category_id] = commission_rate(seller_id=seller_id, product_id=product_id)
        rates[product_id] = category_rates[category_id]
    return variants, rates


def _catalog_follow_up(*, seller_id: int, new_product_ids: Sequence[int]) -> None:
    """Best-selling counts from the imported lines, search documents of the new products, and a new
    listing generation so the storefront shows them."""
    product, variant, line = (m._meta.db_table for m in (Product, ProductVariant, OrderLine))
    # Only table names from model metadata are interpolated; the seller is a parameter.
    sql = f"""
        UPDATE {product} SET sales_count = sold.units
        FROM (SELECT v.product_id AS product_id, SUM(l.quantity) AS units
              FROM {line} AS l JOIN {variant} AS v ON v.id = l.variant_id
              GROUP BY v.product_id) AS sold
        WHERE {product}.id = sold.product_id AND {product}.seller_id = %s
    """  # noqa: S608
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql, [seller_id])
        search.product_search_vector_refresh(product_ids=new_product_ids)
        listing_cache_invalidate()


# --- a batch of invoices --------------------------------------------------------------------------------


def _commit_without_waiting() -> None:
    """PostgreSQL: this transaction's commit does not wait for its WAL to reach the disk. A crash may
    lose the last batches (never half of one); the import is idempotent, so running it again adds them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit TO OFF")


@transaction.atomic
def _batch_import(*, batch: Sequence[retail.Invoice], context: _Context, report: ImportReport) -> None:
    _commit_without_waiting()
    plans: list[retail.PlannedOrder] = []
    cancellations: list[retail.PlannedCancellation] = []
    for invoice in batch:
        if invoice.kind is retail.InvoiceKind.ADJUSTMENT:
            report.adjustments += 1
        elif invoice.kind is retail.InvoiceKind.CANCELLATION:
            report.cancellations += 1
            if invoice.number in context.cancellations_done:
                report.cancellations_existing += 1
            else:
                cancellations.append(retail.cancellation_plan(invoice, exponent=context.exponent))
        elif (plan := retail.order_plan(invoice, titles=context.titles, exponent=context.exponent)) is None:
            report.stock_corrections += 1
        else:
            plans.append(plan)
    existing = set(
        Order.objects.filter(number__in=[plan.number for plan in plans]).values_list("number", flat=True)
    )
    report.orders_existing += len(existing)
    plans = [plan for plan in plans if plan.number not in existing]
    first_seen: dict[str, datetime] = {}
    for plan in plans:
        if plan.customer and plan.customer not in first_seen:
            first_seen[plan.customer] = plan.at
    users = _customers_ensure(first_seen=first_seen, context=context, report=report)
    if plans:
        _orders_write(plans=plans, users=users, context=context)
        report.orders_created += len(plans)
        report.gmv_amount += sum(plan.total for plan in plans)
    if cancellations:
        _cancellations_import(cancellations=cancellations, context=context, report=report)


def _customers_ensure(
    *, first_seen: dict[str, datetime], context: _Context, report: ImportReport
) -> dict[str, int]:
    """User id per CustomerID of the batch's orders, creating the shoppers not there yet."""
    emails = {retail.customer_email(customer): customer for customer in first_seen}
    users = {
        emails[email]: user_id
        for email, user_id in User.objects.filter(email__in=emails).values_list("email", "pk")
    }
    missing = [customer for customer in first_seen if customer not in users]
    ids = context.table(User).ids(len(missing))
    context.table(User).insert(
        [
            {
                "id": user_id,
                "password": make_password(None),
                "email": retail.customer_email(customer),
                "display_name": f"Customer {customer}",
                "date_joined": first_seen[customer],
            }
            for customer, user_id in zip(missing, ids, strict=True)
        ]
    )
    users.update(zip(missing, ids, strict=True))
    report.customers_created += len(missing)
    return users


@functools.lru_cache(maxsize=256)
def _country(name: str) -> str:
    """ISO code of a country name of the file ("" when it names none); by_name reads every country's
    translated name, so each of the few names is looked up once."""
    return COUNTRY_CODES.get(name) or countries.by_name(name) or ""


# --- orders ---------------------------------------------------------------------------------------------


@dataclass
class _OrderIds:
    order: int
    seller_order: int
    payment: int | None
    lines: list[int]
    commissions: list[int]


def _ids_allocate(plans: Sequence[retail.PlannedOrder], context: _Context) -> list[_OrderIds]:
    lines_count = sum(len(plan.lines) for plan in plans)
    orders = iter(context.table(Order).ids(len(plans)))
    parts = iter(context.table(SellerOrder).ids(len(plans)))
    payments = iter(context.table(Payment).ids(sum(1 for plan in plans if plan.total > 0)))
    lines = iter(context.table(OrderLine).ids(lines_count))
    commissions = iter(context.table(LineCommission).ids(lines_count))
    return [
        _OrderIds(
            order=next(orders),
            seller_order=next(parts),
            payment=next(payments) if plan.total > 0 else None,
            lines=list(islice(lines, len(plan.lines))),
            commissions=list(islice(commissions, len(plan.lines))),
        )
        for plan in plans
    ]


def _orders_write(*, plans: Sequence[retail.PlannedOrder], users: dict[str, int], context: _Context) -> None:
    """The orders of one batch and everything a paid, completed order has, then their ledger captures."""
    rows: dict[type[Model], list[dict[str, Any]]] = defaultdict(list)
    captures: list[ledger.EntrySpec] = []
    for plan, ids in zip(plans, _ids_allocate(plans, context), strict=True):
        rows[Order].append(_order_row(plan, ids, buyer_id=users.get(plan.customer), context=context))
        rows[SellerOrder].append(_seller_order_row(plan, ids, context=context))
        rows[OrderEvent].append(_order_event_row(plan, ids))
        commission = seller_amount = 0
        for line, line_id, commission_id in zip(plan.lines, ids.lines, ids.commissions, strict=True):
            variant_id, product_id = (
                context.variants.get(line.sku, (None, None)) if line.is_product else (None, None)
            )
            rows[OrderLine].append(
                _line_row(line, line_id, ids, variant_id=variant_id, product_id=product_id)
            )
            rate_bp, source = context.rates.get(product_id, context.rates[None])
            amount = commission_of(base=line.total, rate_bp=rate_bp)
            commission += amount
            seller_amount += line.total - amount
            rows[LineCommission].append(
                {
                    "id": commission_id,
                    "order_line_id": line_id,
                    "seller_order_id": ids.seller_order,
                    "seller_id": context.seller_id,
                    "base_amount": line.total,
                    "rate_bp": rate_bp,
                    "rate_source": source,
                    "amount": amount,
                    "currency": context.currency,
                    "created_at": plan.at,
                }
            )
        if ids.payment is not None:
            rows[Payment].append(_payment_row(plan, ids.payment, ids.order, context=context))
            allocation = ledger.SellerAllocation(
                seller_id=context.seller_id,
                seller_order_id=ids.seller_order,
                seller_amount=seller_amount + plan.shipping,
                commission=commission,
                promotions=0,
            )
            captures.append(
                ledger.capture_spec(
                    payment_id=ids.payment,
                    order_id=ids.order,
                    currency=context.currency,
                    amount=plan.total,
                    allocations=[allocation],
                    occurred_at=plan.at,
                )
            )
    for model in (Order, SellerOrder, OrderLine, Payment, LineCommission, OrderEvent):
        context.table(model).insert(rows[model])
    ledger.entries_post_batch(captures)


def _order_row(
    plan: retail.PlannedOrder, ids: _OrderIds, *, buyer_id: int | None, context: _Context
) -> dict[str, Any]:
    return {
        "id": ids.order,
        "number": plan.number,
        "buyer_id": buyer_id,
        "email": plan.email,
        "status": OrderStatus.COMPLETED,
        "currency": context.currency,
        "subtotal_amount": plan.subtotal,
        "shipping_amount": plan.shipping,
        "discount_amount": plan.discount,
        "total_amount": plan.total,
        "tax_amount": 0,
        "placed_at": plan.at,
        "paid_at": plan.at,
        "shipping_address": {"country": _country(plan.country), "source_country": plan.country},
        "created_at": plan.at,
        "updated_at": plan.at,
    }


def _seller_order_row(plan: retail.PlannedOrder, ids: _OrderIds, *, context: _Context) -> dict[str, Any]:
    return {
        "id": ids.seller_order,
        "order_id": ids.order,
        "seller_id": context.seller_id,
        "status": OrderStatus.COMPLETED,
        "subtotal_amount": plan.subtotal,
        "shipping_amount": plan.shipping,
        "discount_amount": plan.discount,
        "total_amount": plan.total,
        "tax_amount": 0,
        "status_changed_at": plan.at,
        "shipped_at": plan.at,
        "delivered_at": plan.at,
        "completed_at": plan.at,
        "created_at": plan.at,
        "updated_at": plan.at,
    }


def _line_row(
    line: retail.PlannedLine, line_id: int, ids: _OrderIds, *, variant_id: int | None, product_id: int | None
) -> dict[str, Any]:
    return {
        "id": line_id,
        "seller_order_id": ids.seller_order,
        "variant_id": variant_id,
        "product_id_snapshot": product_id,
        "title": line.title,
        "sku": line.sku,
        "unit_price_amount": line.unit,
        "quantity": line.quantity,
        "discount_amount": line.discount,
        "tax_amount": 0,
        "total_amount": line.total,
    }


def _payment_row(
    plan: retail.PlannedOrder, payment_id: int, order_id: int, *, context: _Context
) -> dict[str, Any]:
    return {
        "id": payment_id,
        "order_id": order_id,
        "provider": PAYMENT_PROVIDER,
        "status": Payment.Status.CAPTURED,
        "amount": plan.total,
        "currency": context.currency,
        "reference": f"{retail.SOURCE}:{plan.invoice}",
        "captured_amount": plan.total,
        "payment_method_summary": f"Online Retail invoice {plan.invoice}",
        "provider_updated_at": plan.at,
        "authorised_at": plan.at,
        "captured_at": plan.at,
        "created_at": plan.at,
        "updated_at": plan.at,
    }


def _order_event_row(plan: retail.PlannedOrder, ids: _OrderIds) -> dict[str, Any]:
    return {
        "order_id": ids.order,
        "kind": OrderEvent.Kind.STATUS,
        "from_status": "",
        "to_status": OrderStatus.COMPLETED,
        "actor_kind": OrderEvent.Actor.SYSTEM,
        "reason": f"Imported: Online Retail invoice {plan.invoice}",
        "data": {"source": retail.SOURCE, "invoice": plan.invoice},
        "created_at": plan.at,
    }


# --- cancellations --------------------------------------------------------------------------------------


def _cancellations_done() -> set[str]:
    """Cancellation invoices already imported, read from their refunds' keys (``online-retail:C…:OR-…``)."""
    keys = Refund.objects.filter(idempotency_key__startswith=REFUND_KEY_PREFIX).values_list(
        "idempotency_key", flat=True
    )
    return {key.split(":")[1] for key in keys}


def _cancellations_import(
    *, cancellations: Sequence[retail.PlannedCancellation], context: _Context, report: ImportReport
) -> None:
    """Match each cancellation against its customer's earlier lines (read once for the batch), then write
    the refunds they give."""
    emails = {retail.customer_email(c.customer): c.customer for c in cancellations if c.customer}
    users = {
        emails[email]: user_id
        for email, user_id in User.objects.filter(email__in=emails).values_list("email", "pk")
    }
    skus = {sku for c in cancellations for sku, _units, _amount in c.items}
    lines, parts = _open_lines_load(user_ids=set(users.values()), skus=skus, context=context)
    refunds: list[tuple[retail.PlannedCancellation, retail.RefundPlan]] = []
    for cancellation in sorted(cancellations, key=lambda c: (c.at, c.invoice)):
        user_id = users.get(cancellation.customer)
        plans, unmatched = retail.cancellation_match(
            cancellation,
            lines=lines.get(user_id, []) if user_id is not None else [],
            parts=parts.get(user_id, []) if user_id is not None else [],
        )
        for item in unmatched:
            report.unmatched_rows[item.reason] += 1
            report.unmatched_amount[item.reason] += item.amount
        refunds.extend((cancellation, plan) for plan in plans if plan.amount > 0)
    if refunds:
        _refunds_write(refunds=refunds, context=context, report=report)
        context.cancellations_done.update(cancellation.invoice for cancellation, _plan in refunds)


def _open_lines_load(
    *, user_ids: set[int], skus: set[str], context: _Context
) -> tuple[dict[int, list[retail.OpenLine]], dict[int, list[retail.OpenPart]]]:
    """The customers' imported lines of these SKUs and their orders' shipping, with what earlier refunds
    (succeeded or pending) took of them. Read by seller order ids (indexed), not by joins."""
    part_rows = SellerOrder.objects.filter(
        seller_id=context.seller_id, order__buyer_id__in=user_ids
    ).values_list("pk", "order__placed_at", "shipping_amount", "order__buyer_id")
    parts: dict[int, list[retail.OpenPart]] = defaultdict(list)
    by_part: dict[int, tuple[int, datetime]] = {}  # seller order -> buyer, placed at
    shipping_parts: dict[int, retail.OpenPart] = {}
    for part_id, at, shipping, buyer_id in part_rows:
        by_part[part_id] = (buyer_id, at)
        if shipping > 0:
            shipping_parts[part_id] = retail.OpenPart(part_id, at, shipping)
            parts[buyer_id].append(shipping_parts[part_id])
    lines: dict[int, list[retail.OpenLine]] = defaultdict(list)
    by_id: dict[int, retail.OpenLine] = {}
    rows = OrderLine.objects.filter(seller_order_id__in=by_part, sku__in=skus).values_list(
        "pk", "seller_order_id", "sku", "quantity", "total_amount"
    )
    for line_id, part_id, sku, quantity, total in rows:
        buyer_id, at = by_part[part_id]
        by_id[line_id] = retail.OpenLine(line_id, part_id, sku, at, quantity, total, commission=0)
        lines[buyer_id].append(by_id[line_id])
    commissions = LineCommission.objects.filter(order_line_id__in=by_id).values_list(
        "order_line_id", "amount"
    )
    for line_id, amount in commissions:
        by_id[line_id].commission = amount
    refunded = Refund.objects.filter(seller_order_id__in=by_part).exclude(status=Refund.Status.FAILED)
    for part_id, shipping, items in refunded.values_list("seller_order_id", "shipping_amount", "lines"):
        if part_id in shipping_parts:
            shipping_parts[part_id].refunded_shipping += shipping
        for item in items or []:
            line = by_id.get(int(item["order_line"]))
            if line is not None:
                line.refunded_quantity += int(item.get("quantity") or 0)
                line.refunded_amount += int(item["amount"])
    return lines, parts


def _refunds_write(
    *,
    refunds: Sequence[tuple[retail.PlannedCancellation, retail.RefundPlan]],
    context: _Context,
    report: ImportReport,
) -> None:
    """Succeeded refunds with their ledger entries and timeline notes; then the payments' refunded sums."""
    part_ids = {plan.seller_order_id for _cancellation, plan in refunds}
    parts = {
        part_id: (order_id, number)
        for part_id, order_id, number in SellerOrder.objects.filter(pk__in=part_ids).values_list(
            "pk", "order_id", "order__number"
        )
    }
    payments = dict(
        Payment.objects.filter(order_id__in=[order_id for order_id, _number in parts.values()])
        .filter(provider=PAYMENT_PROVIDER)
        .values_list("order_id", "pk")
    )
    pending = ledger.seller_orders_pending_balances(seller_order_ids=part_ids)
    ids = context.table(Refund).ids(len(refunds))
    rows, notes, entries = [], [], []
    for (cancellation, plan), refund_id in zip(refunds, ids, strict=True):
        order_id, number = parts[plan.seller_order_id]
        payment_id = payments[order_id]
        rows.append(_refund_row(cancellation, plan, refund_id, payment_id, number, context=context))
        notes.append(
            _refund_note_row(plan, refund_id, order_id, at=cancellation.at, currency=context.currency)
        )
        entries.append(
            ledger.refund_spec(
                refund_id=refund_id,
                payment_id=payment_id,
                order_id=order_id,
                currency=context.currency,
                amount=plan.amount,
                seller_id=context.seller_id,
                seller_order_id=plan.seller_order_id,
                seller_amount=plan.seller_amount,
                commission=plan.commission,
                promotions=0,
                pending=pending.get(plan.seller_order_id, 0),
                occurred_at=cancellation.at,
            )
        )
        pending[plan.seller_order_id] = pending.get(plan.seller_order_id, 0) - min(
            max(0, pending.get(plan.seller_order_id, 0)), plan.seller_amount
        )
        report.refund_amount += plan.amount
    context.table(Refund).insert(rows)
    context.table(OrderEvent).insert(notes)
    ledger.entries_post_batch(entries)
    _payments_refunded_sync(payment_ids=set(payments.values()))
    report.refunds_created += len(rows)


def _refund_row(
    cancellation: retail.PlannedCancellation,
    plan: retail.RefundPlan,
    refund_id: int,
    payment_id: int,
    number: str,
    *,
    context: _Context,
) -> dict[str, Any]:
    return {
        "id": refund_id,
        "payment_id": payment_id,
        "seller_order_id": plan.seller_order_id,
        "amount": plan.amount,
        "shipping_amount": plan.shipping,
        "currency": context.currency,
        "reason": Refund.Reason.RETURN,
        "note": f"Online Retail cancellation invoice {cancellation.invoice}",
        "status": Refund.Status.SUCCEEDED,
        "idempotency_key": f"{REFUND_KEY_PREFIX}{cancellation.invoice}:{number}",
        "lines": plan.lines,
        "restock": False,
        "seller_amount": plan.seller_amount,
        "commission_amount": plan.commission,
        "promotions_amount": 0,
        "succeeded_at": cancellation.at,
        "created_at": cancellation.at,
        "updated_at": cancellation.at,
    }


def _refund_note_row(
    plan: retail.RefundPlan, refund_id: int, order_id: int, *, at: datetime, currency: str
) -> dict[str, Any]:
    """The timeline note a settled refund leaves (as ``payments.services._refund_note`` writes it)."""
    params = {
        "amount": money_param(plan.amount, currency),
        "why": choice_param("payments.Refund.reason", Refund.Reason.RETURN),
    }
    return {
        "order_id": order_id,
        "seller_order_id": plan.seller_order_id,
        "kind": OrderEvent.Kind.NOTE,
        "actor_kind": OrderEvent.Actor.SYSTEM,
        "reason": reason_stored_text(code=ReasonCode.REFUND_SUCCEEDED, params=params),
        "reason_code": ReasonCode.REFUND_SUCCEEDED,
        "reason_params": params,
        "data": {
            "refund_id": refund_id,
            "amount": plan.amount,
            "currency": currency,
            "status": Refund.Status.SUCCEEDED,
            "reason": Refund.Reason.RETURN,
        },
        "created_at": at,
    }


def _payments_refunded_sync(*, payment_ids: set[int]) -> None:
    """Each payment's refunded amount is the sum of its succeeded refunds; its status follows (these
    payments have at least one, so they are partially or fully refunded)."""
    refunded = Coalesce(
        Subquery(
            Refund.objects.filter(payment_id=OuterRef("pk"), status=Refund.Status.SUCCEEDED)
            .values("payment_id")
            .annotate(total=Sum("amount"))
            .values("total"),
            output_field=IntegerField(),
        ),
        Value(0),
    )
    Payment.objects.filter(pk__in=payment_ids).update(
        refunded_amount=refunded,
        status=Case(
            When(captured_amount__lte=refunded, then=Value(Payment.Status.REFUNDED)),
            When(captured_amount__gt=refunded, then=Value(Payment.Status.PARTIALLY_REFUNDED)),
            default=F("status"),
        ),
    )
