"""The checkout page: a bounded number of queries, re-pricing, placing the order (signed in or as a guest)
and the test payment page."""

import uuid
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from analytics.models import Event
from analytics.services import events_flush
from catalog.models import ProductVariant
from orders.lifecycle.services import orders_expire_unpaid
from orders.models import CartLine, Order, OrderEvent, OrderStatus, ShippingMethod
from payments.models import Payment
from tests.factories import AddressFactory, SellerProfileFactory, UserFactory
from tests.orders.factories import ADDRESS, cart_with_lines, purchasable_variant
from tests.orders.factories_promotions import CouponFactory

pytestmark = pytest.mark.django_db

# 11 today whatever the cart size (session, user, cart, lines, SKUs, visibility, categories, promotions,
# shipping, addresses); a little headroom, but a query per line or per seller would break it.
CHECKOUT_MAX_QUERIES = 14


def _form(total: int | None, **overrides) -> dict:
    data = {
        **ADDRESS,
        "email": "bea@example.com",
        "coupon_code": "",
        "idempotency_key": uuid.uuid4().hex,
        "expected_total": "" if total is None else str(total),
        "action": "place",
    }
    data.update(overrides)
    return data


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _cart_of(user, sellers: int, lines_per_seller: int):
    lines = []
    for _ in range(sellers):
        seller = SellerProfileFactory()
        ShippingMethod.objects.create(seller=seller, name="Post", flat_amount=300)
        ShippingMethod.objects.create(seller=seller, name="Courier", flat_amount=900)
        lines += [(purchasable_variant(seller=seller, price=1000), 1) for _ in range(lines_per_seller)]
    return cart_with_lines(user=user, lines=lines)


@pytest.mark.parametrize(("sellers", "lines_per_seller"), [(1, 1), (2, 3), (6, 4)])
def test_the_checkout_page_renders_with_a_bounded_number_of_queries(
    client, django_assert_max_num_queries, sellers, lines_per_seller
):
    user = UserFactory()
    _cart_of(user, sellers, lines_per_seller)
    client.force_login(user)

    with django_assert_max_num_queries(CHECKOUT_MAX_QUERIES):
        response = client.get(reverse("orders:checkout"))

    assert response.status_code == 200
    assert response.context["summary"].pricing.total == sellers * (lines_per_seller * 1000 + 300)


def test_the_checkout_of_an_empty_cart_goes_back_to_the_cart(client):
    response = client.get(reverse("orders:checkout"))

    assert response.status_code == 302
    assert response["Location"] == reverse("orders:cart")


def test_placing_the_order_leads_to_the_payment_page_and_paying_completes_it(client):
    user = UserFactory(email="bea@example.com")
    variant = purchasable_variant(price=2500, stock=5)
    cart = cart_with_lines(user=user, lines=[(variant, 2)])
    client.force_login(user)
    page = client.get(reverse("orders:checkout"))
    expected_total = page.context["form"].initial["expected_total"]

    response = client.post(reverse("orders:checkout"), _form(expected_total))

    order = Order.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("orders:order-pay", args=[order.number])
    assert (order.buyer_id, order.total_amount, order.status) == (user.pk, 5000, OrderStatus.PENDING_PAYMENT)
    assert not CartLine.objects.filter(cart=cart).exists()

    pay_page = client.get(response["Location"])
    assert pay_page.status_code == 200
    assert "Test payment" in pay_page.content.decode()
    payment = Payment.objects.get(order=order)
    assert payment.amount == 5000

    # A forged amount in the form is ignored: the amount is the order's, on the server.
    paid = client.post(response["Location"], {"payment": payment.pk, "outcome": "pay", "amount": "1"})

    assert paid.status_code == 302
    assert paid["Location"] == reverse("orders:order-detail", args=[order.number])
    order.refresh_from_db()
    assert order.status == OrderStatus.PAID
    payment.refresh_from_db()
    assert (payment.status, payment.amount) == (Payment.Status.CAPTURED, 5000)
    assert _messages(paid) == ["Thank you! Your payment was received."]
    # The pay page of a paid order sends the shopper to the order.
    assert client.get(response["Location"])["Location"] == reverse("orders:order-detail", args=[order.number])


def test_a_declined_card_stays_on_the_payment_page_and_can_be_retried(client):
    user = UserFactory()
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)
    response = client.post(reverse("orders:checkout"), _form(1000))
    pay_url = response["Location"]
    client.get(pay_url)
    first = Payment.objects.get()

    declined = client.post(pay_url, {"payment": first.pk, "outcome": "decline"})

    assert declined["Location"] == pay_url
    assert _messages(declined) == ["Your payment was declined. You can try again."]
    assert Order.objects.get().status == OrderStatus.PENDING_PAYMENT
    client.get(pay_url)
    retry = Payment.objects.exclude(pk=first.pk).get()
    client.post(pay_url, {"payment": retry.pk, "outcome": "pay"})
    assert Order.objects.get().status == OrderStatus.PAID


