"""Shopper pages for placed orders: "My orders", order detail with timeline and tracking, cancellation,
the shopper's receipt confirmation, and the guest order look-up."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import ShopperRequiredMixin
from common.exceptions import ApplicationError
from orders.lifecycle import selectors, services
from orders.lifecycle.forms import CancelForm, GuestOrderLookupForm
from orders.lifecycle.transitions import order_cancellable_by_shopper
from orders.models import Order, OrderStatus
from orders.viewer import guest_remember, order_for_request


class OrderListView(ShopperRequiredMixin, TemplateView):
    template_name = "shop/orders/order_list.html"
    paginate_by = 20

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        paginator = Paginator(selectors.order_list_for_buyer(user_id=self.request.user.pk), self.paginate_by)
        page = paginator.get_page(self.request.GET.get("page"))
        return {**super().get_context_data(**kwargs), "page_obj": page, "orders": page.object_list}


class OrderDetailView(TemplateView):
    template_name = "shop/orders/order_detail.html"

    def order_context_extra(self, order: Order) -> dict[str, Any]:
        """Figures of other apps about this order (its refunds), added by ``marketplace.pages.storefront``."""
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        order = order_for_request(self.request, kwargs["number"])
        parts = selectors.order_detail_parts(order_id=order.pk)
        cancellable = order_cancellable_by_shopper([p.status for p in parts])
        reviewable = (
            self.request.user.is_authenticated
            and order.buyer_id == self.request.user.pk
            and any(p.status in (OrderStatus.DELIVERED, OrderStatus.COMPLETED) for p in parts)
        )
        return {
            **super().get_context_data(**kwargs),
            "order": order,
            "parts": parts,
            "timeline": selectors.order_timeline(order_id=order.pk),
            "cancellable": cancellable,
            "reviewable": reviewable,
            "cancel_form": CancelForm(),
            **self.order_context_extra(order),
        }


class OrderCancelView(View):
    def post(self, request: HttpRequest, number: str) -> HttpResponse:
        order = order_for_request(request, number)
        form = CancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.order_cancel_by_shopper(
                order_id=order.pk,
                user_id=request.user.pk if request.user.is_authenticated else None,
                reason=reason,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Your order was cancelled."))
        return redirect("orders:order-detail", number=number)


class OrderReceiptConfirmView(View):
    def post(self, request: HttpRequest, number: str, part_id: int) -> HttpResponse:
        order = order_for_request(request, number)
        if not order.seller_orders.filter(pk=part_id).exists():
            raise Http404
        try:
            services.seller_order_receipt_confirm(
                seller_order_id=part_id, user_id=request.user.pk if request.user.is_authenticated else None
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Thank you for confirming that your parcel arrived."))
        return redirect("orders:order-detail", number=number)


class GuestOrderLookupView(TemplateView):
    template_name = "shop/orders/guest_lookup.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        return {**super().get_context_data(**kwargs), "form": kwargs.get("form") or GuestOrderLookupForm()}

    def post(self, request: HttpRequest) -> HttpResponse:
        form = GuestOrderLookupForm(request.POST)
        if form.is_valid():
            order = selectors.order_lookup_guest(
                number=form.cleaned_data["number"], email=form.cleaned_data["email"]
            )
            if order is not None:
                guest_remember(request, order.number)
                return HttpResponseRedirect(reverse("orders:order-detail", args=[order.number]))
            # Same answer for a wrong number and a wrong e-mail: the form reveals nothing.
            form.add_error(None, _("We could not find an order with this number and e-mail."))
        return self.render_to_response(self.get_context_data(form=form), status=200)
