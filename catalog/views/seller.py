"""Seller-portal pages: dashboard, listings (with bulk actions), the listing form and inventory.

Every page is behind ``SellerRequiredMixin`` (which sets ``request.seller``); every object id in a URL
is read through ``catalog.selectors_seller`` scoped to that seller, so another seller's id is a 404.
Writes go through ``catalog.services_listing``; its ``ApplicationError`` becomes a form error or a message.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import SellerRequiredMixin
from catalog import selectors_seller, services_listing
from catalog.forms import BulkActionForm, ProductForm, StockAdjustForm, VariantForm, VariantFormSet
from catalog.models import Product
from common.exceptions import ApplicationError

PAGE_SIZE = 25


class SellerDashboardView(SellerRequiredMixin, TemplateView):
    template_name = "seller/catalog/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        seller_id = self.request.seller.id
        counts = selectors_seller.seller_product_status_counts(seller_id=seller_id)
        return super().get_context_data(
            status_counts=[(value, label, counts[value]) for value, label in Product.Status.choices],
            product_total=sum(counts.values()),
            low_stock_count=selectors_seller.seller_low_stock_count(seller_id=seller_id),
            **kwargs,
        )


class SellerProductListView(SellerRequiredMixin, View):
    template_name = "seller/catalog/product_list.html"

    def _render(self, request: HttpRequest, bulk_form: BulkActionForm, status: int = 200) -> HttpResponse:
        search = request.GET.get("q", "")[:200]
        status_filter = request.GET.get("status", "")
        products = selectors_seller.seller_product_list(
            seller_id=request.seller.id, search=search, status=status_filter
        )
        page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "products": page.object_list,
            "q": search,
            "status_filter": status_filter,
            "status_choices": Product.Status.choices,
            "bulk_form": bulk_form,
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def _bulk_form(self, request: HttpRequest, data=None) -> BulkActionForm:
        return BulkActionForm(
            data, seller_products=selectors_seller.seller_product_list(seller_id=request.seller.id)
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._bulk_form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._bulk_form(request, request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an action and at least one of your listings."))
            return self._render(request, form)
        ids = [p.pk for p in form.cleaned_data["products"]]
        action = form.cleaned_data["action"]
        if action == "price":
            try:
                changed = services_listing.product_bulk_price_change(
                    seller_id=request.seller.id,
                    product_ids=ids,
                    percent=form.cleaned_data["percent"],
                    actor_id=request.user.id,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    ngettext("Changed the price of %(n)d SKU.", "Changed the prices of %(n)d SKUs.", changed)
                    % {"n": changed},
                )
        else:
            outcome = services_listing.product_bulk_transition(
                seller_id=request.seller.id, product_ids=ids, action=action, actor_id=request.user.id
            )
            if outcome.done:
                messages.success(
                    request,
                    ngettext("Updated %(n)d listing.", "Updated %(n)d listings.", len(outcome.done))
                    % {"n": len(outcome.done)},
                )
            for title, why in outcome.refused:
                messages.error(
                    request, _("“%(title)s” was not changed: %(why)s") % {"title": title, "why": why}
                )
        return redirect(request.get_full_path())


class _ProductFormMixin:
    template_name = "seller/catalog/product_form.html"

    def _render(self, request: HttpRequest, form, formset, product: Product | None) -> HttpResponse:
        context = {"form": form, "formset": formset, "product": product}
        return TemplateResponse(request, self.template_name, context)

    @staticmethod
    def _apply_error(exc: ApplicationError, form: ProductForm, formset, rows: list[VariantForm]) -> None:
        """Put a service refusal back on the field (or SKU row) it is about."""
        placed = False
        for key, value in exc.extra.items():
            if key == "variants" and isinstance(value, dict):
                for index, errors in value.items():
                    for field_name, msgs in errors.items():
                        target = field_name if field_name in VariantForm.base_fields else None
                        for msg in msgs:
                            rows[index].add_error(target, msg)
                            placed = True
            elif key in form.fields:
                for msg in value if isinstance(value, list) else [value]:
                    form.add_error(key, msg)
                    placed = True
        if not placed:
            form.add_error(None, exc.message)

    def _save(self, request: HttpRequest, product: Product | None) -> HttpResponse:
        form = ProductForm(request.POST)
        formset = VariantFormSet(request.POST, prefix="variants")
        if not (form.is_valid() and formset.is_valid()):
            return self._render(request, form, formset, product)
        rows = formset.filled_forms()
        data = form.cleaned_data
        kwargs = {
            "seller_id": request.seller.id,
            "actor_id": request.user.id,
            "title": data["title"],
            "category_id": data["category"].id,
            "description": data["description"],
            "brand": data["brand"],
            "condition": data["condition"],
            "tag_names": data["tags"],
            "variants": [row.to_input() for row in rows],
            "publish": "publish" in request.POST,
        }
        try:
            if product is None:
                saved = services_listing.product_create(**kwargs)
            else:
                saved = services_listing.product_update(product_id=product.id, **kwargs)
        except ApplicationError as exc:
            self._apply_error(exc, form, formset, rows)
            return self._render(request, form, formset, product)
        messages.success(request, _("Saved “%(title)s”.") % {"title": saved.title})
        return redirect("seller:product-edit", pk=saved.pk)


class SellerProductCreateView(SellerRequiredMixin, _ProductFormMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ProductForm(), VariantFormSet(prefix="variants"), None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self._save(request, None)


class SellerProductEditView(SellerRequiredMixin, _ProductFormMixin, View):
    def _product(self, request: HttpRequest, pk: int) -> Product:
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=pk)
        if product is None:
            raise Http404
        return product

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = self._product(request, pk)
        form = ProductForm(initial=ProductForm.initial_for(product))
        formset = VariantFormSet(
            prefix="variants", initial=[VariantForm.initial_for(v) for v in product.variants.all()]
        )
        return self._render(request, form, formset, product)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._save(request, self._product(request, pk))


class SellerProductTransitionView(SellerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=pk)
        if product is None:
            raise Http404
        try:
            services_listing.product_seller_transition(
                seller_id=request.seller.id,
                product_id=product.id,
                action=request.POST.get("action", ""),
                actor_id=request.user.id,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status of “%(title)s” updated.") % {"title": product.title})
        return redirect("seller:product-edit", pk=product.pk)


class SellerInventoryView(SellerRequiredMixin, TemplateView):
    template_name = "seller/catalog/inventory.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        seller_id = self.request.seller.id
        return super().get_context_data(
            variants=selectors_seller.seller_variant_list(seller_id=seller_id),
            movements=selectors_seller.seller_stock_movement_list(seller_id=seller_id),
            adjust_form=StockAdjustForm(),
            **kwargs,
        )


class SellerStockAdjustView(SellerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        variant = selectors_seller.seller_variant_get(seller_id=request.seller.id, variant_id=pk)
        if variant is None:
            raise Http404
        form = StockAdjustForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
            messages.error(request, _("%(sku)s: %(errors)s") % {"sku": variant.sku, "errors": errors})
            return redirect("seller:inventory")
        try:
            movement = services_listing.seller_stock_adjust(
                seller_id=request.seller.id,
                variant_id=variant.id,
                delta=form.cleaned_data["delta"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor_id=request.user.id,
            )
        except ApplicationError as exc:
            messages.error(request, _("%(sku)s: %(errors)s") % {"sku": variant.sku, "errors": exc.message})
        else:
            messages.success(
                request,
                _("%(sku)s: stock is now %(n)d.") % {"sku": variant.sku, "n": movement.quantity_after},
            )
        return redirect("seller:inventory")
