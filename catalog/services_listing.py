"""Seller-portal writes to listings: create and edit a product with its SKUs, seller status actions,
bulk actions and manual stock changes.

Built on the primitives in ``catalog.services`` and ``catalog.transitions``: every stock change still goes
through ``stock_adjust`` (so it leaves a ``StockMovement``), every status change through
``product_transition`` (so it leaves a ``ProductStatusEvent``). Every function here takes the acting
seller's id and refuses objects of other sellers as "not found".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from catalog.attributes import (
    PRODUCT,
    VARIANT,
    AttributeValue,
    attribute_specs_scoped,
    attribute_values_clean,
    attribute_values_known,
)
from catalog.domain_events import ListingChanged
from catalog.locks import (
    product_qs_select_for_update,
    products_lock,
    variant_qs_select_for_update,
    variants_products_lock,
)
from catalog.models import Category, Product, ProductVariant, StockMovement, Tag
from catalog.richtext import description_clean
from catalog.search import product_search_vector_refresh
from catalog.selectors_attributes import category_attribute_specs
from catalog.services import STOCK_MAX, listing_cache_invalidate, product_price_sync, stock_adjust
from catalog.services_moderation import product_publish_screened
from catalog.transitions import IllegalTransition, product_transition
from common.domain_events import publish as event_publish
from common.exceptions import ApplicationError
from common.money import Money
from common.services import model_update

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

Status = Product.Status
Reason = StockMovement.Reason

# 1,000,000.00 in a two-decimal currency: above this a typo is far likelier than a real price.
PRICE_CAP_AMOUNT = 100_000_000
MAX_TAGS = 20
# Any "<" that opens a tag, a comment or a declaration; "a < b" stays allowed.
_HTML_TAG = re.compile(r"<\s*[a-zA-Z/!?]")

# What a seller may do by hand, and from which statuses. PENDING_REVIEW belongs to screening/operators,
# so a seller cannot publish past it even though the lifecycle table allows pending -> active.
SELLER_ACTIONS: dict[str, tuple[str, frozenset[str]]] = {
    "publish": (Status.ACTIVE, frozenset({Status.DRAFT, Status.DELISTED, Status.SOLD_OUT})),
    "delist": (Status.DELISTED, frozenset({Status.ACTIVE, Status.SOLD_OUT})),
}
SELLER_STOCK_REASONS = frozenset({Reason.RESTOCK, Reason.ADJUSTMENT, Reason.DAMAGE})


def listing_currency() -> str:
    """The currency listings are priced in: ``settings.DEFAULT_CURRENCY``, the one the cart sells in (read
    per call, so it is never frozen at import time)."""
    return cast(str, settings.DEFAULT_CURRENCY)


class ListingNotFound(ApplicationError):
    pass


class DuplicateSku(ApplicationError):
    pass


@dataclass(frozen=True, slots=True)
class VariantInput:
    """One SKU row as the seller submitted it; ``id`` is set for an existing SKU of the product.
    ``attributes`` are its variant-scope values; ``None`` keeps an existing SKU's values (re-checked
    when the listing moves to another category) and gives a new SKU none."""

    sku: str
    price_amount: int
    stock: int
    name: str = ""
    compare_at_amount: int | None = None
    id: int | None = None
    attributes: Mapping[str, object] | None = None


@dataclass
class BulkOutcome:
    done: list[int] = field(default_factory=list)
    refused: list[tuple[str, str | _StrPromise]] = field(default_factory=list)  # (product title, why)


# --- checks -----------------------------------------------------------------------------------------


def title_has_html(title: str) -> bool:
    return bool(_HTML_TAG.search(title))


def _check_listing(*, title: str, category_id: int, condition: str) -> None:
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("A title is required.")]
    elif title_has_html(title):
        errors["title"] = [_("HTML is not allowed in titles.")]
    if not Category.objects.filter(pk=category_id, is_active=True, numchild=0).exists():
        errors["category"] = [_("Choose an active category that has no sub-categories.")]
    if condition not in Product.Condition.values:
        errors["condition"] = [_("Unknown condition.")]
    if errors:
        raise ApplicationError(_("Please correct the listing."), extra=errors)


def _check_variants(*, variants: Sequence[VariantInput]) -> None:
    """Every row's rules, reported per row index as ``extra["variants"][index][field]``."""
    if not variants:
        raise ApplicationError(_("A listing needs at least one SKU."), extra={"variants": {}})
    rows: dict[int, dict[str, list[str]]] = {}
    seen: dict[str, int] = {}
    for index, variant in enumerate(variants):
        errors: dict[str, list[str]] = {}
        if not variant.sku.strip():
            errors["sku"] = [_("A SKU is required.")]
        elif variant.sku in seen:
            errors["sku"] = [_("This SKU appears twice in the form.")]
        seen.setdefault(variant.sku, index)
        if variant.price_amount < 0:
            errors["price"] = [_("The price cannot be negative.")]
        elif variant.price_amount > PRICE_CAP_AMOUNT:
            errors["price"] = [_("The price cannot be above 1,000,000.00.")]
        if variant.compare_at_amount is not None and variant.compare_at_amount <= variant.price_amount:
            errors["compare_at_price"] = [_("The compare-at price must be higher than the price.")]
        elif variant.compare_at_amount is not None and variant.compare_at_amount > PRICE_CAP_AMOUNT:
            errors["compare_at_price"] = [_("The price cannot be above 1,000,000.00.")]
        if variant.stock < 0:
            errors["stock"] = [_("Stock cannot be negative.")]
        elif variant.stock > STOCK_MAX:
            errors["stock"] = [_("Stock cannot be above %(max)s units.") % {"max": f"{STOCK_MAX:,}"}]
        if errors:
            rows[index] = errors
    own_ids = [v.id for v in variants if v.id is not None]
    taken = set(
        ProductVariant.objects.filter(sku__in=list(seen))
        .exclude(pk__in=own_ids)
        .values_list("sku", flat=True)
    )
    for sku in taken:
        rows.setdefault(seen[sku], {})["sku"] = [_("This SKU is already in use.")]
    if rows:
        error_class = DuplicateSku if taken else ApplicationError
        raise error_class(_("Please correct the SKUs."), extra={"variants": rows})


