"""The seller API for orders: the seller's parts of orders, shipping them, tracking updates, cancelling,
and replying to reviews.

Authenticated and throttled exactly like the catalog's seller API (``catalog.api.seller.SellerApi``: API key
or portal session with CSRF, approved sellers only). Every object in a URL is read scoped to
``request.seller`` (``orders.lifecycle.selectors``), so another seller's id is a 404 and nothing changes; every
write goes through ``orders.shipping.services`` / ``orders.reviews.services``, whose refusals become 400s.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from accounts.api import SellerApi
from common.exceptions import ApplicationError
from orders.api.serializers import (
    OrderLineSerializer,
    ProductReviewSerializer,
    ShipmentSerializer,
    StoredReasonField,
    TimelineEventSerializer,
    order_status_field,
    shipment_status_field,
)
from orders.lifecycle import selectors as order_selectors
from orders.models import OrderEvent, SellerOrder, Shipment
from orders.reviews import selectors as review_selectors
from orders.reviews import services as review_services
from orders.shipping import selectors as shipping_selectors
from orders.shipping import services as services_shipping

TAGS = ["seller"]
# A tracking update may be stamped a little ahead of our clock (the seller's device), not more.
FUTURE_TOLERANCE = timedelta(minutes=5)
# The statuses a seller reports; "shipped" is the shipment's own first event.
SELLER_TRACKING_STATUSES = [
    Shipment.Status.IN_TRANSIT,
    Shipment.Status.OUT_FOR_DELIVERY,
    Shipment.Status.DELIVERED,
    Shipment.Status.EXCEPTION,
]

_REFUSED = OpenApiResponse(
    description=gettext_lazy(
        "Invalid input or a refused change: `detail` says why, fields' errors are keyed by field. "
        "Nothing was written."
    )
)
_NOT_FOUND = OpenApiResponse(description=gettext_lazy("No such object among the seller's own."))


def _refusal(exc: ApplicationError, *, rename: dict[str, str] | None = None) -> ValidationError:
    """A service's refusal in the serializers' shape: each field it names gets its detail (a terse code
    alone would say less than the message)."""
    rename = rename or {}
    errors: dict[str, Any] = {"detail": exc.message}
    for key, value in exc.extra.items():
        errors[rename.get(key, key)] = value if isinstance(value, dict) else [exc.message]
    return ValidationError(errors)


# --- output ---------------------------------------------------------------------------------------------


class _SellerOrderBaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_number = serializers.CharField(source="order.number")
    status = order_status_field()
    placed_at = serializers.DateTimeField(source="order.placed_at")
    ship_to_name = serializers.SerializerMethodField()
    currency = serializers.CharField(source="order.currency")
    subtotal_amount = serializers.IntegerField()
    discount_amount = serializers.IntegerField()
    shipping_amount = serializers.IntegerField()
    tax_amount = serializers.IntegerField()
    total_amount = serializers.IntegerField()
    shipping_method_name = serializers.CharField()

    def get_ship_to_name(self, part: SellerOrder) -> str:
        return str((part.order.shipping_address or {}).get("full_name", ""))


@extend_schema_serializer(component_name="SellerOrderListItem")
class SellerOrderListItemSerializer(_SellerOrderBaseSerializer):
    item_count = serializers.IntegerField(help_text=gettext_lazy("Units ordered."))
    line_count = serializers.IntegerField()


@extend_schema_serializer(component_name="SellerOrderLine")
class SellerOrderLineSerializer(OrderLineSerializer):
    shipped_quantity = serializers.IntegerField()
    remaining_quantity = serializers.IntegerField(help_text=gettext_lazy("Units not yet in a shipment."))


@extend_schema_serializer(component_name="SellerOrderDetail")
class SellerOrderDetailSerializer(_SellerOrderBaseSerializer):
    shipping_address = serializers.DictField(source="order.shipping_address")
    status_changed_at = serializers.DateTimeField(allow_null=True)
    shipped_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = StoredReasonField()
    cancelled_by = serializers.CharField()
    lines = SellerOrderLineSerializer(many=True, source="lines.all")
    shipments = ShipmentSerializer(many=True, source="shipments.all")
    timeline = serializers.SerializerMethodField(
        help_text=gettext_lazy("This part's events and the order's own, oldest first.")
    )

    @extend_schema_field(TimelineEventSerializer(many=True))
    def get_timeline(self, part: SellerOrder) -> list[dict[str, Any]]:
        events = order_selectors.seller_order_timeline(seller_order=part)
        return cast("list[dict[str, Any]]", TimelineEventSerializer(events, many=True).data)  # many: a list


# --- views ----------------------------------------------------------------------------------------------


def _part_or_404(request, seller_order_id: int) -> SellerOrder:
    part = order_selectors.seller_order_get(seller_id=request.seller.id, seller_order_id=seller_order_id)
    if part is None:
        raise Http404(_("No such order."))
    return part


def _part_response(request, seller_order_id: int, *, code: int = status.HTTP_200_OK) -> Response:
    return Response(SellerOrderDetailSerializer(_part_or_404(request, seller_order_id)).data, status=code)


def _shipment_of(request, shipment_id: int) -> Shipment:
    """The shipment with its lines and events, read scoped to the seller."""
    shipment = shipping_selectors.seller_shipment_get(seller_id=request.seller.id, shipment_id=shipment_id)
    if shipment is None:
        raise Http404(_("No such shipment."))
    return shipment


class SellerOrderListApi(SellerApi):
    """The seller's parts of orders, newest first."""

    @extend_schema_serializer(component_name="SellerOrderFilter")
    class FilterSerializer(serializers.Serializer):
        status = order_status_field(
            required=False,
            help_text=gettext_lazy("Only parts in this status."),
        )

    @extend_schema(
        tags=TAGS,
        parameters=[FilterSerializer],
        responses={200: SellerOrderListItemSerializer(many=True), 400: _REFUSED},
    )
    def get(self, request):
        filters = self._parse(self.FilterSerializer, request.query_params)
        parts = order_selectors.seller_order_list(
            seller_id=request.seller.id, status=filters.get("status", "")
        )
        return self._page(parts, SellerOrderListItemSerializer)


