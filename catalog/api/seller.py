"""The seller API: a seller's own listings, SKUs and stock, for their scripts and tools.

Authenticated by the seller's API key (``Authorization: Bearer <key>``, see ``accounts.authentication``)
or by the portal session (with its CSRF token); only approved sellers get in, checked on every request.
Every object in a URL is read through ``catalog.selectors_seller`` scoped to the seller, so another
seller's id is a 404; every write goes through ``catalog.services_listing``, whose refusals become 400s
in the serializers' error shape. Prices are integer minor units with a currency, as in the public API.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
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
from catalog import selectors_seller, services_listing
from catalog.models import Product, ProductVariant, StockMovement
from common.exceptions import ApplicationError

TAGS = ["seller"]
MAX_VARIANTS = 50  # as many SKU rows as the portal's listing form takes

# The portal form's names for SKU fields, as the API calls them.
_VARIANT_FIELD_NAMES = {"price": "price_amount", "compare_at_price": "compare_at_amount"}
# Refusals whose ``extra`` carries a terse code rather than a sentence: the message says it better.
_TERSE_KEYS = frozenset({"tags", "status", "action", "product"})


_REFUSED = OpenApiResponse(
    description=gettext_lazy(
        "Invalid input or a refused change: `detail` says why, the fields' errors are keyed as in the "
        "request (`variants` by row). Nothing was written."
    )
)
_NOT_FOUND = OpenApiResponse(description=gettext_lazy("No such object among the seller's own."))


def _listing_errors(exc: ApplicationError) -> dict[str, Any]:
    """A listing service's refusal in the serializers' error shape: SKU errors keyed by the row's index
    (as DRF reports a list's item errors), with the API's field names; row-less SKU errors go under
    ``variants.non_field_errors``."""
    errors: dict[str, Any] = {"detail": exc.message}
    for key, value in exc.extra.items():
        if key in ("variants", "variant"):
            if isinstance(value, dict) and value:
                errors["variants"] = {
                    index: {_VARIANT_FIELD_NAMES.get(f, f): msgs for f, msgs in fields.items()}
                    for index, fields in value.items()
                }
            else:
                errors["variants"] = {"non_field_errors": [exc.message]}
        elif key == "__all__":
            errors["non_field_errors"] = value
        elif key in _TERSE_KEYS:
            errors[key] = [exc.message]
        else:
            errors[key] = value
    return errors


def _field_errors(exc: ApplicationError, *, rename: dict[str, str] | None = None) -> dict[str, Any]:
    """A refusal whose ``extra`` names the fields: each named field gets the (translated) message."""
    rename = rename or {}
    errors: dict[str, Any] = {"detail": exc.message}
    for key in exc.extra:
        errors[rename.get(key, key)] = [exc.message]
    return errors


# --- serializers ----------------------------------------------------------------------------------


@extend_schema_serializer(component_name="SellerVariant")
class VariantOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sku = serializers.CharField()
    name = serializers.CharField()
    attributes = serializers.DictField()
    price_amount = serializers.IntegerField(help_text=gettext_lazy("Minor units."))
    compare_at_amount = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("Minor units."))
    currency = serializers.CharField()
    stock = serializers.IntegerField()
    low_stock_threshold = serializers.IntegerField()
    low_stock = serializers.SerializerMethodField(
        help_text=gettext_lazy("Stock is at or below the low-stock threshold.")
    )

    def get_low_stock(self, variant: ProductVariant) -> bool:
        return variant.stock <= variant.low_stock_threshold


@extend_schema_serializer(component_name="SellerCategoryRef")
class CategoryRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.SlugField()


@extend_schema_serializer(component_name="SellerProduct")
class ProductOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    description = serializers.CharField()
    brand = serializers.CharField()
    condition = serializers.ChoiceField(choices=Product.Condition.choices)
    status = serializers.ChoiceField(choices=Product.Status.choices)
    category = CategoryRefSerializer()
    tags = serializers.SerializerMethodField()
    attributes = serializers.DictField()
    price_amount = serializers.IntegerField(help_text=gettext_lazy("Cheapest SKU price, minor units."))
    currency = serializers.CharField()
    published_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    variants = VariantOutputSerializer(many=True, source="variants.all")

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_tags(self, product: Product) -> list[str]:
        return [tag.name for tag in product.tags.all()]


@extend_schema_serializer(component_name="SellerVariantCreate")
class VariantCreateSerializer(serializers.Serializer):
    sku = serializers.CharField(max_length=64)
    name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    price_amount = serializers.IntegerField(
        help_text=gettext_lazy("Minor units of the listing's currency, 0 to 100000000.")
    )
    compare_at_amount = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=gettext_lazy("The crossed-out 'was' price, minor units; above the price."),
    )
    stock = serializers.IntegerField(
        help_text=gettext_lazy("Units on hand; every change is recorded as a stock movement.")
    )
    attributes = serializers.DictField(
        required=False, help_text=gettext_lazy("The category's SKU attribute values, by code.")
    )


@extend_schema_serializer(component_name="SellerVariantUpdate")
class VariantUpdateSerializer(VariantCreateSerializer):
    id = serializers.IntegerField(
        required=False, help_text=gettext_lazy("One of the listing's SKUs; leave out to add a SKU.")
    )


@extend_schema_serializer(component_name="SellerVariantPatch")
class VariantPatchSerializer(VariantUpdateSerializer):
    """A row of a PATCH: with an id, only the fields that change; without one, a new SKU."""

    sku = serializers.CharField(max_length=64, required=False)
    price_amount = serializers.IntegerField(
        required=False, help_text=gettext_lazy("Minor units of the listing's currency, 0 to 100000000.")
    )
    stock = serializers.IntegerField(
        required=False,
        help_text=gettext_lazy("Units on hand; every change is recorded as a stock movement."),
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs.get("id") is None:
            missing = [name for name in ("sku", "price_amount", "stock") if name not in attrs]
            if missing:
                message = _("This field is required for a new SKU.")
                raise ValidationError({name: [message] for name in missing})
        return attrs


class _ProductInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    category = serializers.IntegerField(
        help_text=gettext_lazy("Id of an active category without sub-categories (see the category list).")
    )
    description = serializers.CharField(required=False, allow_blank=True, default="")
    brand = serializers.CharField(max_length=80, required=False, allow_blank=True, default="")
    condition = serializers.ChoiceField(
        choices=Product.Condition.choices, required=False, default=Product.Condition.NEW
    )
    tags = serializers.ListField(
        child=serializers.CharField(max_length=50),
        required=False,
        default=list,
        max_length=services_listing.MAX_TAGS,
    )
    attributes = serializers.DictField(
        required=False, help_text=gettext_lazy("The category's listing attribute values, by code.")
    )


@extend_schema_serializer(component_name="SellerProductCreate")
class ProductCreateSerializer(_ProductInputSerializer):
    variants = VariantCreateSerializer(many=True, allow_empty=False, max_length=MAX_VARIANTS)
    publish = serializers.BooleanField(
        required=False, default=False, help_text=gettext_lazy("Publish straight away (may go to review).")
    )


@extend_schema_serializer(component_name="SellerProductUpdate")
class ProductUpdateSerializer(_ProductInputSerializer):
    variants = VariantUpdateSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_VARIANTS,
        help_text=gettext_lazy(
            "Rows with an id change that SKU, rows without one add a SKU; SKUs left out stay as they are."
        ),
    )


@extend_schema_serializer(component_name="SellerProductPatch")
class ProductPatchSerializer(ProductUpdateSerializer):
    variants = VariantPatchSerializer(
        many=True,
        required=False,
        max_length=MAX_VARIANTS,
        help_text=gettext_lazy(
            "Rows with an id change only the fields they give, rows without one add a SKU; SKUs left "
            "out stay as they are."
        ),
    )


def _variant_input(row: dict[str, Any]) -> services_listing.VariantInput:
    return services_listing.VariantInput(
        id=row.get("id"),
        sku=row["sku"],
        name=row.get("name", ""),
        price_amount=row["price_amount"],
        compare_at_amount=row.get("compare_at_amount"),
        stock=row["stock"],
        attributes=row.get("attributes"),
    )


# --- products -------------------------------------------------------------------------------------


class SellerProductListCreateApi(SellerApi):
    """The seller's listings, most recently changed first; and a new listing with its SKUs."""

    @extend_schema_serializer(component_name="SellerProductFilter")
    class FilterSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Product.Status.choices, required=False)
        q = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=200,
            help_text=gettext_lazy("Part of a title or SKU."),
        )

    @extend_schema(
        tags=TAGS,
        parameters=[FilterSerializer],
        responses={200: ProductOutputSerializer(many=True), 400: _REFUSED},
        description=gettext_lazy("The seller's listings with their SKUs, most recently changed first."),
    )
    def get(self, request):
        filters = self._parse(self.FilterSerializer, request.query_params)
        products = selectors_seller.seller_product_list_with_variants(
            seller_id=request.seller.id,
            search=filters.get("q", ""),
            status=filters.get("status", ""),
        )
        return self._page(products, ProductOutputSerializer)

    @extend_schema(
        tags=TAGS,
        request=ProductCreateSerializer,
        responses={201: ProductOutputSerializer, 400: _REFUSED},
        description=gettext_lazy(
            "A new draft listing (or published, if asked). Opening stock is recorded as an initial "
            "stock movement. All or nothing: a refused request writes nothing."
        ),
    )
    def post(self, request):
        data = self._parse(ProductCreateSerializer, request.data)
        try:
            product = services_listing.product_create(
                seller_id=request.seller.id,
                actor_id=request.user.id,
                title=data["title"],
                category_id=data["category"],
                description=data["description"],
                brand=data["brand"],
                condition=data["condition"],
                tag_names=data["tags"],
                attributes=data.get("attributes"),
                variants=[_variant_input(row) for row in data["variants"]],
                publish=data["publish"],
            )
        except ApplicationError as exc:
            raise ValidationError(_listing_errors(exc)) from exc
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=product.id)
        return Response(ProductOutputSerializer(product).data, status=status.HTTP_201_CREATED)