@dataclass(frozen=True, slots=True)
class _CheckedAttributes:
    product: dict[str, AttributeValue] | None  # the listing's values to store; None leaves the stored ones
    rows: list[VariantInput]  # the rows with their SKU values to store (None leaves a SKU's values)
    # new values of the SKUs not in the rows (after a category move)
    others: dict[int, dict[str, AttributeValue]]


def _check_attributes(
    *,
    category_id: int,
    variants: Sequence[VariantInput],
    attributes: Mapping[str, object] | None = None,
    product: Product | None = None,
    product_scope: bool = True,
) -> _CheckedAttributes:
    """Check the listing's values (product scope) and each row's (variant scope) against the effective
    attributes of ``category_id``; ``product`` is the stored listing when editing one.

    ``None`` keeps what is stored: untouched while the category stays; when the listing moves to another
    category its values are re-checked there: values of codes the new category does not define are
    dropped, a required attribute without a value is an error. Errors name the attribute:
    ``extra["attributes"][code]``, ``extra["variants"][row index]["attributes"][code]`` and, for a SKU
    the rows leave out, ``extra["skus"][sku]["attributes"][code]``."""
    specs = category_attribute_specs(category_id=category_id)
    product_specs = attribute_specs_scoped(specs, PRODUCT)
    variant_specs = attribute_specs_scoped(specs, VARIANT)
    moved = product is not None and product.category_id != category_id
    errors: dict[str, dict[Any, Any]] = {}

    product_values: dict[str, AttributeValue] | None = None
    if product_scope and (attributes is not None or product is None or moved):
        if attributes is None:
            attributes = attribute_values_known(product_specs, product.attributes) if product else {}
        product_values, product_errors = attribute_values_clean(product_specs, attributes)
        if product_errors:
            errors["attributes"] = product_errors

    stored: dict[int, tuple[str, dict[str, Any]]] = {}
    if moved:
        rows_stored = cast(Product, product).variants.values_list("pk", "sku", "attributes")
        stored = {pk: (sku, values) for pk, sku, values in rows_stored}
    rows: list[VariantInput] = []
    for index, row in enumerate(variants):
        raw = row.attributes
        if raw is None and row.id is not None:
            if not moved:
                rows.append(row)
                continue
            raw = attribute_values_known(variant_specs, stored.get(row.id, ("", {}))[1])
        values, row_errors = attribute_values_clean(variant_specs, raw or {})
        if row_errors:
            errors.setdefault("variants", {})[index] = {"attributes": row_errors}
        rows.append(replace(row, attributes=values))

    others: dict[int, dict[str, AttributeValue]] = {}
    listed = {row.id for row in variants}
    for pk, (sku, stored_values) in stored.items():
        if pk in listed:
            continue
        known = attribute_values_known(variant_specs, stored_values)
        others[pk], other_errors = attribute_values_clean(variant_specs, known)
        if other_errors:
            errors.setdefault("skus", {})[sku] = {"attributes": other_errors}
    if errors:
        raise ApplicationError(_("Please correct the attributes."), extra=errors)
    return _CheckedAttributes(product=product_values, rows=rows, others=others)