class SellerOrderDetailApi(SellerApi):
    """One part: ship-to address, lines with what is left to ship, shipments with tracking, timeline."""

    @extend_schema(tags=TAGS, responses={200: SellerOrderDetailSerializer, 404: _NOT_FOUND})
    def get(self, request, seller_order_id: int):
        return _part_response(request, seller_order_id)


class SellerOrderProcessingApi(SellerApi):
    @extend_schema(
        tags=TAGS,
        request=None,
        responses={200: SellerOrderDetailSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy("Start working on a paid part (paid → processing)."),
    )
    def post(self, request, seller_order_id: int):
        part = _part_or_404(request, seller_order_id)
        try:
            services_shipping.seller_order_start_processing(
                seller_order_id=part.pk, seller_id=request.seller.id, actor_id=request.user.id
            )
        except ApplicationError as exc:
            raise _refusal(exc) from exc
        return _part_response(request, part.pk)


class SellerOrderCancelApi(SellerApi):
    @extend_schema_serializer(component_name="SellerOrderCancel")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=500, help_text=gettext_lazy("Why; the shopper is told."))

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: SellerOrderDetailSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy(
            "Cancel a paid or processing part that has not been shipped: its stock goes back and the "
            "shopper is told (and refunded)."
        ),
    )
    def post(self, request, seller_order_id: int):
        part = _part_or_404(request, seller_order_id)
        data = self._parse(self.InputSerializer, request.data)
        try:
            services_shipping.seller_order_cancel(
                seller_order_id=part.pk,
                seller_id=request.seller.id,
                actor_id=request.user.id,
                reason=data["reason"],
            )
        except ApplicationError as exc:
            raise _refusal(exc) from exc
        return _part_response(request, part.pk)


