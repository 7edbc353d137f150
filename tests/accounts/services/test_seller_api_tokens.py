"""Seller API keys: created for approved sellers only, one active per seller, stored as a digest."""

from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import SellerApiToken, SellerProfile
from accounts.selectors import seller_api_token_get_by_key
from accounts.services import seller_api_token_create, seller_api_token_revoke, seller_api_token_touch
from common.exceptions import ApplicationError
from tests.factories import SellerProfileFactory

pytestmark = pytest.mark.django_db
Status = SellerProfile.Status


def test_a_key_is_random_and_only_its_digest_is_stored():
    seller = SellerProfileFactory()

    token, key = seller_api_token_create(seller_id=seller.id)
    _second, other_key = seller_api_token_create(seller_id=seller.id)

    assert key != other_key
    assert key not in {token.key_digest, token.prefix}
    assert token.key_digest == SellerApiToken.digest(key)
    assert seller_api_token_get_by_key(key=other_key).seller_id == seller.id
    assert seller_api_token_get_by_key(key=key) is None  # revoked by the second


@pytest.mark.parametrize("status", [Status.PENDING, Status.SUSPENDED, Status.REJECTED])
def test_only_approved_sellers_get_a_key(status):
    seller = SellerProfileFactory(status=status)

    with pytest.raises(ApplicationError, match=r"^Only approved sellers can use the seller API\.$"):
        seller_api_token_create(seller_id=seller.id)

    assert SellerApiToken.objects.count() == 0


def test_the_database_allows_one_active_key_per_seller():
    seller = SellerProfileFactory()
    seller_api_token_create(seller_id=seller.id)

    with pytest.raises(IntegrityError), transaction.atomic():
        SellerApiToken.objects.create(seller=seller, prefix="mps_x", key_digest="0" * 64)


def test_revoke_refuses_another_sellers_key_and_a_revoked_one():
    seller, other = SellerProfileFactory(), SellerProfileFactory()
    token, _key = seller_api_token_create(seller_id=other.id)

    with pytest.raises(ApplicationError):
        seller_api_token_revoke(seller_id=seller.id, token_id=token.pk)
    token.refresh_from_db()
    assert token.revoked_at is None

    seller_api_token_revoke(seller_id=other.id, token_id=token.pk)
    with pytest.raises(ApplicationError):
        seller_api_token_revoke(seller_id=other.id, token_id=token.pk)


def test_touch_writes_the_last_use_at_most_once_a_minute():
    token, _key = seller_api_token_create(seller_id=SellerProfileFactory().id)

    seller_api_token_touch(token=token)
    first = SellerApiToken.objects.get().last_used_at
    seller_api_token_touch(token=token)
    unchanged = SellerApiToken.objects.get().last_used_at
    token.last_used_at = timezone.now() - timedelta(minutes=2)
    seller_api_token_touch(token=token)
    later = SellerApiToken.objects.get().last_used_at

    assert first is not None
    assert unchanged == first
    assert later > first