def _full_clean(instance: Product | ProductVariant) -> None:
    try:
        instance.full_clean()
    except ValidationError as exc:
        raise ApplicationError(_("Please correct the listing."), extra=exc.message_dict) from exc


def _slug_unique(title: str) -> str:
    """A free slug from the title; the unique constraint still guards a concurrent twin (-> error)."""
    base = (slugify(title) or "listing")[:200].strip("-") or "listing"
    candidate, n = base, 1
    while Product.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _tags_get_or_create(names: Iterable[str]) -> list[Tag]:
    tags: dict[str, Tag] = {}
    for raw in names:
        name = raw.strip()[:50]
        slug = slugify(name)[:60]
        if not slug or slug in tags:
            continue
        tags[slug], _created = Tag.objects.get_or_create(slug=slug, defaults={"name": name})
    if len(tags) > MAX_TAGS:
        raise ApplicationError(
            _("Use at most %(n)d tags.") % {"n": MAX_TAGS}, extra={"tags": [f"more than {MAX_TAGS}"]}
        )
    return list(tags.values())


def _product_for_seller(*, seller_id: int, product_id: int, lock: bool = False) -> Product:
    """The seller's listing; ``lock``: its row locked, before any of its SKUs (``catalog.locks``)."""
    rows = product_qs_select_for_update() if lock else Product.objects.all()
    product = rows.filter(pk=product_id, seller_id=seller_id).first()
    if product is None:
        raise ListingNotFound(_("This listing does not exist."), extra={"product": ["not found"]})
    return product


# --- SKUs -------------------------------------------------------------------------------------------


@transaction.atomic
def variant_create(
    *,
    seller_id: int,
    product_id: int,
    actor_id: int | None,
    sku: str,
    price_amount: int,
    stock: int,
    name: str = "",
    compare_at_amount: int | None = None,
    position: int = 0,
    attributes: Mapping[str, object] | None = None,
) -> ProductVariant:
    """Add a SKU; its opening stock is written as an INITIAL stock movement, never set directly.
    ``attributes`` are its variant-scope values, checked against the listing's category."""
    # Locked: its opening stock and "from" price write the product (``catalog.locks``: product first).
    product = _product_for_seller(seller_id=seller_id, product_id=product_id, lock=True)
    row = VariantInput(
        sku=sku,
        name=name,
        price_amount=price_amount,
        compare_at_amount=compare_at_amount,
        stock=stock,
        attributes=attributes,
    )
    _check_variants(variants=[row])
    checked = _check_attributes(
        category_id=product.category_id, variants=[row], product=product, product_scope=False
    )
    variant = ProductVariant(
        product=product,
        sku=sku,
        name=name,
        attributes=checked.rows[0].attributes,
        price_amount=price_amount,
        compare_at_amount=compare_at_amount,
        currency=product.currency,
        stock=0,
        position=position,
    )
    _full_clean(variant)
    try:
        with transaction.atomic():
            variant.save()
    except IntegrityError as exc:  # a concurrent seller took the SKU between check and insert
        raise DuplicateSku(
            _("Please correct the SKUs."),
            extra={"variants": {0: {"sku": [_("This SKU is already in use.")]}}},
        ) from exc
    if stock > 0:
        stock_adjust(variant_id=variant.id, delta=stock, reason=Reason.INITIAL, actor_id=actor_id)
        variant.stock = stock
    product_price_sync(product_id=product.id)
    return variant


