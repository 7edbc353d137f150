"""Seller-portal pages for shipping: ship a part (in one or more parcels), add a tracking update, and the
seller's shipping methods (list, create, edit, stop offering).

Every id in a URL is read through ``orders.shipping.selectors`` (or the part lookup of
``orders.lifecycle``'s seller pages) scoped to that seller, so another seller's id is a 404. Writes go
through ``orders.shipping.services``; its ``ApplicationError`` becomes a form error or a message; a refused
ship or tracking form is shown on the order page (``detail_view``).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import SellerRequiredMixin
from common.exceptions import ApplicationError
from orders.lifecycle.forms import service_error_add
from orders.lifecycle.views_seller import (
    OwnedObjectMixin,
    PostOnlyPartView,
    SellerOrderDetailView,
    part_or_404,
    tracking_prefix,
)
from orders.models import OrderEvent, Shipment, ShippingMethod
from orders.shipping import selectors, services
from orders.shipping.forms import ShipmentCreateForm, ShippingMethodForm, TrackingUpdateForm


class SellerOrderShipView(PostOnlyPartView):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        part = part_or_404(request, pk)
        form = ShipmentCreateForm(request.POST, lines=list(part.lines.all()))
        if form.is_valid():
            try:
                shipment = services.shipment_create(
                    seller_order_id=part.pk,
                    seller_id=request.seller.id,
                    carrier=form.cleaned_data["carrier"],
                    tracking_number=form.cleaned_data["tracking_number"],
                    quantities=form.quantities() if form.line_fields else None,
                    actor_id=request.user.id,
                )
            except ApplicationError as exc:
                service_error_add(form, exc)
            else:
                messages.success(
                    request,
                    _("Shipped with %(carrier)s, tracking number %(number)s.")
                    % {"carrier": shipment.carrier, "number": shipment.tracking_number},
                )
                return self.back(part)
        return self.detail_view.render_detail(request, part, ship_form=form)


class SellerShipmentEventAddView(OwnedObjectMixin, SellerRequiredMixin, View):
    """A tracking update typed by the seller for one of their parcels."""

    detail_view: type[SellerOrderDetailView] = SellerOrderDetailView

    def lookup(self, request: HttpRequest, pk: int) -> Shipment:
        shipment = selectors.seller_shipment_get(seller_id=request.seller.id, shipment_id=pk)
        if shipment is None:
            raise Http404
        return shipment

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        shipment = self.lookup(request, pk)
        form = TrackingUpdateForm(request.POST, prefix=tracking_prefix(shipment.pk))
        if form.is_valid():
            try:
                services.shipment_event_add(
                    shipment_id=shipment.pk,
                    status=form.cleaned_data["status"],
                    occurred_at=timezone.now(),
                    source=OrderEvent.Actor.SELLER,
                    location=form.cleaned_data["location"],
                    description=form.cleaned_data["description"],
                    actor_id=request.user.id,
                )
            except ApplicationError as exc:
                service_error_add(form, exc)
            else:
                messages.success(request, _("Tracking update added."))
                return redirect("seller:order-detail", pk=shipment.seller_order_id)
        part = part_or_404(request, shipment.seller_order_id)
        return self.detail_view.render_detail(
            request, part, tracking_form=form, tracking_shipment_id=shipment.pk
        )


# --- shipping methods ---------------------------------------------------------------------------------


class SellerShippingMethodListView(SellerRequiredMixin, View):
    template_name = "seller/orders/shipping_method_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        methods = selectors.seller_shipping_method_list(seller_id=request.seller.id)
        return TemplateResponse(request, self.template_name, {"methods": methods})


def _method_or_404(request: HttpRequest, pk: int) -> ShippingMethod:
    method = selectors.seller_shipping_method_get(seller_id=request.seller.id, shipping_method_id=pk)
    if method is None:
        raise Http404
    return method


class SellerShippingMethodCreateView(SellerRequiredMixin, View):
    template_name = "seller/orders/shipping_method_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return TemplateResponse(request, self.template_name, {"form": ShippingMethodForm(), "method": None})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ShippingMethodForm(request.POST)
        if form.is_valid():
            try:
                method = services.shipping_method_create(seller_id=request.seller.id, **form.to_kwargs())
            except ApplicationError as exc:
                service_error_add(form, exc)
            else:
                messages.success(request, _("Shipping method “%(name)s” added.") % {"name": method.name})
                return redirect(reverse("seller:shipping-method-list"))
        return TemplateResponse(request, self.template_name, {"form": form, "method": None})


class SellerShippingMethodEditView(OwnedObjectMixin, SellerRequiredMixin, View):
    template_name = "seller/orders/shipping_method_form.html"

    def lookup(self, request: HttpRequest, pk: int) -> ShippingMethod:
        return _method_or_404(request, pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        method = _method_or_404(request, pk)
        form = ShippingMethodForm(initial=ShippingMethodForm.initial_for(method))
        return TemplateResponse(request, self.template_name, {"form": form, "method": method})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        method = _method_or_404(request, pk)
        form = ShippingMethodForm(request.POST)
        if form.is_valid():
            try:
                method = services.shipping_method_update(
                    seller_id=request.seller.id, shipping_method_id=method.pk, **form.to_kwargs()
                )
            except ApplicationError as exc:
                service_error_add(form, exc)
            else:
                messages.success(request, _("Shipping method “%(name)s” saved.") % {"name": method.name})
                return redirect(reverse("seller:shipping-method-list"))
        return TemplateResponse(request, self.template_name, {"form": form, "method": method})


class SellerShippingMethodDeactivateView(OwnedObjectMixin, SellerRequiredMixin, View):
    def lookup(self, request: HttpRequest, pk: int) -> ShippingMethod:
        return _method_or_404(request, pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        method = _method_or_404(request, pk)
        services.shipping_method_deactivate(seller_id=request.seller.id, shipping_method_id=method.pk)
        messages.success(request, _("“%(name)s” is no longer offered at checkout.") % {"name": method.name})
        return redirect(reverse("seller:shipping-method-list"))
