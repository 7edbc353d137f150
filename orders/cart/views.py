"""Shopper pages: the cart and the checkout."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.selectors import address_list
from common.exceptions import ApplicationError
from common.tracking import track, visitor_id
from orders.cart import selectors, services
from orders.cart.forms import CheckoutForm
from orders.viewer import cart_for_request, guest_remember


def _track(request: HttpRequest, event_type: str, **properties: Any) -> None:
    track(
        event_type=event_type,
        user_id=request.user.pk if request.user.is_authenticated else None,
        session_key=visitor_id(request),
        properties=properties,
        path=request.path,
        user_agent=request.META.get("HTTP_USER_AGENT", ""),
    )


# --- cart -----------------------------------------------------------------------------------------------


class CartAddView(View):
    """POST from the product page: add a SKU to the cart, capped by stock. CSRF-protected like every form;
    the cached product page gets the visitor's token from static/js/csrf.js (see marketplace.csrf)."""

    def post(self, request: HttpRequest) -> HttpResponse:
        try:
            variant_id = int(request.POST.get("variant", ""))
            quantity = int(request.POST.get("quantity", "1"))
        except ValueError:
            return HttpResponseBadRequest(_("Choose a product option and a quantity."))
        back = request.POST.get("next") or reverse("orders:cart")
        if not back.startswith("/") or back.startswith("//"):
            back = reverse("orders:cart")
        cart = cart_for_request(request, create=True)
        try:
            line, capped = services.cart_line_add(cart_id=cart.pk, variant_id=variant_id, quantity=quantity)
        except ApplicationError as exc:
            messages.error(request, exc.message)
            return redirect(back)
        _track(request, "add_to_cart", variant=variant_id, quantity=quantity)
        if capped:
            messages.warning(
                request,
                _("Only %(count)d in stock: your cart now holds all of them.") % {"count": line.quantity},
            )
        else:
            messages.success(request, _("Added to your cart."))
        return redirect(reverse("orders:cart"))


class CartView(TemplateView):
    template_name = "shop/orders/cart.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        cart = cart_for_request(self.request, create=False)
        user = self.request.user
        summary = selectors.cart_summary(
            cart_id=cart.pk if cart is not None else None,
            now=timezone.now(),
            email=user.email if user.is_authenticated else "",
            user_id=user.pk if user.is_authenticated else None,
        )
        return {
            **super().get_context_data(**kwargs),
            "summary": summary,
            "max_quantity": selectors.CART_MAX_QUANTITY,
        }

    def post(self, request: HttpRequest) -> HttpResponse:
        cart = cart_for_request(request, create=False)
        if cart is None:
            return redirect("orders:cart")
        try:
            if "remove" in request.POST:
                variant_id = int(request.POST["remove"])
                if services.cart_line_remove(cart_id=cart.pk, variant_id=variant_id):
                    _track(request, "remove_from_cart", variant=variant_id)
                    messages.success(request, _("Removed from your cart."))
            elif "accept_prices" in request.POST:
                services.cart_prices_accept(cart_id=cart.pk)
            else:
                quantities = {
                    int(key.removeprefix("quantity-")): int(value or 0)
                    for key, value in request.POST.items()
                    if key.startswith("quantity-")
                }
                removed, capped = services.cart_quantities_set(cart_id=cart.pk, quantities=quantities)
                for variant_id in removed:
                    _track(request, "remove_from_cart", variant=variant_id)
                if capped:
                    messages.warning(request, _("Some quantities were lowered to the stock available."))
                messages.success(request, _("Your cart was updated."))
        except ValueError:
            messages.error(request, _("Enter whole numbers for quantities."))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("orders:cart")


# --- checkout -------------------------------------------------------------------------------------------