@transaction.atomic
def variant_update(
    *,
    seller_id: int,
    variant_id: int,
    actor_id: int | None,
    sku: str,
    price_amount: int,
    stock: int,
    name: str = "",
    compare_at_amount: int | None = None,
    attributes: Mapping[str, object] | None = None,
) -> ProductVariant:
    """Edit a SKU. ``stock`` is the new absolute level: the difference to the (locked) current level is
    recorded as an ADJUSTMENT movement, so a reservation made meanwhile is not silently overwritten.
    ``attributes`` replace its variant-scope values (checked against the listing's category); ``None``
    leaves them."""
    # The listing, then the SKU (``catalog.locks``); locking both in one joined statement took them in
    # whatever order the join produced, and FOR UPDATE.
    if not variants_products_lock(variant_ids=[variant_id], seller_id=seller_id):
        raise ListingNotFound(_("This SKU does not exist."), extra={"variant": ["not found"]})
    variant = variant_qs_select_for_update().filter(pk=variant_id).first()
    if variant is None:
        raise ListingNotFound(_("This SKU does not exist."), extra={"variant": ["not found"]})
    row = VariantInput(
        id=variant.id,
        sku=sku,
        name=name,
        price_amount=price_amount,
        compare_at_amount=compare_at_amount,
        stock=stock,
        attributes=attributes,
    )
    _check_variants(variants=[row])
    fields = ["sku", "name", "price_amount", "compare_at_amount"]
    data: dict[str, object] = {
        "sku": sku,
        "name": name,
        "price_amount": price_amount,
        "compare_at_amount": compare_at_amount,
    }
    if attributes is not None:
        product = variant.product
        checked = _check_attributes(
            category_id=product.category_id, variants=[row], product=product, product_scope=False
        )
        fields.append("attributes")
        data["attributes"] = checked.rows[0].attributes
    try:
        model_update(instance=variant, fields=fields, data=data)
    except ValidationError as exc:
        raise ApplicationError(
            _("Please correct the SKUs."), extra={"variants": {0: exc.message_dict}}
        ) from exc
    delta = stock - variant.stock
    if delta:
        stock_adjust(variant_id=variant.id, delta=delta, reason=Reason.ADJUSTMENT, actor_id=actor_id)
        variant.stock = stock
    product_price_sync(product_id=variant.product_id)
    return variant


def _variants_write(
    *, seller_id: int, product: Product, actor_id: int | None, variants: Sequence[VariantInput]
) -> None:
    """Write the rows in order; a refusal names the row index the form showed it at."""
    existing = set(product.variants.values_list("pk", flat=True))
    start = len(existing)
    for index, row in enumerate(variants):
        try:
            if row.id is None:
                variant_create(
                    seller_id=seller_id,
                    product_id=product.id,
                    actor_id=actor_id,
                    sku=row.sku,
                    name=row.name,
                    price_amount=row.price_amount,
                    compare_at_amount=row.compare_at_amount,
                    stock=row.stock,
                    position=start + index,
                    attributes=row.attributes,
                )
            elif row.id in existing:
                variant_update(
                    seller_id=seller_id,
                    variant_id=row.id,
                    actor_id=actor_id,
                    sku=row.sku,
                    name=row.name,
                    price_amount=row.price_amount,
                    compare_at_amount=row.compare_at_amount,
                    stock=row.stock,
                    attributes=row.attributes,
                )
            else:
                raise ListingNotFound(_("This SKU does not exist."), extra={"variant": ["not found"]})
        except ApplicationError as exc:
            per_row = exc.extra.get("variants", {}).get(0)
            if per_row is not None:
                exc.extra["variants"] = {index: per_row}
            raise


def _variants_attributes_replace(*, values_by_id: Mapping[int, Mapping[str, object]]) -> None:
    """Store re-checked values of SKUs the submitted rows did not mention (after a category move)."""
    variants = list(ProductVariant.objects.filter(pk__in=list(values_by_id)).order_by("pk"))
    now = timezone.now()
    for variant in variants:
        variant.attributes = values_by_id[variant.pk]
        variant.updated_at = now
    ProductVariant.objects.bulk_update(variants, ["attributes", "updated_at"])


def _publish_if_asked(*, product: Product, actor_id: int | None, publish: bool) -> None:
    if publish and product.status != Status.ACTIVE:
        product_seller_transition(
            seller_id=product.seller_id, product_id=product.id, action="publish", actor_id=actor_id
        )


