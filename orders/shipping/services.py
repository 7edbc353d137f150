"""What a seller does after an order is placed — start processing, ship (in one or more parcels), post
tracking updates, cancel with a reason — plus the seller's shipping methods (the rules checkout prices
shipping with) and the tracking updates carriers post to their webhook.

Statuses move only through ``orders.lifecycle.transitions.seller_order_transition``. Shipping locks the order, then
the seller's part, FOR NO KEY UPDATE (``orders.lifecycle.locks``, the one lock order the transition service
takes them in too, so the two cannot deadlock), so two concurrent shipments of one part cannot ship more
units than were ordered.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import cast

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from common.exceptions import ApplicationError
from common.retry import retry_on_deadlock
from orders.lifecycle.locks import order_parts_lock
from orders.lifecycle.transitions import seller_order_transition
from orders.models import (
    OrderEvent,
    OrderLine,
    OrderStatus,
    SellerOrder,
    Shipment,
    ShipmentEvent,
    ShipmentLine,
    ShippingMethod,
)

Actor = OrderEvent.Actor

AMOUNT_MAX = 100_000_000  # minor units: 1,000,000.00 in a two-decimal currency
DELIVERY_DAYS_MAX = 365
POSITION_MAX = 32767
SHIPPABLE = (OrderStatus.PAID, OrderStatus.PROCESSING)
# A carrier's clock may run a little ahead of ours; an event further in the future would pin the
# shipment's status (the latest event wins), so it is refused.
FUTURE_TOLERANCE = timedelta(minutes=15)


# Carriers a seller is offered as suggestions; any other name may be typed. A shipment stores the
# carrier's name; its webhook URL names the slug of that name (``carrier_slug``): /carriers/ups/webhook/.
KNOWN_CARRIERS = ("DHL", "DPD", "FedEx", "GLS", "Royal Mail", "UPS", "USPS")
CARRIER_MAX_LENGTH = 60

TRACKING_STATUSES = (
    Shipment.Status.IN_TRANSIT,
    Shipment.Status.OUT_FOR_DELIVERY,
    Shipment.Status.DELIVERED,
    Shipment.Status.EXCEPTION,
)

_TRACKING_RE = re.compile(r"^[A-Z0-9-]{4,64}$")


def carrier_slug(name: str) -> str:
    """How the webhook URL names a carrier: "Royal Mail" -> "royal-mail"."""
    return slugify(name)


def carrier_name_normalize(value: str) -> str:
    """The carrier's name as stored: spacing tidied, and a known carrier in its usual spelling ("ups" ->
    "UPS"), so one carrier is one name and tracking numbers are unique per carrier."""
    name = " ".join(value.split())
    slug = carrier_slug(name)
    return next((known for known in KNOWN_CARRIERS if carrier_slug(known) == slug), name)


def shipments_for_tracking(*, carrier: str, tracking_number: str) -> list[Shipment]:
    """The shipments with this tracking number whose carrier has this slug (at most one, see
    ``shipment_create``)."""
    number = tracking_number_normalize(tracking_number)
    return [s for s in Shipment.objects.filter(tracking_number=number) if carrier_slug(s.carrier) == carrier]


def tracking_number_normalize(value: str) -> str:
    """Tracking numbers as carriers print them vary in spacing and case; stored without either."""
    return re.sub(r"\s+", "", value).upper()


# --- shipping methods ---------------------------------------------------------------------------------


def _shipping_method_check(
    *,
    name: str,
    flat_amount: int,
    per_kg_amount: int,
    free_over_amount: int | None,
    delivery_days_min: int,
    delivery_days_max: int,
    position: int,
) -> str:
    errors: dict[str, list[str]] = {}
    name = name.strip()
    if not name:
        errors["name"] = [_("Give the shipping method a name.")]
    elif len(name) > 80:
        errors["name"] = [_("Use at most 80 characters.")]
    amounts = {
        "flat_amount": flat_amount,
        "per_kg_amount": per_kg_amount,
        "free_over_amount": free_over_amount,
    }
    for field, amount in amounts.items():
        if amount is None:
            continue
        if not isinstance(amount, int) or isinstance(amount, bool) or not 0 <= amount <= AMOUNT_MAX:
            errors[field] = [_("Enter an amount between 0 and 1,000,000.")]
    for field, days in (("delivery_days_min", delivery_days_min), ("delivery_days_max", delivery_days_max)):
        if not isinstance(days, int) or not 0 <= days <= DELIVERY_DAYS_MAX:
            errors[field] = [_("Enter a number of days between 0 and 365.")]
    if not errors and delivery_days_min > delivery_days_max:
        errors["delivery_days_max"] = [_("The longest delivery time cannot be shorter than the shortest.")]
    if not isinstance(position, int) or not 0 <= position <= POSITION_MAX:
        errors["position"] = [_("Enter a position between 0 and 32767.")]
    if errors:
        first = next(iter(errors.values()))[0]
        raise ApplicationError(first, extra=errors)
    return name


@transaction.atomic
def shipping_method_create(
    *,
    seller_id: int,
    name: str,
    flat_amount: int,
    per_kg_amount: int = 0,
    free_over_amount: int | None = None,
    delivery_days_min: int = 2,
    delivery_days_max: int = 5,
    position: int = 0,
    is_active: bool = True,
    currency: str | None = None,
) -> ShippingMethod:
    name = _shipping_method_check(
        name=name,
        flat_amount=flat_amount,
        per_kg_amount=per_kg_amount,
        free_over_amount=free_over_amount,
        delivery_days_min=delivery_days_min,
        delivery_days_max=delivery_days_max,
        position=position,
    )
    method = ShippingMethod(
        seller_id=seller_id,
        name=name,
        flat_amount=flat_amount,
        per_kg_amount=per_kg_amount,
        free_over_amount=free_over_amount,
        currency=currency or settings.DEFAULT_CURRENCY,
        delivery_days_min=delivery_days_min,
        delivery_days_max=delivery_days_max,
        position=position,
        is_active=is_active,
    )
    method.full_clean()
    method.save()
    return method


@transaction.atomic
def shipping_method_update(
    *,
    seller_id: int,
    shipping_method_id: int,
    name: str,
    flat_amount: int,
    per_kg_amount: int,
    free_over_amount: int | None,
    delivery_days_min: int,
    delivery_days_max: int,
    position: int,
    is_active: bool = True,
) -> ShippingMethod:
    """Change a method. Orders already placed keep the amount and name they were charged (snapshots)."""
    method = _method_locked(seller_id=seller_id, shipping_method_id=shipping_method_id)
    method.name = _shipping_method_check(
        name=name,
        flat_amount=flat_amount,
        per_kg_amount=per_kg_amount,
        free_over_amount=free_over_amount,
        delivery_days_min=delivery_days_min,
        delivery_days_max=delivery_days_max,
        position=position,
    )
    method.flat_amount = flat_amount
    method.per_kg_amount = per_kg_amount
    method.free_over_amount = free_over_amount
    method.delivery_days_min = delivery_days_min
    method.delivery_days_max = delivery_days_max
    method.position = position
    method.is_active = is_active
    method.full_clean()
    method.save()
    return method


@transaction.atomic
def shipping_method_deactivate(*, seller_id: int, shipping_method_id: int) -> ShippingMethod:
    """Stop offering a method at checkout; kept (not deleted) because placed orders point at it."""
    method = _method_locked(seller_id=seller_id, shipping_method_id=shipping_method_id)
    if method.is_active:
        method.is_active = False
        method.save(update_fields=["is_active", "updated_at"])
    return method


def _method_locked(*, seller_id: int, shipping_method_id: int) -> ShippingMethod:
    method = (
        ShippingMethod.objects.select_for_update().filter(pk=shipping_method_id, seller_id=seller_id).first()
    )
    if method is None:
        raise ApplicationError(_("This shipping method does not exist."))
    return method


# --- the seller's part of an order --------------------------------------------------------------------


def _part_owned(*, seller_order_id: int, seller_id: int) -> None:
    if not SellerOrder.objects.filter(pk=seller_order_id, seller_id=seller_id).exists():
        raise ApplicationError(_("This order does not exist."))


def _part_locked(*, seller_order_id: int, seller_id: int) -> SellerOrder:
    """Lock the order, then the part (``orders.lifecycle.locks``: the one lock order, FOR NO KEY UPDATE)."""
    order_id = (
        SellerOrder.objects.filter(pk=seller_order_id, seller_id=seller_id)
        .values_list("order_id", flat=True)
        .first()
    )
    if order_id is None:
        raise ApplicationError(_("This order does not exist."))
    order, (part,) = order_parts_lock(order_id=order_id, seller_order_ids=[seller_order_id])
    part.order = order
    return part


@transaction.atomic
def seller_order_start_processing(
    *, seller_order_id: int, seller_id: int, actor_id: int | None
) -> SellerOrder:
    _part_owned(seller_order_id=seller_order_id, seller_id=seller_id)
    return seller_order_transition(
        seller_order_id=seller_order_id,
        to_status=OrderStatus.PROCESSING,
        actor_kind=Actor.SELLER,
        actor_id=actor_id,
    )


@retry_on_deadlock
@transaction.atomic
def seller_order_cancel(
    *, seller_order_id: int, seller_id: int, actor_id: int | None, reason: str
) -> SellerOrder:
    """Cancel the seller's part (stock goes back and the shopper is told, by the transition service)."""
    _part_owned(seller_order_id=seller_order_id, seller_id=seller_id)
    return seller_order_transition(
        seller_order_id=seller_order_id,
        to_status=OrderStatus.CANCELLED,
        actor_kind=Actor.SELLER,
        actor_id=actor_id,
        reason=reason.strip(),
    )


