"""Output shapes of the orders API, shared by the shopper and the seller endpoints.

Money is always an integer number of minor units next to its currency (as in the catalog API). Statuses are
strings documented as named enums (``OrderStatus``, ``ShipmentStatus``...).
"""

from __future__ import annotations

from typing import Any, cast

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.utils import extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from orders.cart.selectors import CartSummary
from orders.lifecycle.reasons import stored_reason_display
from orders.models import OrderEvent, OrderStatus, Shipment


class EnumChoiceField(serializers.ChoiceField):
    """A ChoiceField documented as a named enum component of its own (see ``EnumChoiceFieldExtension``)."""

    def __init__(self, *, component_name: str, **kwargs) -> None:
        self.component_name = component_name
        super().__init__(**kwargs)


class EnumChoiceFieldExtension(OpenApiSerializerFieldExtension):
    """drf-spectacular names enums after the field (``status``), and the catalog's ``status`` enums are
    other choice sets; a component named here, referenced by ``$ref``, avoids the clash."""

    target_class = "orders.api.serializers.EnumChoiceField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        values = [value for value in field.choices if value != ""]
        description = "\n".join(f"* `{value}` - {label}" for value, label in field.choices.items() if value)
        component = ResolvedComponent(
            name=field.component_name,
            type=ResolvedComponent.SCHEMA,
            object=field.component_name,
            schema={"type": "string", "enum": values, "description": description},
        )
        auto_schema.registry.register_on_missing(component)
        return component.ref


def order_status_field(**kwargs) -> EnumChoiceField:
    return EnumChoiceField(component_name="OrderStatus", choices=OrderStatus.choices, **kwargs)


def shipment_status_field(**kwargs) -> EnumChoiceField:
    kwargs.setdefault("choices", Shipment.Status.choices)
    kwargs.setdefault("component_name", "ShipmentStatus")
    return EnumChoiceField(**kwargs)


def event_kind_field(**kwargs) -> EnumChoiceField:
    return EnumChoiceField(component_name="OrderEventKind", choices=OrderEvent.Kind.choices, **kwargs)


def actor_field(**kwargs) -> EnumChoiceField:
    return EnumChoiceField(component_name="OrderEventActor", choices=OrderEvent.Actor.choices, **kwargs)


class StoredReasonField(serializers.CharField):
    """A reason stored as text (an order's ``cancel_reason``): in the request's language when the system
    wrote it, as typed when a person did."""

    def to_representation(self, value: Any) -> str:
        return stored_reason_display(str(value or ""))


# --- references -----------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="OrdersSellerRef")
class SellerRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    shop_name = serializers.CharField()
    slug = serializers.SlugField()


@extend_schema_serializer(component_name="OrdersAdjustment")
class AdjustmentSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text=_("flash_sale, seller_tier, coupon, platform_tier, shipping, free_shipping or tax.")
    )
    label = serializers.CharField()  # type: ignore[assignment]  # the API field, not Field.label
    amount = serializers.IntegerField(help_text=_("Minor units; discounts are positive and subtracted."))


# --- cart -----------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="CartLinePricing")
class LinePricingSerializer(serializers.Serializer):
    list_unit_price_amount = serializers.IntegerField(source="list_unit_price")
    unit_price_amount = serializers.IntegerField(
        source="unit_price", help_text=_("Per unit before discounts (the flash-sale price if one applies).")
    )
    subtotal_amount = serializers.IntegerField(source="subtotal")
    discount_amount = serializers.IntegerField(source="discount")
    tax_amount = serializers.IntegerField(source="tax", help_text=_("Tax included in the total."))
    total_amount = serializers.IntegerField(source="total")
    adjustments = AdjustmentSerializer(many=True)


@extend_schema_serializer(component_name="CartLine")
class CartLineSerializer(serializers.Serializer):
    variant = serializers.IntegerField(source="line.variant_id", help_text=_("The SKU's id."))
    sku = serializers.CharField(source="variant.sku")
    title = serializers.CharField(source="product.title")
    variant_name = serializers.CharField(source="variant.name")
    product_slug = serializers.SlugField(source="product.slug")
    seller = SellerRefSerializer(source="product.seller")
    quantity = serializers.IntegerField(source="line.quantity")
    unit_price_amount = serializers.IntegerField(
        source="unit_price", help_text=_("The catalog price now, minor units.")
    )
    seen_unit_price_amount = serializers.IntegerField(
        source="line.seen_unit_price_amount", help_text=_("The price when the shopper last saw it.")
    )
    price_changed = serializers.BooleanField()
    stock = serializers.IntegerField()
    purchasable = serializers.BooleanField()
    too_many = serializers.BooleanField(help_text=_("The quantity is above the stock on hand."))
    pricing = LinePricingSerializer(
        allow_null=True, help_text=_("Null for a line that cannot be bought (not priced).")
    )


@extend_schema_serializer(component_name="CartShippingMethod")
class ShippingMethodSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    flat_amount = serializers.IntegerField()
    per_kg_amount = serializers.IntegerField(help_text=_("Per started kilogram of the parcel."))
    free_over_amount = serializers.IntegerField(allow_null=True)
    currency = serializers.CharField()
    delivery_days_min = serializers.IntegerField()
    delivery_days_max = serializers.IntegerField()