def test_paying_on_a_page_left_open_past_the_payment_window_says_the_money_comes_back(client):
    user = UserFactory()
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)
    pay_url = client.post(reverse("orders:checkout"), _form(1000))["Location"]
    client.get(pay_url)
    payment = Payment.objects.get()
    order = Order.objects.get()
    orders_expire_unpaid(now=order.payment_due_at + timedelta(seconds=1))

    response = client.post(pay_url, {"payment": payment.pk, "outcome": "pay"})

    assert response["Location"] == reverse("orders:order-detail", args=[order.number])
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert _messages(response) == [
        "Your payment arrived after this order was cancelled, so it was not placed. The money will be refunded."
    ]
    assert OrderEvent.objects.get(order=order, kind=OrderEvent.Kind.NOTE).data["refund_due"] is True


def test_a_price_change_since_review_re_renders_with_the_new_total_and_places_nothing(client):
    user = UserFactory()
    variant = purchasable_variant(price=1000, stock=5)
    cart_with_lines(user=user, lines=[(variant, 2)])
    client.force_login(user)
    ProductVariant.objects.filter(pk=variant.pk).update(price_amount=1500)
    data = _form(2000)

    response = client.post(reverse("orders:checkout"), data)

    assert response.status_code == 200
    assert Order.objects.count() == 0
    form = response.context["form"]
    assert any("The total changed from $20.00 to $30.00" in e for e in form.non_field_errors())
    assert form["expected_total"].value() == "3000"
    # Confirming again (same idempotency key, new total) places it.
    again = client.post(reverse("orders:checkout"), {**data, "expected_total": "3000"})
    assert again.status_code == 302
    assert Order.objects.get().total_amount == 3000


def test_out_of_stock_at_checkout_is_explained_and_nothing_is_placed(client):
    user = UserFactory()
    variant = purchasable_variant(price=1000, stock=5, title="Lamp")
    cart_with_lines(user=user, lines=[(variant, 3)])
    client.force_login(user)
    ProductVariant.objects.filter(pk=variant.pk).update(stock=2)

    response = client.post(reverse("orders:checkout"), _form(3000))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert any("Not enough stock for: Lamp" in e for e in response.context["form"].non_field_errors())
    assert ProductVariant.objects.get(pk=variant.pk).stock == 2


def test_a_double_submitted_checkout_places_one_order(client):
    user = UserFactory()
    variant = purchasable_variant(price=1000, stock=5)
    cart_with_lines(user=user, lines=[(variant, 1)])
    client.force_login(user)
    data = _form(1000)

    first = client.post(reverse("orders:checkout"), data)
    cart_with_lines(user=user, lines=[(variant, 1)])  # the second click still sees something in the cart
    second = client.post(reverse("orders:checkout"), data)

    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1
    assert ProductVariant.objects.get(pk=variant.pk).stock == 4


def test_updating_totals_re_prices_with_the_chosen_shipping_without_placing(client):
    user = UserFactory()
    seller = SellerProfileFactory()
    ShippingMethod.objects.create(seller=seller, name="Post", flat_amount=300, position=0)
    courier = ShippingMethod.objects.create(seller=seller, name="Courier", flat_amount=900, position=1)
    cart_with_lines(user=user, lines=[(purchasable_variant(seller=seller, price=1000), 1)])
    client.force_login(user)

    response = client.post(
        reverse("orders:checkout"), _form(1300, action="update", **{f"shipping_{seller.pk}": str(courier.pk)})
    )

    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert response.context["summary"].pricing.total == 1900
    assert response.context["form"]["expected_total"].value() == "1900"


def test_a_guest_checks_out_pays_and_sees_the_order_in_the_same_session(client):
    variant = purchasable_variant(price=1000, stock=5)
    client.post(
        reverse("orders:cart-add"),
        {"variant": variant.pk, "quantity": "1"},
        HTTP_SEC_FETCH_SITE="same-origin",
    )

    response = client.post(reverse("orders:checkout"), _form(1000, email="guest@example.com"))

    order = Order.objects.get()
    assert response["Location"] == reverse("orders:order-pay", args=[order.number])
    assert (order.buyer_id, order.email) == (None, "guest@example.com")
    assert client.get(response["Location"]).status_code == 200
    assert client.get(reverse("orders:order-detail", args=[order.number])).status_code == 200


