"""API authentication by a seller's API key (``Authorization: Bearer <key>``), for the seller API only.

The key authenticates the seller's user; whether that user may act as a seller (approved, not suspended)
is decided per request by ``accounts.permissions.IsApprovedSeller``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from accounts.models import SellerApiToken, User
from accounts.selectors import seller_api_token_get_by_key
from accounts.services import seller_api_token_touch


class SellerApiKeyAuthentication(authentication.TokenAuthentication):
    keyword = "Bearer"

    def authenticate_credentials(self, key: str) -> tuple[User, SellerApiToken]:
        token = seller_api_token_get_by_key(key=key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid or revoked API key."))
        user = token.seller.user
        if not user.is_active:
            raise exceptions.AuthenticationFailed(_("This account is inactive."))
        seller_api_token_touch(token=token)
        return user, token
