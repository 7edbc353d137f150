"""What the catalog does when other apps' domain events happen (subscribed in ``CatalogConfig.ready``)."""

from __future__ import annotations

from accounts.domain_events import SellerProfileChanged
from catalog.listing_cache import listing_version_renew
from common.domain_events import subscribe


def seller_profile_changed(event: SellerProfileChanged) -> None:
    # A seller approved or suspended appears in or vanishes from the listings; a new rating moves the
    # seller-rating facet: start a new listing generation (subscribers run after the commit already).
    listing_version_renew()


def register() -> None:
    subscribe(SellerProfileChanged, seller_profile_changed)