class CheckoutView(TemplateView):
    """One page: address, shipping per seller, coupon and the priced review; "Update" re-prices, "Place
    order" places it at exactly the total shown (or explains what changed)."""

    template_name = "shop/orders/checkout.html"

    def _summary(
        self, cart, *, coupon_code: str = "", shipping_choice=None, email: str = "", with_prices: bool = True
    ):
        user = self.request.user
        return selectors.cart_summary(
            cart_id=cart.pk if cart is not None else None,
            now=timezone.now(),
            coupon_code=coupon_code,
            shipping_choice=shipping_choice,
            email=email or (user.email if user.is_authenticated else ""),
            user_id=user.pk if user.is_authenticated else None,
            with_prices=with_prices,
        )

    @staticmethod
    def _owner(request: HttpRequest) -> str:
        """The idempotency owner (``services.checkout_owner``): the user, or this visitor's session."""
        if not request.user.is_authenticated and request.session.session_key is None:
            request.session.save()
        owner = services.checkout_owner(
            user_id=request.user.pk if request.user.is_authenticated else None,
            session_key=request.session.session_key,
        )
        assert owner is not None  # noqa: S101 - a user, or a session saved just above
        return owner

    def _addresses(self):
        user = self.request.user
        return list(address_list(user=user)) if user.is_authenticated else []

    def get(self, request: HttpRequest) -> HttpResponse:
        cart = cart_for_request(request, create=False)
        summary = self._summary(cart)
        if not summary.items:
            messages.info(request, _("Your cart is empty."))
            return redirect("orders:cart")
        addresses = self._addresses()
        default = next((a for a in addresses if a.is_default), addresses[0] if addresses else None)
        initial = {
            "email": request.user.email if request.user.is_authenticated else "",
            "idempotency_key": uuid.uuid4().hex,
            "expected_total": summary.pricing.total if summary.pricing else None,
            "saved_address": default.pk if default else None,
        }
        form = CheckoutForm(initial=initial, addresses=addresses, groups=summary.groups)
        _track(request, "checkout_step", step="checkout")
        return self.render_to_response(self.get_context_data(form=form, summary=summary))

    def post(self, request: HttpRequest) -> HttpResponse:
        cart = cart_for_request(request, create=False)
        # Only the lines and each seller's shipping methods, for the form: the checkout service prices
        # the cart itself (promotions included), and a re-render prices it again with what was asked.
        first = self._summary(cart, with_prices=False)
        if not first.items:
            messages.info(request, _("Your cart is empty."))
            return redirect("orders:cart")
        addresses = self._addresses()
        placing = request.POST.get("action") == "place"
        form = CheckoutForm(request.POST, addresses=addresses, groups=first.groups, placing=placing)
        valid = form.is_valid()
        coupon_code = (
            form.cleaned_data.get("coupon_code", "") if valid else request.POST.get("coupon_code", "")
        )
        shipping_choice = form.shipping_choice() if valid else {}
        if valid and placing:
            _track(request, "checkout_step", step="place")
            try:
                order, _created = services.checkout_place(
                    cart_id=cart.pk,
                    buyer_id=request.user.pk if request.user.is_authenticated else None,
                    email=form.cleaned_data["email"],
                    shipping_address=form.address(),
                    shipping_choice=shipping_choice,
                    coupon_code=coupon_code,
                    expected_total=form.cleaned_data.get("expected_total"),
                    idempotency_key=form.cleaned_data["idempotency_key"],
                    owner=self._owner(request),
                    language=get_language() or "",
                    visitor_key=visitor_id(request),
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                guest_remember(request, order.number)
                return redirect("orders:order-pay", number=order.number)
        elif not placing:
            _track(request, "checkout_step", step="review")
        # Re-render with the totals as they are now (priced only here: a placed order has been priced by
        # the checkout service already), and a fresh expected total to confirm.
        summary = self._summary(
            cart,
            coupon_code=coupon_code.strip().upper(),
            shipping_choice=shipping_choice,
            email=form.cleaned_data.get("email", "") if valid else "",
        )
        data = request.POST.copy()
        data["expected_total"] = str(summary.pricing.total) if summary.pricing else ""
        rebound = CheckoutForm(data, addresses=addresses, groups=summary.groups, placing=placing)
        rebound.is_valid()
        for error in form.non_field_errors():
            rebound.add_error(None, error)
        if summary.coupon_error and coupon_code:
            rebound.add_error("coupon_code", summary.coupon_error)
        return self.render_to_response(self.get_context_data(form=rebound, summary=summary))
