"""Seller-portal pages for promotions: coupons, flash sales and spend tiers.

Behind ``SellerRequiredMixin`` (which sets ``request.seller``); every object id in a URL is read through
``orders.promotions.selectors`` scoped to that seller, so another seller's id is a 404 and nothing changes.
Writes go through ``orders.promotions.services``; its ``ApplicationError`` becomes a form error.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import SellerRequiredMixin
from common.exceptions import ApplicationError
from orders.models import Coupon, FlashSale
from orders.promotions import selectors, services
from orders.promotions.forms import (
    CouponForm,
    FlashSaleForm,
    FlashSaleItemForm,
    FlashSaleItemFormSet,
    SpendTierForm,
    errors_add,
    flash_item_initial,
)

ITEMS_PREFIX = "items"


# --- coupons ------------------------------------------------------------------------------------------


class SellerCouponListView(SellerRequiredMixin, View):
    template_name = "seller/promotions/coupon_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        coupons = selectors.coupon_list_for_seller(seller_id=request.seller.id)
        return TemplateResponse(request, self.template_name, {"coupons": coupons, "now": timezone.now()})


class _CouponFormView(SellerRequiredMixin, View):
    template_name = "seller/promotions/coupon_form.html"

    def _render(self, request: HttpRequest, form: CouponForm, coupon: Coupon | None) -> HttpResponse:
        return TemplateResponse(request, self.template_name, {"form": form, "coupon": coupon})

    def _coupon(self, request: HttpRequest, pk: int) -> Coupon:
        coupon = selectors.coupon_get_for_seller(seller_id=request.seller.id, coupon_id=pk)
        if coupon is None:
            raise Http404
        return coupon

    def _save(self, request: HttpRequest, coupon: Coupon | None) -> HttpResponse:
        form = CouponForm(request.POST, seller_id=request.seller.id)
        if not form.is_valid():
            return self._render(request, form, coupon)
        try:
            if coupon is None:
                saved = services.coupon_create(seller_id=request.seller.id, **form.to_kwargs())
            else:
                saved = services.coupon_update(
                    seller_id=request.seller.id, coupon_id=coupon.pk, **form.to_kwargs()
                )
        except services.PromotionNotFound as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            errors_add(form, exc, CouponForm.FIELD_MAP)
            return self._render(request, form, coupon)
        messages.success(request, _("Saved coupon %(code)s.") % {"code": saved.code})
        return redirect("seller:coupon-list")


class SellerCouponCreateView(_CouponFormView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = CouponForm(
            seller_id=request.seller.id,
            initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)},
        )
        return self._render(request, form, None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self._save(request, None)


class SellerCouponEditView(_CouponFormView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        coupon = self._coupon(request, pk)
        return self._render(
            request, CouponForm(seller_id=request.seller.id, initial=CouponForm.initial_for(coupon)), coupon
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._save(request, self._coupon(request, pk))


class SellerCouponDeactivateView(SellerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            coupon = services.coupon_deactivate(seller_id=request.seller.id, coupon_id=pk)
        except services.PromotionNotFound as exc:
            raise Http404 from exc
        messages.success(request, _("Coupon %(code)s is no longer accepted.") % {"code": coupon.code})
        return redirect("seller:coupon-list")


# --- flash sales --------------------------------------------------------------------------------------


class SellerFlashSaleListView(SellerRequiredMixin, View):
    template_name = "seller/promotions/flash_sale_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        sales = selectors.flash_sale_list_for_seller(seller_id=request.seller.id)
        return TemplateResponse(request, self.template_name, {"sales": sales, "now": timezone.now()})


class _FlashSaleFormView(SellerRequiredMixin, View):
    template_name = "seller/promotions/flash_sale_form.html"

    def _render(self, request: HttpRequest, form, formset, sale: FlashSale | None) -> HttpResponse:
        return TemplateResponse(request, self.template_name, {"form": form, "formset": formset, "sale": sale})

    def _sale(self, request: HttpRequest, pk: int) -> FlashSale:
        sale = selectors.flash_sale_get_for_seller(seller_id=request.seller.id, flash_sale_id=pk)
        if sale is None:
            raise Http404
        return sale

    def _save(self, request: HttpRequest, sale: FlashSale | None) -> HttpResponse:
        form = FlashSaleForm(request.POST)
        formset = FlashSaleItemFormSet(request.POST, prefix=ITEMS_PREFIX)
        if not all([form.is_valid(), formset.is_valid()]):
            return self._render(request, form, formset, sale)
        rows = formset.filled_forms()
        kwargs = {
            "seller_id": request.seller.id,
            "name": form.cleaned_data["name"],
            "starts_at": form.cleaned_data["starts_at"],
            "ends_at": form.cleaned_data["ends_at"],
            "items": [row.to_input() for row in rows],
        }
        try:
            if sale is None:
                saved = services.flash_sale_create(**kwargs)
            else:
                saved = services.flash_sale_update(flash_sale_id=sale.pk, **kwargs)
        except services.PromotionNotFound as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            row_errors = exc.extra.get("rows", {})
            for index, errors in row_errors.items():
                for key, msgs in errors.items():
                    name = FlashSaleItemForm.FIELD_MAP.get(key, key)
                    for msg in msgs:
                        rows[index].add_error(name if name in FlashSaleItemForm.base_fields else None, msg)
            rest = {k: v for k, v in exc.extra.items() if k != "rows"}
            if rest or not row_errors:
                errors_add(form, ApplicationError(exc.message, extra=rest))
            return self._render(request, form, formset, sale)
        messages.success(request, _("Saved flash sale “%(name)s”.") % {"name": saved.name})
        return redirect("seller:flash-sale-list")


class SellerFlashSaleCreateView(_FlashSaleFormView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = FlashSaleForm(initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)})
        return self._render(request, form, FlashSaleItemFormSet(prefix=ITEMS_PREFIX), None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self._save(request, None)


class SellerFlashSaleEditView(_FlashSaleFormView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        sale = self._sale(request, pk)
        form = FlashSaleForm(
            initial={
                "name": sale.name,
                "starts_at": timezone.localtime(sale.starts_at),
                "ends_at": timezone.localtime(sale.ends_at),
            }
        )
        formset = FlashSaleItemFormSet(prefix=ITEMS_PREFIX, initial=flash_item_initial(sale))
        return self._render(request, form, formset, sale)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._save(request, self._sale(request, pk))


class SellerFlashSaleDeactivateView(SellerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            sale = services.flash_sale_deactivate(seller_id=request.seller.id, flash_sale_id=pk)
        except services.PromotionNotFound as exc:
            raise Http404 from exc
        messages.success(request, _("Flash sale “%(name)s” stopped.") % {"name": sale.name})
        return redirect("seller:flash-sale-list")


# --- spend tiers --------------------------------------------------------------------------------------


class SellerSpendTierListView(SellerRequiredMixin, View):
    template_name = "seller/promotions/spend_tier_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        tiers = selectors.spend_tier_list_for_seller(seller_id=request.seller.id)
        return TemplateResponse(request, self.template_name, {"tiers": tiers, "now": timezone.now()})


class SellerSpendTierCreateView(SellerRequiredMixin, View):
    template_name = "seller/promotions/spend_tier_form.html"

    def _render(self, request: HttpRequest, form: SpendTierForm) -> HttpResponse:
        return TemplateResponse(request, self.template_name, {"form": form})

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(
            request,
            SpendTierForm(initial={"starts_at": timezone.localtime().replace(second=0, microsecond=0)}),
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = SpendTierForm(request.POST)
        if not form.is_valid():
            return self._render(request, form)
        try:
            services.spend_tier_create(seller_id=request.seller.id, **form.to_kwargs())
        except ApplicationError as exc:
            errors_add(form, exc, SpendTierForm.FIELD_MAP)
            return self._render(request, form)
        messages.success(request, _("Spend tier saved."))
        return redirect("seller:spend-tier-list")


class SellerSpendTierDeactivateView(SellerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        try:
            services.spend_tier_deactivate(seller_id=request.seller.id, spend_tier_id=pk)
        except services.PromotionNotFound as exc:
            raise Http404 from exc
        messages.success(request, _("Spend tier stopped."))
        return redirect("seller:spend-tier-list")