# --- shipments ----------------------------------------------------------------------------------------


def _remaining(seller_order_id: int) -> dict[int, tuple[OrderLine, int]]:
    lines = OrderLine.objects.filter(seller_order_id=seller_order_id).order_by("pk")
    shipped = dict(
        ShipmentLine.objects.filter(order_line__seller_order_id=seller_order_id)
        .values("order_line_id")
        .annotate(n=Sum("quantity"))
        .values_list("order_line_id", "n")
    )
    return {line.pk: (line, line.quantity - (shipped.get(line.pk) or 0)) for line in lines}


def _shipment_quantities(
    *, remaining: dict[int, tuple[OrderLine, int]], quantities: dict[int, int] | None
) -> dict[int, int]:
    if quantities is None:
        chosen = {line_id: left for line_id, (_line, left) in remaining.items() if left > 0}
        if not chosen:
            raise ApplicationError(_("Everything in this order has already been shipped."))
        return chosen
    if not quantities:
        raise ApplicationError(_("Choose at least one item to ship."), extra={"quantities": ["empty"]})
    errors: dict[str, list[str]] = {}
    for line_id, quantity in quantities.items():
        if line_id not in remaining:
            raise ApplicationError(
                _("This item is not part of the order."), extra={"quantities": [str(line_id)]}
            )
        line, left = remaining[line_id]
        if not isinstance(quantity, int) or isinstance(quantity, bool) or quantity <= 0:
            errors[str(line_id)] = [_("Ship at least one unit of “%(title)s”.") % {"title": line.title}]
        elif quantity > left:
            errors[str(line_id)] = [
                _("Only %(left)d of “%(title)s” remain to be shipped.") % {"left": left, "title": line.title}
            ]
    if errors:
        raise ApplicationError(next(iter(errors.values()))[0], extra={"quantities": errors})
    return dict(quantities)


