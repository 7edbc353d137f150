"""The shopper's own account pages: overview, address book and the "Sell on Marketplace" application."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView, View

from accounts.forms import AddressCreateForm, AddressForm, SellerApplyForm
from accounts.models import Address, SellerProfile
from accounts.permissions import ShopperRequiredMixin
from accounts.selectors import address_default_get, address_get, address_list, seller_get_for_user
from accounts.services import (
    ADDRESS_FIELDS,
    address_create,
    address_delete,
    address_set_default,
    address_update,
    seller_apply,
)
from common.exceptions import ApplicationError


class AccountOverviewView(ShopperRequiredMixin, TemplateView):
    template_name = "shop/accounts/overview.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            default_address=address_default_get(user=self.request.user),
            seller=seller_get_for_user(user=self.request.user),
            **kwargs,
        )


class AddressListView(ShopperRequiredMixin, TemplateView):
    template_name = "shop/accounts/address_list.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(addresses=list(address_list(user=self.request.user)), **kwargs)


class AddressCreateView(ShopperRequiredMixin, FormView):
    template_name = "shop/accounts/address_form.html"
    form_class = AddressCreateForm

    def form_valid(self, form: AddressCreateForm) -> HttpResponse:
        try:
            address_create(user=self.request.user, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Address saved."))
        return redirect("accounts:address-list")


class OwnAddressMixin:
    """The address named in the URL, if it is the signed-in user's; any other id is a 404."""

    request: HttpRequest
    kwargs: dict

    @cached_property
    def address(self) -> Address:
        return address_get(user=self.request.user, address_id=self.kwargs["address_id"])


class AddressUpdateView(ShopperRequiredMixin, OwnAddressMixin, FormView):
    template_name = "shop/accounts/address_form.html"
    form_class = AddressForm

    def get_initial(self) -> dict:
        return {name: getattr(self.address, name) for name in ADDRESS_FIELDS}

    def get_context_data(self, **kwargs):
        return super().get_context_data(address=self.address, **kwargs)

    def form_valid(self, form: AddressForm) -> HttpResponse:
        try:
            address_update(user=self.request.user, address_id=self.address.id, data=form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(self.request, _("Address updated."))
        return redirect("accounts:address-list")


class AddressDeleteView(ShopperRequiredMixin, OwnAddressMixin, TemplateView):
    """GET asks for confirmation; only the POST deletes."""

    template_name = "shop/accounts/address_confirm_delete.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(address=self.address, **kwargs)

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            address_delete(user=request.user, address_id=self.address.id)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Address deleted."))
        return redirect("accounts:address-list")


class AddressSetDefaultView(ShopperRequiredMixin, OwnAddressMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponseRedirect:
        try:
            address_set_default(user=request.user, address_id=self.address.id)
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Default address changed."))
        return redirect("accounts:address-list")


class SellerApplyView(ShopperRequiredMixin, FormView):
    """Apply to sell when there is no seller profile yet; otherwise show where the application stands."""

    template_name = "shop/accounts/seller_apply.html"
    form_class = SellerApplyForm

    @cached_property
    def seller(self) -> SellerProfile | None:
        return seller_get_for_user(user=self.request.user)

    def get_context_data(self, **kwargs):
        return super().get_context_data(seller=self.seller, Status=SellerProfile.Status, **kwargs)

    def form_valid(self, form: SellerApplyForm) -> HttpResponse:
        try:
            seller_apply(user=self.request.user, **form.cleaned_data)
        except (ApplicationError, ValidationError) as exc:
            form.add_service_error(exc)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Thank you! Your application was received and will be reviewed shortly.")
        )
        return redirect("accounts:seller-apply")