# --- products ---------------------------------------------------------------------------------------


@transaction.atomic
def product_create(
    *,
    seller_id: int,
    actor_id: int | None,
    title: str,
    category_id: int,
    variants: Sequence[VariantInput],
    description: str = "",
    brand: str = "",
    condition: str = Product.Condition.NEW,
    tag_names: Sequence[str] = (),
    publish: bool = False,
    attributes: Mapping[str, object] | None = None,
) -> Product:
    """A new DRAFT listing with its SKUs (and published straight away if asked). All or nothing.
    ``attributes`` are the listing's product-scope values, each row's ``attributes`` its SKU's."""
    _check_listing(title=title, category_id=category_id, condition=condition)
    _check_variants(variants=variants)
    checked = _check_attributes(category_id=category_id, variants=variants, attributes=attributes)
    product = Product(
        seller_id=seller_id,
        category_id=category_id,
        attributes=checked.product or {},
        title=title.strip(),
        slug=_slug_unique(title),
        description=description_clean(description),
        brand=brand.strip(),
        condition=condition,
        status=Status.DRAFT,
        currency=listing_currency(),
    )
    _full_clean(product)
    product.save()
    product.tags.set(_tags_get_or_create(tag_names))
    _variants_write(seller_id=seller_id, product=product, actor_id=actor_id, variants=checked.rows)
    _publish_if_asked(product=product, actor_id=actor_id, publish=publish)
    product_search_vector_refresh(product_ids=[product.id])
    listing_cache_invalidate()
    event_publish(ListingChanged(product_id=product.pk, change="created"))
    product.refresh_from_db()
    return product


@transaction.atomic
def product_update(
    *,
    seller_id: int,
    product_id: int,
    actor_id: int | None,
    title: str,
    category_id: int,
    variants: Sequence[VariantInput],
    description: str = "",
    brand: str = "",
    condition: str = Product.Condition.NEW,
    tag_names: Sequence[str] = (),
    publish: bool = False,
    attributes: Mapping[str, object] | None = None,
) -> Product:
    """Edit a listing and its SKUs (rows with an id update, rows without one are added). The slug stays,
    so links already shared keep working. All or nothing. ``attributes`` replace the product-scope values
    (``None`` keeps them); a new category re-checks every stored value (see ``_check_attributes``)."""
    product = _product_for_seller(seller_id=seller_id, product_id=product_id, lock=True)
    _check_listing(title=title, category_id=category_id, condition=condition)
    _check_variants(variants=variants)
    checked = _check_attributes(
        category_id=category_id, variants=variants, attributes=attributes, product=product
    )
    fields = ["title", "category_id", "description", "brand", "condition"]
    data: dict[str, object] = {
        "title": title.strip(),
        "category_id": category_id,
        "description": description_clean(description),
        "brand": brand.strip(),
        "condition": condition,
    }
    if checked.product is not None:
        fields.append("attributes")
        data["attributes"] = checked.product
    try:
        model_update(instance=product, fields=fields, data=data)
    except ValidationError as exc:
        raise ApplicationError(_("Please correct the listing."), extra=exc.message_dict) from exc
    _variants_attributes_replace(values_by_id=checked.others)
    product.tags.set(_tags_get_or_create(tag_names))
    _variants_write(seller_id=seller_id, product=product, actor_id=actor_id, variants=checked.rows)
    _publish_if_asked(product=product, actor_id=actor_id, publish=publish)
    product_search_vector_refresh(product_ids=[product.id])
    listing_cache_invalidate()
    event_publish(ListingChanged(product_id=product.pk, change="updated"))
    product.refresh_from_db()
    return product