class SellerProductDetailApi(SellerApi):
    """One listing: read it, replace it (PUT) or change some of its fields (PATCH)."""

    def _product(self, request, product_id: int) -> Product:
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=product_id)
        if product is None:
            raise Http404(_("No such listing."))
        return product

    def _respond(self, request, product_id: int) -> Response:
        return Response(ProductOutputSerializer(self._product(request, product_id)).data)

    @extend_schema(tags=TAGS, responses={200: ProductOutputSerializer, 404: _NOT_FOUND})
    def get(self, request, product_id: int):
        return self._respond(request, product_id)

    @extend_schema(
        tags=TAGS,
        request=ProductUpdateSerializer,
        responses={200: ProductOutputSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy(
            "Replace the listing's fields (attributes left out are kept). A SKU's new stock level is "
            "recorded as a stock movement. The status changes only through publish and delist."
        ),
    )
    def put(self, request, product_id: int):
        product = self._product(request, product_id)
        data = self._parse(ProductUpdateSerializer, request.data)
        try:
            services_listing.product_update(
                seller_id=request.seller.id,
                product_id=product.id,
                actor_id=request.user.id,
                title=data["title"],
                category_id=data["category"],
                description=data["description"],
                brand=data["brand"],
                condition=data["condition"],
                tag_names=data["tags"],
                attributes=data.get("attributes"),
                variants=[_variant_input(row) for row in data["variants"]],
            )
        except ApplicationError as exc:
            raise ValidationError(_listing_errors(exc)) from exc
        return self._respond(request, product.id)

    @extend_schema(
        tags=TAGS,
        request=ProductPatchSerializer(partial=True),
        responses={200: ProductOutputSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy(
            "Change only the fields given. In `variants`, a row with an id changes only the fields it "
            "gives; a row without one adds a SKU."
        ),
    )
    def patch(self, request, product_id: int):
        product = self._product(request, product_id)
        data = self._parse(ProductPatchSerializer, request.data, partial=True)
        try:
            services_listing.product_patch(
                seller_id=request.seller.id,
                product_id=product.id,
                actor_id=request.user.id,
                title=data.get("title"),
                category_id=data.get("category"),
                description=data.get("description"),
                brand=data.get("brand"),
                condition=data.get("condition"),
                tag_names=data.get("tags"),
                attributes=data.get("attributes"),
                variants=data.get("variants", []),
            )
        except ApplicationError as exc:
            raise ValidationError(_listing_errors(exc)) from exc
        return self._respond(request, product.id)


class _SellerProductTransitionApi(SellerApi):
    action = ""

    def post(self, request, product_id: int):
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=product_id)
        if product is None:
            raise Http404(_("No such listing."))
        try:
            services_listing.product_seller_transition(
                seller_id=request.seller.id,
                product_id=product.id,
                action=self.action,
                actor_id=request.user.id,
            )
        except ApplicationError as exc:
            raise ValidationError(_field_errors(exc)) from exc
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=product.id)
        return Response(ProductOutputSerializer(product).data)