def test_a_saved_address_is_copied_onto_the_order(client):
    user = UserFactory()
    address = AddressFactory(user=user, full_name="Ada Lovelace", city="London", country="GB")
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)
    blank = dict.fromkeys(
        ("full_name", "line1", "line2", "city", "region", "postal_code", "country", "phone"), ""
    )

    response = client.post(reverse("orders:checkout"), _form(1000, saved_address=str(address.pk), **blank))

    assert response.status_code == 302
    order = Order.objects.get()
    assert (order.shipping_address["full_name"], order.shipping_address["city"]) == ("Ada Lovelace", "London")
    # Editing the address book later does not move the order.
    address.city = "Paris"
    address.save()
    order.refresh_from_db()
    assert order.shipping_address["city"] == "London"


def test_someone_elses_saved_address_cannot_be_used(client):
    user = UserFactory()
    AddressFactory(user=user)
    theirs = AddressFactory(user=UserFactory())
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)

    response = client.post(reverse("orders:checkout"), _form(1000, saved_address=str(theirs.pk)))

    assert response.status_code == 200
    assert Order.objects.count() == 0
    assert response.context["form"].errors["saved_address"]


def test_a_guests_double_submitted_checkout_places_one_order(client):
    variant = purchasable_variant(price=1000, stock=5)
    add = {"variant": variant.pk, "quantity": "1"}
    client.get(reverse("orders:cart"))  # a first page view gives the visitor their id
    client.post(reverse("orders:cart-add"), add, HTTP_SEC_FETCH_SITE="same-origin")
    data = _form(1000, email="guest@example.com")

    first = client.post(reverse("orders:checkout"), data)
    client.post(reverse("orders:cart-add"), add, HTTP_SEC_FETCH_SITE="same-origin")
    second = client.post(reverse("orders:checkout"), data)

    assert first["Location"] == second["Location"]
    assert Order.objects.count() == 1


def test_the_checkout_funnel_is_tracked(client, django_capture_on_commit_callbacks):
    user = UserFactory()
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)

    client.get(reverse("orders:checkout"))
    client.post(reverse("orders:checkout"), _form(1000, action="update"))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("orders:checkout"), _form(1000))
    client.get(response["Location"])

    events_flush()
    steps = [e.properties["step"] for e in Event.objects.filter(type="checkout_step").order_by("pk")]
    assert steps == ["checkout", "review", "place", "payment"]
    placed = Event.objects.get(type="order_placed")
    assert placed.object_id == str(Order.objects.get().pk)
    assert placed.user_id == user.pk


def test_the_order_is_placed_with_a_timeline_row_by_the_shopper(client):
    user = UserFactory()
    cart_with_lines(user=user, lines=[(purchasable_variant(price=1000), 1)])
    client.force_login(user)

    client.post(reverse("orders:checkout"), _form(1000))

    event = OrderEvent.objects.get()
    assert (event.actor_kind, event.actor_id, event.to_status) == (
        OrderEvent.Actor.SHOPPER,
        user.pk,
        OrderStatus.PENDING_PAYMENT,
    )


def test_another_sellers_shipping_method_is_refused_with_a_visible_message_and_nothing_placed(client):
    user = UserFactory()
    seller = SellerProfileFactory()
    ShippingMethod.objects.create(seller=seller, name="Post", flat_amount=300)
    foreign = ShippingMethod.objects.create(seller=SellerProfileFactory(), name="Free for all", flat_amount=0)
    cart_with_lines(user=user, lines=[(purchasable_variant(seller=seller, price=1000), 1)])
    client.force_login(user)

    response = client.post(
        reverse("orders:checkout"), _form(1300, **{f"shipping_{seller.pk}": str(foreign.pk)})
    )

    assert response.status_code == 200
    assert "Choose one of the shipping methods offered." in response.content.decode()
    assert Order.objects.count() == 0


def test_applying_a_coupon_before_the_address_is_filled_asks_for_nothing_else(client):
    seller = SellerProfileFactory()
    CouponFactory(seller=seller, code="TEN")
    cart = cart_with_lines(lines=[(purchasable_variant(seller=seller, price=2000), 1)])
    session = client.session
    session["cart_id"] = cart.pk  # a guest's cart, as the cart page keeps it
    session.save()

    response = client.post(
        reverse("orders:checkout"),
        {"coupon_code": "ten", "idempotency_key": uuid.uuid4().hex, "expected_total": "", "action": "update"},
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {}
    assert response.context["summary"].pricing.discount > 0
    assert "This field is required." not in response.content.decode()
    assert Order.objects.count() == 0


def test_the_pay_page_lists_each_shops_shipping_with_the_items(client):
    user = UserFactory()
    seller = SellerProfileFactory()
    ShippingMethod.objects.create(seller=seller, name="Parcel post", flat_amount=450)
    cart_with_lines(user=user, lines=[(purchasable_variant(seller=seller, price=2500), 1)])
    client.force_login(user)
    page = client.get(reverse("orders:checkout"))

    placed = client.post(reverse("orders:checkout"), _form(page.context["form"].initial["expected_total"]))
    html = client.get(placed["Location"]).content.decode()

    assert "Shipping (Parcel post) — $4.50" in html
