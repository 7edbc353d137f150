"""Reads of accounts data, scoped by who asks: a shopper sees only their own addresses; the public sees
only approved shops."""

from __future__ import annotations

from collections.abc import Collection

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import Address, SellerApiToken, SellerProfile, User


def address_list(*, user: User) -> QuerySet[Address]:
    return Address.objects.filter(user=user).order_by("-is_default", "-created_at", "-pk")


def address_get(*, user: User, address_id: int) -> Address:
    """The user's own address; another user's id is indistinguishable from a missing one (404)."""
    try:
        return Address.objects.get(pk=address_id, user=user)
    except Address.DoesNotExist:
        raise Http404("No such address") from None


def address_default_get(*, user: User) -> Address | None:
    return Address.objects.filter(user=user, is_default=True).first()


def seller_get_for_user(*, user: User) -> SellerProfile | None:
    """The user's own seller profile in any status (for the apply page and the seller mixin)."""
    if not user.is_authenticated:
        return None
    return SellerProfile.objects.filter(user=user).first()


def seller_get_public(*, slug: str) -> SellerProfile:
    """A shop as the storefront shows it: approved only; any other status is a 404."""
    try:
        return SellerProfile.objects.select_related("user").get(
            slug=slug, status=SellerProfile.Status.APPROVED
        )
    except SellerProfile.DoesNotExist:
        raise Http404("No such shop") from None


def seller_api_token_active_get(*, seller_id: int) -> SellerApiToken | None:
    """The seller's current API key (at most one is active at a time)."""
    return SellerApiToken.objects.filter(seller_id=seller_id, revoked_at__isnull=True).first()


def seller_api_token_get_by_key(*, key: str) -> SellerApiToken | None:
    """The active key matching ``key``, with its seller and user (read fresh on every request, so a
    suspension or revocation takes effect at once)."""
    return (
        SellerApiToken.objects.filter(key_digest=SellerApiToken.digest(key), revoked_at__isnull=True)
        .select_related("seller__user")
        .first()
    )


def seller_map_by_ids(*, seller_ids: Collection[int]) -> dict[int, SellerProfile]:
    """Shops by id in any status, with their name, address and rating only (one query): for reports
    that name the sellers of rows they read elsewhere (analytics)."""
    if not seller_ids:
        return {}
    rows = SellerProfile.objects.filter(pk__in=list(seller_ids)).only(
        "id", "shop_name", "slug", "status", "rating_avg", "rating_count"
    )
    return {profile.pk: profile for profile in rows.order_by()}