@extend_schema(
    tags=TAGS,
    request=None,
    responses={200: ProductOutputSerializer, 400: _REFUSED, 404: _NOT_FOUND},
    description=gettext_lazy(
        "Put a draft, delisted or sold-out listing live; a listing that screening holds goes to "
        "pending review instead."
    ),
)
class SellerProductPublishApi(_SellerProductTransitionApi):
    action = "publish"


@extend_schema(
    tags=TAGS,
    request=None,
    responses={200: ProductOutputSerializer, 400: _REFUSED, 404: _NOT_FOUND},
    description=gettext_lazy("Take a live or sold-out listing off the storefront."),
)
class SellerProductDelistApi(_SellerProductTransitionApi):
    action = "delist"


# --- SKUs and stock -------------------------------------------------------------------------------


@extend_schema_serializer(component_name="SellerVariantListItem")
class VariantListOutputSerializer(VariantOutputSerializer):
    @extend_schema_serializer(component_name="SellerProductRef")
    class ProductRefSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        title = serializers.CharField()
        status = serializers.ChoiceField(choices=Product.Status.choices)

    product = ProductRefSerializer()


@extend_schema_serializer(component_name="SellerStockMovement")
class StockMovementOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    variant_id = serializers.IntegerField()
    sku = serializers.CharField(source="variant.sku")
    delta = serializers.IntegerField()
    quantity_after = serializers.IntegerField()
    reason = serializers.ChoiceField(choices=StockMovement.Reason.choices)
    reference = serializers.CharField()
    note = serializers.CharField()
    created_at = serializers.DateTimeField()