@extend_schema_serializer(component_name="CartSellerPricing")
class SellerPricingSerializer(serializers.Serializer):
    subtotal_amount = serializers.IntegerField(source="subtotal")
    discount_amount = serializers.IntegerField(source="discount")
    shipping_amount = serializers.IntegerField(source="shipping")
    tax_amount = serializers.IntegerField(source="tax")
    total_amount = serializers.IntegerField(source="total")
    shipping_method_name = serializers.CharField(source="shipping_name")


@extend_schema_serializer(component_name="CartSellerGroup")
class CartGroupSerializer(serializers.Serializer):
    seller = SellerRefSerializer()
    variants = serializers.SerializerMethodField(help_text=_("The SKU ids of this seller's lines."))
    shipping_methods = ShippingMethodSerializer(many=True)
    shipping_method_id = serializers.IntegerField(
        allow_null=True, help_text=_("The method priced: the one asked for, else the seller's first.")
    )
    pricing = SellerPricingSerializer(allow_null=True)

    def get_variants(self, group) -> list[int]:
        return [item.line.variant_id for item in group.items]


@extend_schema_serializer(component_name="OrdersTotals")
class TotalsSerializer(serializers.Serializer):
    currency = serializers.CharField()
    subtotal_amount = serializers.IntegerField()
    discount_amount = serializers.IntegerField()
    shipping_amount = serializers.IntegerField()
    tax_amount = serializers.IntegerField(help_text=_("Tax included in the total."))
    total_amount = serializers.IntegerField()


@extend_schema_serializer(component_name="Cart")
class CartSerializer(serializers.Serializer):
    currency = serializers.CharField()
    count = serializers.IntegerField(help_text=_("Units in the cart."))
    ready = serializers.BooleanField(help_text=_("Every line can be bought as it is: checkout may go ahead."))
    lines = CartLineSerializer(many=True, source="items")
    groups = CartGroupSerializer(many=True, help_text=_("One per seller, with its shipping options."))
    totals = serializers.SerializerMethodField()
    adjustments = serializers.SerializerMethodField()
    coupon_code = serializers.CharField()
    coupon_error = serializers.CharField()
    notices = serializers.SerializerMethodField(
        help_text=_("What the last change did besides what was asked (e.g. a quantity capped by stock).")
    )

    @extend_schema_field(TotalsSerializer)
    def get_totals(self, summary: CartSummary) -> dict[str, Any]:
        pricing = summary.pricing
        return {
            "currency": summary.currency,
            "subtotal_amount": pricing.subtotal if pricing else 0,
            "discount_amount": pricing.discount if pricing else 0,
            "shipping_amount": pricing.shipping if pricing else 0,
            "tax_amount": pricing.tax if pricing else 0,
            "total_amount": pricing.total if pricing else 0,
        }

    @extend_schema_field(AdjustmentSerializer(many=True))
    def get_adjustments(self, summary: CartSummary) -> list[dict[str, Any]]:
        if summary.pricing is None:
            return []
        return cast("list[dict[str, Any]]", AdjustmentSerializer(summary.pricing.adjustments, many=True).data)

    def get_notices(self, summary: CartSummary) -> list[str]:
        return [str(notice) for notice in self.context.get("notices", [])]


@extend_schema_serializer(component_name="CartLineAdded")
class CartLineAddedSerializer(serializers.Serializer):
    """The short answer to adding a SKU, for a client that sent ``Prefer: return=minimal``."""

    variant = serializers.IntegerField(source="line.variant_id", help_text=_("The SKU's id."))
    quantity = serializers.IntegerField(source="line.quantity")
    count = serializers.IntegerField(help_text=_("Units in the cart."))
    notices = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("What the last change did besides what was asked (e.g. a quantity capped by stock)."),
    )


# --- orders (shopper) -----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="OrderLine")
class OrderLineSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant = serializers.IntegerField(source="variant_id", allow_null=True)
    sku = serializers.CharField()
    title = serializers.CharField()
    variant_name = serializers.CharField()
    attributes = serializers.DictField()
    quantity = serializers.IntegerField()
    unit_price_amount = serializers.IntegerField()
    list_unit_price_amount = serializers.IntegerField(
        allow_null=True, help_text=_("The catalog price before a flash sale, if one applied.")
    )
    discount_amount = serializers.IntegerField()
    tax_amount = serializers.IntegerField()
    total_amount = serializers.IntegerField()


@extend_schema_serializer(component_name="ShipmentEvent")
class ShipmentEventSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = shipment_status_field()
    location = serializers.CharField()
    description = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    source = actor_field()  # type: ignore[assignment]  # the API field, not Field.source


@extend_schema_serializer(component_name="ShipmentLine")
class ShipmentLineSerializer(serializers.Serializer):
    order_line = serializers.IntegerField(source="order_line_id")
    quantity = serializers.IntegerField()