@transaction.atomic
def product_seller_transition(
    *, seller_id: int, product_id: int, action: str, actor_id: int | None
) -> Product:
    """Publish or delist one of the seller's listings through ``product_transition``."""
    if action not in SELLER_ACTIONS:
        raise ApplicationError(_("Unknown action."), extra={"action": [f"unknown: {action}"]})
    to_status, allowed_from = SELLER_ACTIONS[action]
    product = _product_for_seller(seller_id=seller_id, product_id=product_id, lock=True)
    if product.status not in allowed_from:
        raise IllegalTransition(
            _("A listing cannot go from “%(from)s” to “%(to)s”.")
            % {"from": Status(product.status).label, "to": Status(to_status).label},
            extra={"status": [f"{product.status} -> {to_status} is not allowed for sellers"]},
        )
    if to_status == Status.ACTIVE and not product.variants.exists():
        raise ApplicationError(_("Add at least one SKU before publishing."), extra={"variants": ["none"]})
    if action == "publish" and product.status != Status.SOLD_OUT:
        # A draft or delisted listing goes live only through screening (which may hold it for review);
        # a sold-out one was live a moment ago and is merely back in stock.
        return product_publish_screened(product_id=product.id, actor_id=actor_id, source="seller")
    return product_transition(product_id=product.id, to_status=to_status, actor_id=actor_id, reason="seller")


def product_bulk_transition(
    *, seller_id: int, product_ids: Iterable[int], action: str, actor_id: int | None
) -> BulkOutcome:
    """Each listing moves in its own transaction (no outer one on purpose): one refused listing is
    reported and does not hold back the rest. Ids of other sellers' listings are ignored."""
    outcome = BulkOutcome()
    products = Product.objects.filter(seller_id=seller_id, pk__in=list(product_ids)).order_by("pk")
    for pk, title in products.values_list("pk", "title"):
        try:
            product_seller_transition(seller_id=seller_id, product_id=pk, action=action, actor_id=actor_id)
        except ApplicationError as exc:
            outcome.refused.append((title, exc.message))
        else:
            outcome.done.append(pk)
    return outcome


@transaction.atomic
def product_bulk_price_change(
    *, seller_id: int, product_ids: Iterable[int], percent: Decimal, actor_id: int | None
) -> int:
    """Change every SKU price of the listed products by ``percent`` (the new price rounded half-up to the
    minor unit). All or nothing: if any SKU would leave the allowed range or reach its compare-at price,
    nothing changes. Returns how many SKUs changed."""
    percent = Decimal(percent)
    if percent == 0 or percent <= -100:
        raise ApplicationError(
            _("Choose a percentage above -100 and other than 0."), extra={"percent": [str(percent)]}
        )
    # The listings, then their SKUs (``catalog.locks``): the "from" prices are written after the SKUs.
    own = list(
        Product.objects.filter(seller_id=seller_id, pk__in=list(product_ids)).values_list("pk", flat=True)
    )
    products_lock(product_ids=own)
    variants = list(variant_qs_select_for_update().filter(product_id__in=own))
    refused: list[str] = []
    for variant in variants:
        new = Money(variant.price_amount, variant.currency).percent(100 + percent).amount
        compare_at = variant.compare_at_amount
        if new < 0 or new > PRICE_CAP_AMOUNT or (compare_at is not None and new >= compare_at):
            refused.append(variant.sku)
        variant.price_amount = new
    if refused:
        raise ApplicationError(
            _(
                "No prices changed: the new price is out of range or not below the compare-at price for %(skus)s."
            )
            % {"skus": ", ".join(refused)},
            extra={"sku": refused},
        )
    now = timezone.now()
    for variant in variants:
        variant.updated_at = now
    ProductVariant.objects.bulk_update(variants, ["price_amount", "updated_at"])
    for product_id in sorted({v.product_id for v in variants}):
        product_price_sync(product_id=product_id)
    return len(variants)


# --- stock ------------------------------------------------------------------------------------------


@transaction.atomic
def seller_stock_adjust(
    *, seller_id: int, variant_id: int, delta: int, reason: str, actor_id: int | None, note: str = ""
) -> StockMovement:
    """A seller's manual stock change: restocks add, damage removes, adjustments go either way."""
    if reason not in SELLER_STOCK_REASONS:
        raise ApplicationError(_("Unknown stock change reason."), extra={"reason": [f"unknown: {reason}"]})
    if reason == Reason.RESTOCK and delta < 0:
        raise ApplicationError(_("A restock must add stock."), extra={"delta": ["must be positive"]})
    if reason == Reason.DAMAGE and delta > 0:
        raise ApplicationError(
            _("Damaged or lost stock must be removed."), extra={"delta": ["must be negative"]}
        )
    if not ProductVariant.objects.filter(pk=variant_id, product__seller_id=seller_id).exists():
        raise ListingNotFound(_("This SKU does not exist."), extra={"variant": ["not found"]})
    return stock_adjust(variant_id=variant_id, delta=delta, reason=reason, actor_id=actor_id, note=note)