class SellerShipmentCreateApi(SellerApi):
    @extend_schema_serializer(component_name="SellerShipmentCreate")
    class InputSerializer(serializers.Serializer):
        @extend_schema_serializer(component_name="SellerShipmentLineInput")
        class LineSerializer(serializers.Serializer):
            order_line = serializers.IntegerField(min_value=1)
            quantity = serializers.IntegerField(min_value=1)

        carrier = serializers.CharField(max_length=60)
        tracking_number = serializers.CharField(max_length=64)
        lines = LineSerializer(
            many=True,
            required=False,
            allow_empty=False,
            max_length=200,  # type: ignore[call-arg]  # many=True passes it on to the ListSerializer
            help_text=gettext_lazy("What goes in this parcel; leave out to ship everything not yet shipped."),
        )

        def validate_lines(self, rows: list[dict[str, int]]) -> list[dict[str, int]]:
            seen = [row["order_line"] for row in rows]
            if len(seen) != len(set(seen)):
                raise serializers.ValidationError(_("Give each item at most once."))
            return rows

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={201: ShipmentSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy(
            "Ship some or all of what remains of a paid or processing part in one parcel. The part "
            "becomes shipped once every unit is in a parcel, processing until then."
        ),
    )
    def post(self, request, seller_order_id: int):
        part = _part_or_404(request, seller_order_id)
        data = self._parse(self.InputSerializer, request.data)
        quantities = None
        if "lines" in data:
            line_ids = {line.pk for line in part.lines.all()}
            unknown: dict[Any, Any] = {
                index: {"order_line": [_("Not an item of this order.")]}
                for index, row in enumerate(data["lines"])
                if row["order_line"] not in line_ids
            }
            if unknown:
                raise ValidationError({"lines": unknown})
            quantities = {row["order_line"]: row["quantity"] for row in data["lines"]}
        try:
            shipment = services_shipping.shipment_create(
                seller_order_id=part.pk,
                seller_id=request.seller.id,
                carrier=data["carrier"],
                tracking_number=data["tracking_number"],
                quantities=quantities,
                actor_id=request.user.id,
            )
        except ApplicationError as exc:
            raise _refusal(exc, rename={"quantities": "lines"}) from exc
        shipment = _shipment_of(request, shipment.pk)
        return Response(ShipmentSerializer(shipment).data, status=status.HTTP_201_CREATED)


class SellerShipmentEventCreateApi(SellerApi):
    @extend_schema_serializer(component_name="SellerShipmentEventCreate")
    class InputSerializer(serializers.Serializer):
        status = shipment_status_field(
            choices=[(s.value, s.label) for s in SELLER_TRACKING_STATUSES],
            component_name="TrackingUpdateStatus",
        )
        occurred_at = serializers.DateTimeField(
            required=False, help_text=gettext_lazy("When it happened (with a time zone); now if left out.")
        )
        location = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
        description = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

        def validate_occurred_at(self, value):
            if value > timezone.now() + FUTURE_TOLERANCE:
                raise serializers.ValidationError(_("The time of the update is in the future."))
            return value

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={201: ShipmentSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy(
            "Record a tracking update of one of the seller's shipments; returns the shipment with its "
            "current status and history. When every parcel of a part is delivered, the part is too."
        ),
    )
    def post(self, request, shipment_id: int):
        shipment = _shipment_of(request, shipment_id)
        data = self._parse(self.InputSerializer, request.data)
        try:
            services_shipping.shipment_event_add(
                shipment_id=shipment.pk,
                status=data["status"],
                occurred_at=data.get("occurred_at") or timezone.now(),
                source=OrderEvent.Actor.SELLER,
                location=data["location"],
                description=data["description"],
            )
        except ApplicationError as exc:
            raise _refusal(exc) from exc
        shipment = _shipment_of(request, shipment.pk)
        return Response(ShipmentSerializer(shipment).data, status=status.HTTP_201_CREATED)


class SellerReviewReplyApi(SellerApi):
    @extend_schema_serializer(component_name="SellerReviewReply")
    class InputSerializer(serializers.Serializer):
        reply = serializers.CharField(max_length=2000)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: ProductReviewSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy("Reply, once, to a review of one of the seller's products."),
    )
    def post(self, request, review_id: int):
        review = review_selectors.seller_review_get(seller_id=request.seller.id, review_id=review_id)
        if review is None:
            raise Http404(_("No such review."))
        data = self._parse(self.InputSerializer, request.data)
        try:
            review = review_services.product_review_reply(
                review_id=review.pk, seller_id=request.seller.id, reply=data["reply"]
            )
        except ApplicationError as exc:
            raise _refusal(exc) from exc
        return Response(ProductReviewSerializer(review).data)
