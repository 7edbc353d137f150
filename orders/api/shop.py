"""The shopper API: the cart, the checkout (with an ``Idempotency-Key``), the shopper's orders and reviews.

It does what the shop pages (``orders.cart.views``, ``orders.lifecycle.views_shop``) do, through the same services and selectors: the same
cart for the same request (``cart_for_request``: the signed-in user's, or the one the guest's session
holds), the same order visibility (``order_for_request``: the buyer, or a guest who placed or looked the
order up in this session; anyone else gets a 404). Session authentication only, with CSRF on every unsafe
request that a session identifies — a signed-in user's, as DRF does, and also a guest's once their session
holds a cart — so another site cannot fill or check out someone's cart. JSON bodies only.

Refusals: bad shape → 400 with field errors; a rule a service refuses → 400 (``common.api``); out of stock
or a total that changed since the shopper saw it → 409, with nothing written.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
    extend_schema_serializer,
)
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Address
from catalog.services import OutOfStock
from common.exceptions import ApplicationError
from orders.api.serializers import (
    CartLineAddedSerializer,
    CartSerializer,
    CheckoutResultSerializer,
    OrderDetailSerializer,
    OrderListItemSerializer,
    ProductReviewSerializer,
    SellerRatingSerializer,
    order_totals,
)
from orders.cart import selectors as cart_selectors
from orders.cart import services as cart_services
from orders.lifecycle import selectors as order_selectors
from orders.lifecycle import services as order_services
from orders.lifecycle.transitions import order_cancellable_by_shopper
from orders.models import Cart, Order, OrderLine, OrderStatus, ProductReview, SellerOrder
from orders.reviews import services as review_services
from orders.viewer import CART_SESSION_KEY, cart_for_request, guest_remember, order_for_request

TAGS = ["shopper"]
IDEMPOTENCY_HEADER = "Idempotency-Key"
PREFER_HEADER = "Prefer"
PREFERENCE_APPLIED_HEADER = "Preference-Applied"
IDEMPOTENCY_KEY_MAX_LENGTH = 200
ADDRESS_FIELDS = cart_services.ADDRESS_FIELDS


_REFUSED = OpenApiResponse(
    description=gettext_lazy(
        "Invalid input or a refused request: `detail` says why, fields' errors are keyed by field. "
        "Nothing was written."
    )
)
_CONFLICT = OpenApiResponse(
    description=gettext_lazy(
        "Not enough stock, or the total is not the one the shopper confirmed (`total_amount` gives the "
        "new one). Nothing was written."
    )
)
_NOT_FOUND = OpenApiResponse(description=gettext_lazy("No such object among the shopper's own."))


def _prefers_minimal(request) -> bool:
    """Whether the client asked for ``return=minimal`` (RFC 7240: comma-separated preferences, each
    possibly with parameters after ``;``, the value possibly quoted)."""
    for preference in request.headers.get(PREFER_HEADER, "").split(","):
        name, _sep, value = preference.split(";", 1)[0].partition("=")
        if name.strip().lower() == "return" and value.strip().strip('"').lower() == "minimal":
            return True
    return False


def _conflict(exc: ApplicationError, **more: Any) -> Response:
    return Response({"detail": exc.message, **exc.extra, **more}, status=status.HTTP_409_CONFLICT)


def _user_id(request) -> int | None:
    return request.user.pk if request.user.is_authenticated else None


class ShopperApi(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [AllowAny]
    parser_classes = [JSONParser]

    def initial(self, request, *args, **kwargs) -> None:
        """DRF checks CSRF for signed-in sessions; a guest's session that holds a cart is a credential
        for this API too, so its unsafe requests need the token as well."""
        super().initial(request, *args, **kwargs)
        if not request.user.is_authenticated and request.session.get(CART_SESSION_KEY):
            SessionAuthentication().enforce_csrf(request)

    @staticmethod
    def _parse(serializer_class, data, **kwargs) -> dict[str, Any]:
        serializer = serializer_class(data=data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _summary(self, cart: Cart | None, *, coupon_code: str = "", shipping_choice=None, email: str = ""):
        user = self.request.user
        return cart_selectors.cart_summary(
            cart_id=cart.pk if cart is not None else None,
            now=timezone.now(),
            coupon_code=coupon_code,
            shipping_choice=shipping_choice,
            email=email or (user.email if user.is_authenticated else ""),
            user_id=_user_id(self.request),
        )

    def _cart_response(self, cart: Cart | None, *, notices=(), code: int = status.HTTP_200_OK) -> Response:
        summary = self._summary(cart)
        return Response(CartSerializer(summary, context={"notices": list(notices)}).data, status=code)


# --- cart -----------------------------------------------------------------------------------------------


def _shipping_choice(value: dict[str, int]) -> dict[int, int]:
    choice: dict[int, int] = {}
    for key, method_id in value.items():
        if not str(key).isdigit() or int(key) <= 0:
            raise serializers.ValidationError(_("Keys must be seller ids."))
        choice[int(key)] = method_id
    return choice


class CartApi(ShopperApi):
    """The cart as the shopper sees it now: live prices and stock, what changed since each line was
    added, a group per seller with its shipping options, and the totals. Also sets the CSRF cookie."""

    @extend_schema_serializer(component_name="CartQuery")
    class QuerySerializer(serializers.Serializer):
        coupon_code = serializers.CharField(
            required=False,
            default="",
            allow_blank=True,
            max_length=40,
            help_text=gettext_lazy("Preview a coupon."),
        )
        shipping = serializers.ListField(
            child=serializers.RegexField(r"^\d+:\d+$", max_length=40),
            required=False,
            default=list,
            help_text=gettext_lazy(
                "Preview shipping choices, each `<seller id>:<shipping method id>` (repeat the parameter)."
            ),
        )

    @method_decorator(ensure_csrf_cookie)
    @extend_schema(tags=TAGS, parameters=[QuerySerializer], responses={200: CartSerializer, 400: _REFUSED})
    def get(self, request):
        query = self._parse(self.QuerySerializer, request.query_params)
        choice = dict(tuple(int(part) for part in pair.split(":")) for pair in query["shipping"])
        cart = cart_for_request(request, create=False)
        summary = self._summary(
            cart, coupon_code=query["coupon_code"].strip().upper(), shipping_choice=choice
        )
        return Response(CartSerializer(summary, context={"notices": []}).data)


class CartLineCreateApi(ShopperApi):
    @extend_schema_serializer(component_name="CartLineAdd")
    class InputSerializer(serializers.Serializer):
        # Capped at the largest 64-bit id: a bigger one is a 400 here, not an OverflowError in the lookup.
        variant = serializers.IntegerField(
            min_value=1, max_value=2**63 - 1, help_text=gettext_lazy("The SKU's id.")
        )
        quantity = serializers.IntegerField(
            min_value=1, max_value=cart_selectors.CART_MAX_QUANTITY, required=False, default=1
        )

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        parameters=[
            OpenApiParameter(
                PREFER_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=False,
                description=gettext_lazy(
                    "`return=minimal` (RFC 7240): answer with the line and the cart's unit count "
                    "(`CartLineAdded`) instead of the whole priced cart; the answer then carries "
                    "`Preference-Applied: return=minimal`."
                ),
            )
        ],
        responses={
            201: PolymorphicProxySerializer(
                component_name="CartLineAddResult",
                serializers=[CartSerializer, CartLineAddedSerializer],
                resource_type_field_name=None,
            ),
            400: _REFUSED,
            409: _CONFLICT,
        },
        description=gettext_lazy(
            "Add units of a SKU (added to what the cart already holds), capped by the stock on hand; "
            "`notices` says when the cap applied. Returns the whole cart."
        ),
    )
    def post(self, request):
        data = self._parse(self.InputSerializer, request.data)
        cart = cart_for_request(request, create=True)
        try:
            line, capped = cart_services.cart_line_add(
                cart_id=cart.pk, variant_id=data["variant"], quantity=data["quantity"]
            )
        except OutOfStock as exc:
            return _conflict(exc)
        notices = []
        if capped:
            notices.append(
                _("Only %(count)d in stock: your cart now holds all of them.") % {"count": line.quantity}
            )
        if not _prefers_minimal(request):
            return self._cart_response(cart, notices=notices, code=status.HTTP_201_CREATED)
        # Pricing the whole cart is most of this request's cost; a client that goes straight on (to the
        # checkout, which prices it anyway) or only shows a badge does not need it.
        added = {"line": line, "count": cart_selectors.cart_units(cart_id=cart.pk), "notices": notices}
        response = Response(CartLineAddedSerializer(added).data, status=status.HTTP_201_CREATED)
        response[PREFERENCE_APPLIED_HEADER] = "return=minimal"
        patch_vary_headers(response, [PREFER_HEADER])
        return response


class CartLineDetailApi(ShopperApi):
    @extend_schema_serializer(component_name="CartLineQuantity")
    class InputSerializer(serializers.Serializer):
        quantity = serializers.IntegerField(
            min_value=0,
            max_value=cart_selectors.CART_MAX_QUANTITY,
            help_text=gettext_lazy("0 removes the line."),
        )

    def _cart_with_line(self, request, variant_id: int) -> Cart:
        cart = cart_for_request(request, create=False)
        if cart is None or not cart.lines.filter(variant_id=variant_id).exists():
            raise Http404(_("This product is not in your cart."))
        return cart

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: CartSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy(
            "Set a line's quantity (0 removes it), capped by the stock on hand; the line's seen price "
            "becomes the current price."
        ),
    )
    def patch(self, request, variant_id: int):
        data = self._parse(self.InputSerializer, request.data)
        cart = self._cart_with_line(request, variant_id)
        line, capped = cart_services.cart_line_set_quantity(
            cart_id=cart.pk, variant_id=variant_id, quantity=data["quantity"]
        )
        notices = []
        if capped and line is None:
            notices.append(_("This product is sold out and was removed from your cart."))
        elif capped and line is not None:  # capped without a line: the branch above
            notices.append(
                _("Only %(count)d in stock: your cart now holds all of them.") % {"count": line.quantity}
            )
        return self._cart_response(cart, notices=notices)

    @extend_schema(tags=TAGS, request=None, responses={200: CartSerializer, 404: _NOT_FOUND})
    def delete(self, request, variant_id: int):
        cart = self._cart_with_line(request, variant_id)
        cart_services.cart_line_remove(cart_id=cart.pk, variant_id=variant_id)
        return self._cart_response(cart)


# --- checkout -------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="CheckoutAddress")
class AddressInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=120)
    line1 = serializers.CharField(max_length=200)
    line2 = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    city = serializers.CharField(max_length=100)
    region = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    postal_code = serializers.CharField(max_length=20)
    country = serializers.CharField(
        min_length=2,
        max_length=2,
        help_text=gettext_lazy(
            "ISO 3166 two-letter code of a country, e.g. US, GB or CN (not a region such as EU or UN)."
        ),
    )
    phone = serializers.CharField(max_length=32, required=False, allow_blank=True, default="")

    def validate_country(self, value: str) -> str:
        # Whether it is a country is the checkout service's rule; its refusal comes back under this key.
        return value.strip().upper()


class CheckoutApi(ShopperApi):
    """Place the cart as one order (split by seller) at exactly the total the shopper confirmed."""

    @extend_schema_serializer(component_name="CheckoutInput")
    class InputSerializer(serializers.Serializer):
        email = serializers.EmailField(
            required=False,
            help_text=gettext_lazy("Where order updates go; required for guests, the account's by default."),
        )
        shipping_address = AddressInputSerializer(required=False)
        address_id = serializers.IntegerField(
            required=False, min_value=1, help_text=gettext_lazy("One of the shopper's saved addresses.")
        )
        shipping = serializers.DictField(
            child=serializers.IntegerField(min_value=1),
            required=False,
            default=dict,
            help_text=gettext_lazy(
                'The shipping method per seller: `{"<seller id>": <method id>}`; a seller left out '
                "gets their first method."
            ),
        )
        coupon_code = serializers.CharField(required=False, allow_blank=True, default="", max_length=40)
        expected_total = serializers.IntegerField(
            required=False,
            allow_null=True,
            default=None,
            min_value=0,
            max_value=cart_services.MONEY_AMOUNT_MAX,
            help_text=gettext_lazy(
                "The total (minor units) the shopper confirmed; if the total is now different, nothing "
                "is placed and the answer is a 409 with the new total."
            ),
        )

        def validate_shipping(self, value: dict[str, int]) -> dict[int, int]:
            return _shipping_choice(value)

        def validate_coupon_code(self, value: str) -> str:
            return value.strip().upper()

        def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
            given = [key for key in ("shipping_address", "address_id") if attrs.get(key) is not None]
            if len(given) != 1:
                message = _("Give either a shipping address or the id of a saved address.")
                raise ValidationError({"shipping_address": [message], "address_id": [message]})
            return attrs

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        parameters=[
            OpenApiParameter(
                IDEMPOTENCY_HEADER,
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                required=True,
                description=gettext_lazy(
                    "A value unique to this checkout attempt (e.g. a UUID). Repeating the request with "
                    "the same key returns the order the first one placed (200) instead of a second order."
                ),
            )
        ],
        responses={
            201: CheckoutResultSerializer,
            200: OpenApiResponse(
                CheckoutResultSerializer,
                description=gettext_lazy("This key had already placed this order; nothing new was written."),
            ),
            400: _REFUSED,
            409: _CONFLICT,
        },
    )
    def post(self, request):
        key = request.headers.get(IDEMPOTENCY_HEADER, "").strip()
        if not key or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            raise ValidationError(
                {
                    "detail": _("Send an %(header)s header of 1 to %(max)d characters.")
                    % {"header": IDEMPOTENCY_HEADER, "max": IDEMPOTENCY_KEY_MAX_LENGTH},
                    "idempotency_key": [_("This header is required.")],
                }
            )
        owner = cart_services.checkout_owner(
            user_id=_user_id(request), session_key=request.session.session_key
        )

        data = self._parse(self.InputSerializer, request.data)
        user = request.user
        email = data.get("email") or (user.email if user.is_authenticated else "")
        if not email:
            raise ValidationError({"email": [_("Give an e-mail address for order updates.")]})
        address = self._address(request, data)
        cart = cart_for_request(request, create=False)
        if cart is None or owner is None:
            raise ValidationError({"detail": _("Your cart is empty."), "cart": ["empty"]})
        try:
            order, created = cart_services.checkout_place(
                cart_id=cart.pk,
                buyer_id=_user_id(request),
                email=email,
                shipping_address=address,
                shipping_choice=data["shipping"],
                coupon_code=data["coupon_code"],
                expected_total=data["expected_total"],
                idempotency_key=key,
                owner=owner,
                language=get_language() or "",
            )
        except OutOfStock as exc:
            return _conflict(exc)
        except cart_services.PriceChanged as exc:
            summary = self._summary(
                cart, coupon_code=data["coupon_code"], shipping_choice=data["shipping"], email=email
            )
            return _conflict(exc, total_amount=summary.pricing.total if summary.pricing else 0)
        except ApplicationError as exc:
            raise ValidationError(_checkout_errors(exc)) from exc
        return self._result(request, order, created=created)

    @staticmethod
    def _address(request, data: dict[str, Any]) -> dict[str, str]:
        if data.get("address_id") is None:
            return dict(data["shipping_address"])
        address = (
            Address.objects.filter(pk=data["address_id"], user=request.user).first()
            if request.user.is_authenticated
            else None
        )
        if address is None:  # someone else's id reads as a missing one
            raise ValidationError({"address_id": [_("No such address in your address book (not found).")]})
        return {key: getattr(address, key) for key in ADDRESS_FIELDS}

    @staticmethod
    def _result(request, order: Order, *, created: bool) -> Response:
        if order.buyer_id is None:
            # A guest sees the order through their session; a buyer through their account (signing out
            # ends the session anyway), so their session is not written for it.
            guest_remember(request._request, order.number)
        url = request.build_absolute_uri(reverse("orders-api:order-detail", args=[order.number]))
        data = {
            "order": order,
            "totals": order_totals(order),
            "payment": _payment_step(request, order),
            "url": url,
        }
        return Response(
            CheckoutResultSerializer(data).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
            headers={"Location": url},
        )


def _checkout_errors(exc: ApplicationError) -> dict[str, Any]:
    """The checkout's refusal in the serializers' shape: address fields under ``shipping_address``."""
    errors: dict[str, Any] = {"detail": exc.message}
    for key, value in exc.extra.items():
        if key in ADDRESS_FIELDS:
            errors.setdefault("shipping_address", {})[key] = value
        else:
            errors[key] = value
    return errors


def _payment_step(request, order: Order) -> dict[str, Any] | None:
    if order.status != OrderStatus.PENDING_PAYMENT:
        return None
    return {
        "next_url": request.build_absolute_uri(reverse("orders:order-pay", args=[order.number])),
        "amount": order.total_amount,
        "currency": order.currency,
    }


# --- orders ---------------------------------------------------------------------------------------------


class OrderPagination(PageNumberPagination):
    page_size = 20


class OrderListApi(GenericAPIView):
    """The signed-in shopper's orders, newest first."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]
    pagination_class = OrderPagination
    filter_backends: list = []
    serializer_class = OrderListItemSerializer

    @extend_schema(tags=TAGS, responses={200: OrderListItemSerializer(many=True)})
    def get(self, request):
        page = self.paginate_queryset(order_selectors.order_list_for_buyer(user_id=request.user.pk))
        return self.get_paginated_response(OrderListItemSerializer(page, many=True).data)