# --- partial edits (the seller API's PATCH) ---------------------------------------------------------

PATCHABLE_VARIANT_FIELDS = frozenset(
    {"sku", "name", "price_amount", "compare_at_amount", "stock", "attributes"}
)


def _variant_input_stored(variant: ProductVariant) -> VariantInput:
    """The SKU as stored (``attributes=None``: keep them)."""
    return VariantInput(
        id=variant.pk,
        sku=variant.sku,
        name=variant.name,
        price_amount=variant.price_amount,
        compare_at_amount=variant.compare_at_amount,
        stock=variant.stock,
    )


@transaction.atomic
def product_patch(
    *,
    seller_id: int,
    product_id: int,
    actor_id: int | None,
    title: str | None = None,
    category_id: int | None = None,
    description: str | None = None,
    brand: str | None = None,
    condition: str | None = None,
    tag_names: Sequence[str] | None = None,
    attributes: Mapping[str, object] | None = None,
    variants: Sequence[Mapping[str, object]] = (),
) -> Product:
    """Change only what is given (``None`` keeps the listing's value) through ``product_update``.

    Each of ``variants`` is a row of ``VariantInput`` fields: with the ``id`` of one of the listing's SKUs
    only the fields present change; without an id it is a new SKU. SKUs not mentioned stay as they are.
    The current values are read under the rows' locks, so writing back an unchanged stock level cannot
    undo a reservation an order made a moment earlier."""
    product = _product_for_seller(seller_id=seller_id, product_id=product_id, lock=True)
    stored = {v.pk: v for v in variant_qs_select_for_update().filter(product=product)}
    rows: list[VariantInput] = []
    for index, change in enumerate(variants):
        fields = {key: value for key, value in change.items() if key in PATCHABLE_VARIANT_FIELDS}
        variant_id = change.get("id")
        if variant_id is None:
            rows.append(VariantInput(**fields))  # type: ignore[arg-type]
        elif variant_id in stored:
            rows.append(replace(_variant_input_stored(stored[variant_id]), **fields))  # type: ignore[arg-type]
        else:
            raise ListingNotFound(
                _("This SKU does not exist."),
                extra={"variants": {index: {"id": [_("This SKU does not exist.")]}}},
            )
    if not rows and stored:
        # ``product_update`` takes at least one row; an unchanged one writes nothing.
        rows.append(_variant_input_stored(stored[min(stored)]))
    return product_update(
        seller_id=seller_id,
        product_id=product.id,
        actor_id=actor_id,
        title=product.title if title is None else title,
        category_id=product.category_id if category_id is None else category_id,
        description=product.description if description is None else description,
        brand=product.brand if brand is None else brand,
        condition=product.condition if condition is None else condition,
        tag_names=[tag.name for tag in product.tags.all()] if tag_names is None else tag_names,
        attributes=attributes,
        variants=rows,
    )


# --- operators' edits (the admin) -------------------------------------------------------------------


@transaction.atomic
def product_operator_update(
    *,
    product_id: int,
    actor_id: int,
    title: str,
    category_id: int,
    description: str = "",
    brand: str = "",
    condition: str = Product.Condition.NEW,
    tag_names: Sequence[str] = (),
) -> Product:
    """An operator corrects a listing's text, category, condition or tags with the seller's own checks and
    side effects (attributes re-checked on a category move, rich text sanitised, search document and
    listing caches refreshed). Its seller, SKUs and status are not an operator's edit."""
    if not User.objects.filter(pk=actor_id, is_active=True, is_staff=True).exists():
        raise ApplicationError(
            _("Only operators can edit other sellers' listings."), extra={"actor": ["not an operator"]}
        )
    seller_id = Product.objects.filter(pk=product_id).values_list("seller_id", flat=True).first()
    if seller_id is None:
        raise ListingNotFound(_("This listing does not exist."), extra={"product": ["not found"]})
    return product_patch(
        seller_id=seller_id,
        product_id=product_id,
        actor_id=actor_id,
        title=title,
        category_id=category_id,
        description=description,
        brand=brand,
        condition=condition,
        tag_names=tag_names,
    )