@extend_schema_serializer(component_name="Shipment")
class ShipmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    carrier = serializers.CharField()
    tracking_number = serializers.CharField()
    status = shipment_status_field()
    shipped_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    lines = ShipmentLineSerializer(many=True, source="lines.all")
    events = ShipmentEventSerializer(many=True, source="events.all", help_text=_("Oldest first."))


@extend_schema_serializer(component_name="OrderPart")
class OrderPartSerializer(serializers.Serializer):
    """One seller's part of the shopper's order."""

    id = serializers.IntegerField()
    seller = SellerRefSerializer()
    status = order_status_field()
    shipping_method_name = serializers.CharField()
    subtotal_amount = serializers.IntegerField()
    discount_amount = serializers.IntegerField()
    shipping_amount = serializers.IntegerField()
    tax_amount = serializers.IntegerField()
    total_amount = serializers.IntegerField()
    shipped_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    cancelled_at = serializers.DateTimeField(allow_null=True)
    cancel_reason = StoredReasonField()
    lines = OrderLineSerializer(many=True, source="lines.all")
    shipments = ShipmentSerializer(many=True, source="shipments.all")


@extend_schema_serializer(component_name="OrderTimelineEvent")
class TimelineEventSerializer(serializers.Serializer):
    kind = event_kind_field()
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    actor_kind = actor_field()
    reason_code = serializers.CharField(
        help_text=_(
            "A stable code for a reason the system wrote (e.g. payment_expired); empty when a person typed it."
        )
    )
    reason = serializers.CharField(
        source="reason_display",
        help_text=_("The reason in the request's language; a reason a person typed, as typed."),
    )
    seller_order = serializers.IntegerField(
        source="seller_order_id", allow_null=True, help_text=_("The part concerned; null for the order.")
    )
    created_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="OrderPaymentStep")
class PaymentStepSerializer(serializers.Serializer):
    next_url = serializers.URLField(help_text=_("Where the shopper pays (a page of the shop)."))
    amount = serializers.IntegerField()
    currency = serializers.CharField()


@extend_schema_serializer(component_name="OrderListItem")
class OrderListItemSerializer(serializers.Serializer):
    @extend_schema_serializer(component_name="OrderListPart")
    class PartSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        seller = SellerRefSerializer()
        status = order_status_field()
        total_amount = serializers.IntegerField()

    number = serializers.CharField()
    status = order_status_field()
    placed_at = serializers.DateTimeField()
    currency = serializers.CharField()
    total_amount = serializers.IntegerField()
    parts = PartSerializer(many=True, source="seller_orders.all")


def order_totals(order) -> dict[str, Any]:
    return {
        "currency": order.currency,
        "subtotal_amount": order.subtotal_amount,
        "discount_amount": order.discount_amount,
        "shipping_amount": order.shipping_amount,
        "tax_amount": order.tax_amount,
        "total_amount": order.total_amount,
    }


@extend_schema_serializer(component_name="OrderDetail")
class OrderDetailSerializer(serializers.Serializer):
    """Built from a dict: the order, its parts, its timeline and what the shopper may do next."""

    number = serializers.CharField(source="order.number")
    status = order_status_field(source="order.status")
    email = serializers.EmailField(source="order.email")
    placed_at = serializers.DateTimeField(source="order.placed_at")
    paid_at = serializers.DateTimeField(source="order.paid_at", allow_null=True)
    cancelled_at = serializers.DateTimeField(source="order.cancelled_at", allow_null=True)
    cancel_reason = StoredReasonField(source="order.cancel_reason")
    coupon_code = serializers.CharField(source="order.coupon_code")
    shipping_address = serializers.DictField(source="order.shipping_address")
    totals = TotalsSerializer()
    adjustments = AdjustmentSerializer(many=True, source="order.pricing_explanation")
    cancellable = serializers.BooleanField()
    payment = PaymentStepSerializer(allow_null=True, help_text=_("Null unless the order waits for payment."))
    parts = OrderPartSerializer(many=True)
    timeline = TimelineEventSerializer(many=True, help_text=_("Oldest first."))


@extend_schema_serializer(component_name="CheckoutResult")
class CheckoutResultSerializer(serializers.Serializer):
    number = serializers.CharField(source="order.number")
    status = order_status_field(source="order.status")
    email = serializers.EmailField(source="order.email")
    placed_at = serializers.DateTimeField(source="order.placed_at")
    totals = TotalsSerializer()
    payment = PaymentStepSerializer(allow_null=True, help_text=_("Null unless the order waits for payment."))
    url = serializers.URLField(help_text=_("The order in this API."))


# --- reviews --------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="ProductReview")
class ProductReviewSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    order_line = serializers.IntegerField(source="order_line_id")
    product = serializers.IntegerField(source="product_id")
    rating = serializers.IntegerField()
    title = serializers.CharField()
    body = serializers.CharField()
    seller_reply = serializers.CharField()
    seller_replied_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()


@extend_schema_serializer(component_name="SellerRating")
class SellerRatingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    seller_order = serializers.IntegerField(source="seller_order_id")
    seller = serializers.IntegerField(source="seller_id")
    rating = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()
