"""Operators manage platform-wide promotions in the admin: the same rules as the portal, counters read-only."""

import pytest
from django.urls import reverse
from django.utils import timezone

import orders.admin_promotions  # noqa: F401  (registers the promotion admins; orders.admin imports it too)
from orders.models import Coupon
from tests.factories import OperatorFactory
from tests.orders.factories_promotions import CouponFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(client):
    user = OperatorFactory()
    client.force_login(user)
    return user


def admin_coupon_post(**overrides):
    now = timezone.localtime()
    data = {
        "seller": "",
        "code": "PLATFORM10",
        "description": "",
        "kind": "percent",
        "percent_off": "10",
        "amount_off": "",
        "currency": "USD",
        "min_spend_amount": "0",
        "scope": "shop",
        "usage_limit_total": "",
        "usage_limit_per_user": "1",
        "starts_at_0": now.strftime("%Y-%m-%d"),
        "starts_at_1": now.strftime("%H:%M:%S"),
        "ends_at_0": "",
        "ends_at_1": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


def test_an_operator_creates_a_platform_coupon(client, operator):
    response = client.post(reverse("admin:orders_coupon_add"), admin_coupon_post())

    assert response.status_code == 302
    coupon = Coupon.objects.get()
    assert (coupon.seller_id, coupon.code, coupon.percent_off, coupon.times_used) == (
        None,
        "PLATFORM10",
        10,
        0,
    )


def test_the_admin_applies_the_service_rules(client, operator):
    CouponFactory(code="platform10")

    response = client.post(
        reverse("admin:orders_coupon_add"), admin_coupon_post(percent_off="", kind="percent")
    )
    taken = client.post(reverse("admin:orders_coupon_add"), admin_coupon_post())

    assert response.status_code == 200
    assert "percent_off" in response.context["adminform"].form.errors
    assert "code" in taken.context["adminform"].form.errors
    assert Coupon.objects.count() == 1


def test_the_stop_action_stops_coupons_through_the_service(client, operator):
    coupons = [CouponFactory(), CouponFactory(seller=None)]

    response = client.post(
        reverse("admin:orders_coupon_changelist"),
        {"action": "stop", "_selected_action": [c.pk for c in coupons]},
    )

    assert response.status_code == 302
    assert list(Coupon.objects.values_list("is_active", flat=True)) == [False, False]


@pytest.mark.parametrize("name", ["coupon", "flashsale", "spendtier"])
def test_the_promotion_admin_pages_open(client, operator, name):
    assert client.get(reverse(f"admin:orders_{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:orders_{name}_add")).status_code == 200