def _shipment_input_check(*, carrier: str, tracking_number: str) -> tuple[str, str]:
    """The carrier's name and the tracking number, normalised, or a refusal naming the field."""
    carrier_name = carrier_name_normalize(carrier)
    number = tracking_number_normalize(tracking_number)
    if not carrier_slug(carrier_name) or len(carrier_name) > CARRIER_MAX_LENGTH:
        raise ApplicationError(
            _("Enter the carrier's name (at most 60 characters)."), extra={"carrier": ["invalid"]}
        )
    if not _TRACKING_RE.match(number):
        raise ApplicationError(
            _("Enter the tracking number: 4 to 64 letters, digits or dashes."),
            extra={"tracking_number": ["invalid"]},
        )
    return carrier_name, number


def _shipment_write(
    *, part: SellerOrder, carrier_name: str, number: str, chosen: dict[int, int], actor_id: int | None
) -> Shipment:
    """The parcel with its lines, its first tracking event and the order's timeline event."""
    now = timezone.now()
    try:
        with transaction.atomic():
            shipment = Shipment.objects.create(
                seller_order=part, carrier=carrier_name, tracking_number=number, shipped_at=now
            )
    except IntegrityError:  # the same number registered by another shipment a moment ago
        raise _duplicate_tracking(carrier_name, number) from None
    ShipmentLine.objects.bulk_create(
        [
            ShipmentLine(shipment=shipment, order_line_id=line_id, quantity=n)
            for line_id, n in sorted(chosen.items())
        ]
    )
    ShipmentEvent.objects.create(
        shipment=shipment, status=Shipment.Status.SHIPPED, occurred_at=now, source=Actor.SELLER
    )
    OrderEvent.objects.create(
        order_id=part.order_id,
        seller_order=part,
        kind=OrderEvent.Kind.SHIPMENT,
        actor_kind=Actor.SELLER,
        actor_id=actor_id,
        data={
            "shipment_id": shipment.pk,
            "carrier": carrier_name,
            "tracking_number": number,
            "status": Shipment.Status.SHIPPED.value,
            "lines": {str(line_id): n for line_id, n in sorted(chosen.items())},
        },
    )
    return shipment


