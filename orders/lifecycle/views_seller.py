"""Seller-portal pages for the seller's parts of orders (list, detail with its actions, process, cancel,
packing slip); the shipping actions on the detail page are ``orders.shipping.views_seller``'s.

Every page is behind ``SellerRequiredMixin`` (which sets ``request.seller``); every id in a URL is read
through ``orders.lifecycle.selectors`` scoped to that seller, so another seller's id is a 404 — for the
POST-only URLs too, whose GET answers 404 before it answers 405. Writes go through
``orders.shipping.services``; its ``ApplicationError`` becomes a form error or a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import SellerRequiredMixin
from common.exceptions import ApplicationError
from orders.lifecycle import selectors
from orders.lifecycle.forms import SellerOrderCancelForm, SellerOrderFilterForm, service_error_add
from orders.models import OrderEvent, OrderStatus, SellerOrder, Shipment
from orders.shipping import services as services_shipping
from orders.shipping.forms import ShipmentCreateForm, TrackingUpdateForm

PAGE_SIZE = 25
ADDRESS_KEYS = ("full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone")


def part_or_404(request: HttpRequest, pk: int) -> SellerOrder:
    part = selectors.seller_order_get(seller_id=request.seller.id, seller_order_id=pk)
    if part is None:
        raise Http404
    return part


def tracking_prefix(shipment_id: int) -> str:
    return f"tracking-{shipment_id}"


def _event_rows(events: list[OrderEvent]) -> list[dict[str, Any]]:
    """The timeline as the template shows it: labels looked up here, not in the template."""
    rows = []
    for event in events:
        data = event.data or {}
        shipment_status = data.get("status", "")
        rows.append(
            {
                "event": event,
                "whole_order": event.seller_order_id is None,
                "from_label": OrderStatus(event.from_status).label if event.from_status else "",
                "to_label": OrderStatus(event.to_status).label if event.to_status else "",
                "shipment_status_label": Shipment.Status(shipment_status).label
                if shipment_status in Shipment.Status.values
                else "",
            }
        )
    return rows


class OwnedObjectMixin:
    """Look the URL's object up before refusing a method, so that for another seller's id every method
    is a 404 (the URL gives nothing away) and only the owner learns which methods exist (405)."""

    def lookup(self, request: HttpRequest, pk: int) -> object:
        return part_or_404(request, pk)

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if "pk" in kwargs:
            self.lookup(request, kwargs["pk"])
        return super().http_method_not_allowed(request, *args, **kwargs)


class SellerOrderListView(SellerRequiredMixin, View):
    template_name = "seller/orders/order_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SellerOrderFilterForm(request.GET or None)
        status = form.cleaned_data["status"] if form.is_valid() else ""
        parts = selectors.seller_order_list(seller_id=request.seller.id, status=status)
        page = Paginator(parts, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "filter_form": form,
            "page": page,
            "parts": page.object_list,
            "status_filter": status,
            "counts": selectors.seller_order_counts(seller_id=request.seller.id),
        }
        return TemplateResponse(request, self.template_name, context)


class SellerOrderDetailView(OwnedObjectMixin, SellerRequiredMixin, View):
    template_name = "seller/orders/order_detail.html"

    @classmethod
    def detail_context_extra(cls, part: SellerOrder) -> dict[str, Any]:
        """Figures of other apps about this part (the commission), added by ``marketplace.pages.portal``."""
        return {}

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_detail(request, part_or_404(request, pk))

    @classmethod
    def render_detail(
        cls,
        request: HttpRequest,
        part: SellerOrder,
        *,
        ship_form: ShipmentCreateForm | None = None,
        cancel_form: SellerOrderCancelForm | None = None,
        tracking_form: TrackingUpdateForm | None = None,
        tracking_shipment_id: int | None = None,
        status: int = 200,
    ) -> HttpResponse:
        lines = list(part.lines.all())
        shipments = list(part.shipments.all())
        ship_form = ship_form or ShipmentCreateForm(lines=lines)
        open_status = part.status in services_shipping.SHIPPABLE
        remaining = sum(line.remaining_quantity for line in lines)
        shipment_rows = [
            {
                "shipment": shipment,
                "form": tracking_form
                if tracking_form is not None and shipment.pk == tracking_shipment_id
                else TrackingUpdateForm(prefix=tracking_prefix(shipment.pk)),
            }
            for shipment in shipments
        ]
        address = part.order.shipping_address or {}
        context = {
            "part": part,
            "order": part.order,
            "currency": part.order.currency,
            "address": {key: address.get(key, "") for key in ADDRESS_KEYS},
            "lines": lines,
            "shipment_rows": shipment_rows,
            "timeline": _event_rows(list(selectors.seller_order_timeline(seller_order=part))),
            "can_process": part.status == OrderStatus.PAID,
            "can_ship": open_status and remaining > 0,
            "can_cancel": open_status and not shipments,
            "ship_form": ship_form,
            "ship_lines": [(line, ship_form[name]) for line, name in ship_form.line_fields],
            "known_carriers": services_shipping.KNOWN_CARRIERS,
            "cancel_form": cancel_form or SellerOrderCancelForm(),
            **cls.detail_context_extra(part),
        }
        return TemplateResponse(request, cls.template_name, context, status=status)


class PostOnlyPartView(OwnedObjectMixin, SellerRequiredMixin, View):
    """An action on one of the seller's parts; a refused form is shown on ``detail_view``'s page."""

    detail_view: type[SellerOrderDetailView] = SellerOrderDetailView

    @staticmethod
    def back(part: SellerOrder) -> HttpResponse:
        return redirect("seller:order-detail", pk=part.pk)


class SellerOrderProcessView(PostOnlyPartView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        part = part_or_404(request, pk)
        try:
            services_shipping.seller_order_start_processing(
                seller_order_id=part.pk, seller_id=request.seller.id, actor_id=request.user.id
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The order is now being processed."))
        return self.back(part)


class SellerOrderCancelView(PostOnlyPartView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        part = part_or_404(request, pk)
        form = SellerOrderCancelForm(request.POST)
        if form.is_valid():
            try:
                services_shipping.seller_order_cancel(
                    seller_order_id=part.pk,
                    seller_id=request.seller.id,
                    actor_id=request.user.id,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                service_error_add(form, exc)
            else:
                messages.success(request, _("The order is cancelled; the shopper has been told why."))
                return self.back(part)
        return self.detail_view.render_detail(request, part, cancel_form=form)


class SellerOrderPackingSlipView(OwnedObjectMixin, SellerRequiredMixin, View):
    template_name = "seller/orders/packing_slip.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        part = part_or_404(request, pk)
        address = part.order.shipping_address or {}
        context = {
            "part": part,
            "order": part.order,
            "lines": list(part.lines.all()),
            "address": {key: address.get(key, "") for key in ADDRESS_KEYS},
        }
        return TemplateResponse(request, self.template_name, context)
