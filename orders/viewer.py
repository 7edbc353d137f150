"""Which cart and which orders a request may see: the signed-in shopper's, or the visitor's whose ids
the session holds (a guest sees the orders placed or looked up in this session). Shared by the orders
pages, the orders API and the payments pages; an order the request may not see is a 404."""

from __future__ import annotations

from django.http import Http404, HttpRequest

from orders.cart import services as cart_services
from orders.lifecycle import selectors as order_selectors
from orders.models import Cart, Order

CART_SESSION_KEY = "cart_id"
GUEST_ORDERS_SESSION_KEY = "guest_orders"


def cart_for_request(request: HttpRequest, *, create: bool) -> Cart | None:
    """A signed-in user's cart, or the visitor's cart whose id the session holds."""
    if request.user.is_authenticated:
        cart = Cart.objects.filter(user=request.user).first()
        if cart is None and create:
            cart = cart_services.cart_create(user_id=request.user.pk)
        return cart
    cart_id = request.session.get(CART_SESSION_KEY)
    cart = Cart.objects.filter(pk=cart_id, user__isnull=True).first() if cart_id else None
    if cart is None and create:
        cart = cart_services.cart_create(user_id=None)
        request.session[CART_SESSION_KEY] = cart.pk
    return cart


def cart_merge_at_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver (connected in ``OrdersConfig.ready``): the visitor's cart joins the
    user's. Sign-in keeps the session's data, so the visitor's cart id is still there."""
    cart_id = request.session.pop(CART_SESSION_KEY, None) if hasattr(request, "session") else None
    if cart_id:
        cart_services.cart_merge(from_cart_id=cart_id, user_id=user.pk)


def guest_numbers(request: HttpRequest) -> list[str]:
    return list(request.session.get(GUEST_ORDERS_SESSION_KEY, []))


def guest_remember(request: HttpRequest, number: str) -> None:
    numbers = guest_numbers(request)
    if number not in numbers:
        request.session[GUEST_ORDERS_SESSION_KEY] = [*numbers, number][-20:]


def order_for_request(request: HttpRequest, number: str) -> Order:
    order = order_selectors.order_get_for_viewer(
        number=number,
        user_id=request.user.pk if request.user.is_authenticated else None,
        guest_numbers=guest_numbers(request),
    )
    if order is None:
        raise Http404
    return order