def _order_detail_data(request, order: Order) -> dict[str, Any]:
    parts = order_selectors.order_detail_parts(order_id=order.pk)
    return {
        "order": order,
        "totals": order_totals(order),
        "cancellable": order_cancellable_by_shopper([p.status for p in parts]),
        "payment": _payment_step(request, order),
        "parts": parts,
        "timeline": order_selectors.order_timeline(order_id=order.pk),
    }


class OrderDetailApi(ShopperApi):
    """One of the shopper's orders: its parts per seller, lines, shipments with tracking, and timeline."""

    @extend_schema(tags=TAGS, responses={200: OrderDetailSerializer, 404: _NOT_FOUND})
    def get(self, request, number: str):
        order = order_for_request(request, number)
        return Response(OrderDetailSerializer(_order_detail_data(request, order)).data)


class OrderCancelApi(ShopperApi):
    @extend_schema_serializer(component_name="OrderCancelInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=500)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: OrderDetailSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy(
            "Cancel every part of the order not yet shipped; refused once any part has been shipped."
        ),
    )
    def post(self, request, number: str):
        order = order_for_request(request, number)
        data = self._parse(self.InputSerializer, request.data)
        order_services.order_cancel_by_shopper(
            order_id=order.pk, user_id=_user_id(request), reason=data["reason"]
        )
        order.refresh_from_db()
        return Response(OrderDetailSerializer(_order_detail_data(request, order)).data)


