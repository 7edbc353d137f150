"""The seller portal's "API access" page: create, regenerate and revoke the seller's API key."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import SellerRequiredMixin
from accounts.selectors import seller_api_token_active_get
from accounts.services import seller_api_token_create, seller_api_token_revoke
from common.exceptions import ApplicationError


class SellerApiAccessView(SellerRequiredMixin, View):
    template_name = "seller/accounts/api_access.html"

    def _render(self, request: HttpRequest, *, new_key: str = "") -> HttpResponse:
        context = {
            "token": seller_api_token_active_get(seller_id=request.seller.id),
            "new_key": new_key,
        }
        response = TemplateResponse(request, self.template_name, context)
        # The page may carry a key in clear: no browser or proxy cache may keep it.
        add_never_cache_headers(response)
        return response

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request)

    def post(self, request: HttpRequest) -> HttpResponse:
        action = request.POST.get("action", "")
        if action == "create":
            try:
                _token, key = seller_api_token_create(seller_id=request.seller.id)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                return redirect("seller:api-access")
            # Shown in this response only (no redirect): the key is never stored in clear, not even in the
            # session, so a reload cannot show it again.
            return self._render(request, new_key=key)
        if action == "revoke":
            try:
                token_id = int(request.POST.get("token", ""))
                seller_api_token_revoke(seller_id=request.seller.id, token_id=token_id)
            except (ValueError, ApplicationError):
                raise Http404 from None
            messages.success(request, _("API key revoked. Scripts using it can no longer sign in."))
            return redirect("seller:api-access")
        return HttpResponseBadRequest()
