"""One access mixin per audience, for every app's server-rendered views.

* ``ShopperRequiredMixin`` — any signed-in user (anonymous visitors are sent to sign in).
* ``SellerRequiredMixin`` — a signed-in user with an *approved* seller profile, exposed as ``request.seller``.
  No profile, a pending or a rejected one sends them to the "Sell on Marketplace" page, which explains
  where they stand; a suspended seller gets a 403 page with the operator's reason.
* ``OperatorRequiredMixin`` — active staff only; everyone else, signed in or not, gets a 404 so operator
  pages are not discoverable.
* ``IsApprovedSeller`` — the DRF counterpart of ``SellerRequiredMixin`` for the seller API: anyone else gets
  a 403 (401 without credentials); checked on every request, so a suspension cuts off the API at once.
* ``IsOperator`` — the DRF counterpart of ``OperatorRequiredMixin``: active staff only. The operator API's
  base view (``analytics.api.base.OperatorApi``) answers a refusal with a 404, like the operator pages.
"""

from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin, LoginRequiredMixin
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from accounts.models import SellerApiToken, SellerProfile
from accounts.selectors import seller_get_for_user


class ShopperRequiredMixin(LoginRequiredMixin):
    pass


class SellerRequiredMixin(AccessMixin):
    suspended_template_name = "shop/accounts/seller_suspended.html"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        profile = seller_get_for_user(user=request.user)
        if profile is None or profile.status in (SellerProfile.Status.PENDING, SellerProfile.Status.REJECTED):
            return redirect("accounts:seller-apply")
        if profile.status == SellerProfile.Status.SUSPENDED:
            return TemplateResponse(request, self.suspended_template_name, {"seller": profile}, status=403)
        request.seller = profile
        return super().dispatch(request, *args, **kwargs)


class OperatorRequiredMixin:
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponseBase:
        if not getattr(request.user, "is_operator", False):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class IsApprovedSeller(BasePermission):
    """Sets ``request.seller`` (the approved profile) like ``SellerRequiredMixin`` does for pages."""

    message = _("Only approved sellers may use the seller API.")

    def has_permission(self, request, view) -> bool:
        if not request.user.is_authenticated:
            return False
        if isinstance(request.auth, SellerApiToken):
            profile = request.auth.seller  # read with the key on this very request
        else:
            profile = seller_get_for_user(user=request.user)
        if profile is None or profile.status != SellerProfile.Status.APPROVED:
            if profile is not None and profile.status == SellerProfile.Status.SUSPENDED:
                self.message = _("Your shop is suspended.")
            return False
        request.seller = profile
        return True


class IsOperator(BasePermission):
    def has_permission(self, request, view) -> bool:
        return bool(getattr(request.user, "is_operator", False))