def _shipped_part_advance(
    *,
    part: SellerOrder,
    remaining: dict[int, tuple[OrderLine, int]],
    chosen: dict[int, int],
    shipment: Shipment,
    actor_id: int | None,
) -> None:
    """The part is shipped once every unit is in a parcel; a paid part shipped in part is processing."""
    everything_shipped = all(
        left - chosen.get(line_id, 0) <= 0 for line_id, (_line, left) in remaining.items()
    )
    if everything_shipped:
        seller_order_transition(
            seller_order_id=part.pk,
            to_status=OrderStatus.SHIPPED,
            actor_kind=Actor.SELLER,
            actor_id=actor_id,
            data={"shipment_id": shipment.pk},
        )
    elif part.status == OrderStatus.PAID:
        seller_order_transition(
            seller_order_id=part.pk,
            to_status=OrderStatus.PROCESSING,
            actor_kind=Actor.SELLER,
            actor_id=actor_id,
            data={"shipment_id": shipment.pk},
        )


@transaction.atomic
def shipment_create(
    *,
    seller_order_id: int,
    seller_id: int,
    carrier: str,
    tracking_number: str,
    quantities: dict[int, int] | None = None,
    actor_id: int | None = None,
) -> Shipment:
    """Ship some or all of the remaining units of a paid or processing part in one parcel. ``quantities``
    is {order line id: units}; ``None`` ships everything not yet shipped. The part becomes "shipped" when
    every unit is in a parcel, otherwise "processing"."""
    carrier_name, number = _shipment_input_check(carrier=carrier, tracking_number=tracking_number)
    part = _part_locked(seller_order_id=seller_order_id, seller_id=seller_id)
    if part.status not in SHIPPABLE:
        raise ApplicationError(
            _("Only a paid order or one being processed can be shipped; this one is “%(status)s”.")
            % {"status": part.get_status_display()},
            extra={"status": [part.status]},
        )
    # Read after the lock: every earlier shipment of this part has committed by now.
    remaining = _remaining(part.pk)
    chosen = _shipment_quantities(remaining=remaining, quantities=quantities)
    if shipments_for_tracking(carrier=carrier_slug(carrier_name), tracking_number=number):
        raise _duplicate_tracking(carrier_name, number)
    shipment = _shipment_write(
        part=part, carrier_name=carrier_name, number=number, chosen=chosen, actor_id=actor_id
    )
    _shipped_part_advance(part=part, remaining=remaining, chosen=chosen, shipment=shipment, actor_id=actor_id)
    return shipment


def _duplicate_tracking(carrier_name: str, number: str) -> ApplicationError:
    return ApplicationError(
        _("%(carrier)s tracking number %(number)s is already used by another shipment.")
        % {"carrier": carrier_name, "number": number},
        extra={"tracking_number": ["duplicate"]},
    )


def _shipment_event_check(
    *,
    status: str,
    occurred_at: datetime,
    source: str,
    location: str,
    description: str,
    external_id: str | None,
) -> tuple[str, str]:
    """Refuse an update that is malformed; the place and the note, stripped."""
    if status not in Shipment.Status.values:
        raise ApplicationError(_("Unknown tracking status."), extra={"status": [status]})
    if source not in (Actor.SELLER, Actor.CARRIER, Actor.OPERATOR, Actor.SYSTEM):
        raise ApplicationError(_("Unknown source of the update."), extra={"source": [source]})
    if timezone.is_naive(occurred_at):
        raise ApplicationError(
            _("The time of the update needs a time zone."), extra={"occurred_at": ["naive"]}
        )
    if occurred_at > timezone.now() + FUTURE_TOLERANCE:
        raise ApplicationError(
            _("The time of the update is in the future."), extra={"occurred_at": ["future"]}
        )
    location, description = location.strip(), description.strip()
    if len(location) > 120:
        raise ApplicationError(_("Use at most 120 characters for the place."), extra={"location": ["max"]})
    if len(description) > 300:
        raise ApplicationError(_("Use at most 300 characters for the note."), extra={"description": ["max"]})
    if external_id is not None and not 0 < len(external_id) <= 100:
        raise ApplicationError(_("The event id must be 1 to 100 characters."), extra={"external_id": ["max"]})
    return location, description