# --- reviews --------------------------------------------------------------------------------------------


class _ReviewApi(ShopperApi):
    permission_classes = [IsAuthenticated]


class ProductReviewCreateApi(_ReviewApi):
    """A verified-purchase review of a delivered order line (one per line)."""

    @extend_schema_serializer(component_name="ProductReviewCreate")
    class InputSerializer(serializers.Serializer):
        order_line = serializers.IntegerField(min_value=1)
        rating = serializers.IntegerField(min_value=1, max_value=5)
        title = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
        body = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")

    @extend_schema(
        tags=TAGS, request=InputSerializer, responses={201: ProductReviewSerializer, 400: _REFUSED}
    )
    def post(self, request):
        data = self._parse(self.InputSerializer, request.data)
        owned = OrderLine.objects.filter(
            pk=data["order_line"], seller_order__order__buyer_id=request.user.pk
        ).exists()
        if not owned:
            raise ValidationError({"order_line": [_("No such item among your orders (not found).")]})
        review = review_services.product_review_create(
            order_line_id=data["order_line"],
            author_id=request.user.pk,
            rating=data["rating"],
            title=data["title"],
            body=data["body"],
        )
        return Response(ProductReviewSerializer(review).data, status=status.HTTP_201_CREATED)


class ProductReviewUpdateApi(_ReviewApi):
    @extend_schema_serializer(component_name="ProductReviewUpdate")
    class InputSerializer(serializers.Serializer):
        rating = serializers.IntegerField(min_value=1, max_value=5, required=False)
        title = serializers.CharField(max_length=120, required=False, allow_blank=True)
        body = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    @extend_schema(
        tags=TAGS,
        request=InputSerializer,
        responses={200: ProductReviewSerializer, 400: _REFUSED, 404: _NOT_FOUND},
        description=gettext_lazy("Change the fields given, within the editing period."),
    )
    def patch(self, request, review_id: int):
        review = ProductReview.objects.filter(pk=review_id, author_id=request.user.pk).first()
        if review is None:
            raise Http404(_("No such review."))
        data = self._parse(self.InputSerializer, request.data)
        review = review_services.product_review_update(
            review_id=review.pk,
            author_id=request.user.pk,
            rating=data.get("rating", review.rating),
            title=data.get("title", review.title),
            body=data.get("body", review.body),
        )
        return Response(ProductReviewSerializer(review).data)


class SellerRatingCreateApi(_ReviewApi):
    """The shopper's rating of the seller of one delivered part of their order (once per part)."""

    @extend_schema_serializer(component_name="SellerRatingCreate")
    class InputSerializer(serializers.Serializer):
        seller_order = serializers.IntegerField(
            min_value=1, help_text=gettext_lazy("The id of a part of one of the shopper's orders.")
        )
        rating = serializers.IntegerField(min_value=1, max_value=5)
        comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")

    @extend_schema(tags=TAGS, request=InputSerializer, responses={201: SellerRatingSerializer, 400: _REFUSED})
    def post(self, request):
        data = self._parse(self.InputSerializer, request.data)
        owned = SellerOrder.objects.filter(pk=data["seller_order"], order__buyer_id=request.user.pk).exists()
        if not owned:
            raise ValidationError({"seller_order": [_("No such order among yours (not found).")]})
        rating = review_services.seller_rating_create(
            seller_order_id=data["seller_order"],
            author_id=request.user.pk,
            rating=data["rating"],
            comment=data["comment"],
        )
        return Response(SellerRatingSerializer(rating).data, status=status.HTTP_201_CREATED)