class SellerVariantListApi(SellerApi):
    """The seller's SKUs with their stock, low-stock ones first."""

    @extend_schema_serializer(component_name="SellerVariantFilter")
    class FilterSerializer(serializers.Serializer):
        low_stock = serializers.BooleanField(
            required=False,
            default=False,
            help_text=gettext_lazy("Only SKUs at or below their low-stock threshold."),
        )

    @extend_schema(
        tags=TAGS,
        parameters=[FilterSerializer],
        responses={200: VariantListOutputSerializer(many=True), 400: _REFUSED},
    )
    def get(self, request):
        filters = self._parse(self.FilterSerializer, request.query_params)
        variants = selectors_seller.seller_variant_list(
            seller_id=request.seller.id, low_stock_only=filters["low_stock"]
        )
        return self._page(variants, VariantListOutputSerializer)


class SellerStockAdjustmentCreateApi(SellerApi):
    """A manual stock change of one SKU: restocks add, damage removes, adjustments go either way."""

    @extend_schema_serializer(component_name="SellerStockAdjustment")
    class InputSerializer(serializers.Serializer):
        delta = serializers.IntegerField(help_text=gettext_lazy("Units to add (positive) or remove."))
        reason = serializers.ChoiceField(
            choices=[
                (r.value, r.label) for r in StockMovement.Reason if r in services_listing.SELLER_STOCK_REASONS
            ]
        )
        note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={201: StockMovementOutputSerializer, 400: _REFUSED, 404: _NOT_FOUND},
    )
    def post(self, request, variant_id: int):
        variant = selectors_seller.seller_variant_get(seller_id=request.seller.id, variant_id=variant_id)
        if variant is None:
            raise Http404(_("No such SKU."))
        data = self._parse(self.InputSerializer, request.data)
        try:
            movement = services_listing.seller_stock_adjust(
                seller_id=request.seller.id,
                variant_id=variant.id,
                delta=data["delta"],
                reason=data["reason"],
                note=data["note"],
                actor_id=request.user.id,
            )
        except ApplicationError as exc:
            raise ValidationError(_field_errors(exc, rename={"stock": "delta"})) from exc
        movement.variant = variant
        return Response(StockMovementOutputSerializer(movement).data, status=status.HTTP_201_CREATED)


class SellerStockMovementListApi(SellerApi):
    """The seller's stock history, newest first: every change of every SKU, and why."""

    @extend_schema_serializer(component_name="SellerStockMovementFilter")
    class FilterSerializer(serializers.Serializer):
        variant = serializers.IntegerField(
            required=False, help_text=gettext_lazy("Only this SKU's movements (its id).")
        )

    @extend_schema(
        tags=TAGS,
        parameters=[FilterSerializer],
        responses={200: StockMovementOutputSerializer(many=True), 400: _REFUSED},
    )
    def get(self, request):
        filters = self._parse(self.FilterSerializer, request.query_params)
        movements = selectors_seller.seller_stock_movement_history(
            seller_id=request.seller.id, variant_id=filters.get("variant")
        )
        return self._page(movements, StockMovementOutputSerializer)