def _shipment_locked(shipment_id: int) -> tuple[int, SellerOrder, Shipment]:
    """(order id, part, shipment), locked in the order the transition service locks them."""
    part_id, order_id = Shipment.objects.filter(pk=shipment_id).values_list(
        "seller_order_id", "seller_order__order_id"
    ).first() or (None, None)
    if part_id is None:
        raise ApplicationError(_("This shipment does not exist."))
    # Order, then part (``orders.lifecycle.locks``), then the shipment: updates of two parcels of one part
    # are serialised, so the last one to arrive sees the other delivered.
    _order, (part,) = order_parts_lock(order_id=cast(int, order_id), seller_order_ids=[part_id])
    shipment = Shipment.objects.select_for_update(no_key=True).get(pk=shipment_id)
    return part.order_id, part, shipment


def _shipment_status_follow(shipment: Shipment) -> ShipmentEvent:
    """The shipment takes the status of its latest event by ``occurred_at``; returns that event."""
    latest = ShipmentEvent.objects.filter(shipment=shipment).order_by("-occurred_at", "-id").first()
    assert latest is not None  # noqa: S101 - the event above was just stored
    if latest.status != shipment.status:
        shipment.status = latest.status
        shipment.delivered_at = latest.occurred_at if latest.status == Shipment.Status.DELIVERED else None
        shipment.save(update_fields=["status", "delivered_at", "updated_at"])
    return latest


def _delivered_part_advance(
    *, part: SellerOrder, shipment: Shipment, source: str, actor_id: int | None
) -> None:
    """A shipped part whose every parcel is delivered becomes delivered."""
    all_delivered = not (
        Shipment.objects.filter(seller_order=part).exclude(status=Shipment.Status.DELIVERED).exists()
    )
    if part.status == OrderStatus.SHIPPED and all_delivered:
        seller_order_transition(
            seller_order_id=part.pk,
            to_status=OrderStatus.DELIVERED,
            actor_kind=source,
            actor_id=actor_id,
            data={"shipment_id": shipment.pk},
        )


@transaction.atomic
def shipment_event_add(
    *,
    shipment_id: int,
    status: str,
    occurred_at: datetime,
    source: str,
    location: str = "",
    description: str = "",
    external_id: str | None = None,
    actor_id: int | None = None,
) -> ShipmentEvent | None:
    """Record a tracking update. A carrier's redelivered event (same ``external_id``) changes nothing and
    returns ``None``. The shipment shows the status of its latest event by ``occurred_at``, so an event
    arriving late is kept in the history without rolling the status back. When every parcel of a shipped
    part is delivered, the part becomes "delivered"."""
    location, description = _shipment_event_check(
        status=status,
        occurred_at=occurred_at,
        source=source,
        location=location,
        description=description,
        external_id=external_id,
    )
    order_id, part, shipment = _shipment_locked(shipment_id)
    if external_id is not None and ShipmentEvent.objects.filter(external_id=external_id).exists():
        return None
    try:
        with transaction.atomic():
            event = ShipmentEvent.objects.create(
                shipment=shipment,
                status=status,
                location=location,
                description=description,
                occurred_at=occurred_at,
                source=source,
                external_id=external_id,
            )
    except IntegrityError:  # the same event id stored for another shipment a moment ago
        return None
    latest = _shipment_status_follow(shipment)
    OrderEvent.objects.create(
        order_id=order_id,
        seller_order=part,
        kind=OrderEvent.Kind.SHIPMENT,
        actor_kind=source,
        actor_id=actor_id,
        data={
            "shipment_id": shipment.pk,
            "carrier": shipment.carrier,
            "tracking_number": shipment.tracking_number,
            "status": status,
            "location": location,
            "occurred_at": occurred_at.isoformat(),
            "late": latest.pk != event.pk,
        },
    )
    _delivered_part_advance(part=part, shipment=shipment, source=source, actor_id=actor_id)
    return event
