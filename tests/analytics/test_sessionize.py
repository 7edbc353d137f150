"""Visits from the event stream (pure): a 30-minute gap or a new campaign starts a new visit; what a visit
did is counted from its hits."""

from datetime import UTC, datetime, timedelta

from analytics.sessionize import Hit, query_normalise, sessionize, visit_measures

T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def hit(minute: float, *, visitor="v1", type="page_view", utm=("", "", ""), **fields) -> Hit:
    values = {
        "visitor_key": visitor,
        "occurred_at": T0 + timedelta(minutes=minute),
        "type": type,
        "user_id": None,
        "object_type": "",
        "object_id": "",
        "path": "/",
        "referrer": "",
        "utm_source": utm[0],
        "utm_medium": utm[1],
        "utm_campaign": utm[2],
        "device": "desktop",
        "properties": {},
    }
    values.update(fields)
    return Hit(**values)


def starts(hits):
    return [[round((h.occurred_at - T0).total_seconds() / 60, 2) for h in v.hits] for v in sessionize(hits)]


def test_more_than_30_minutes_without_a_hit_starts_a_new_visit():
    assert starts([hit(0), hit(10), hit(40), hit(70.01), hit(75)]) == [[0, 10, 40], [70.01, 75]]


def test_each_visitor_has_visits_of_their_own():
    hits = [hit(0, visitor="a"), hit(5, visitor="a"), hit(1, visitor="b"), hit(3, visitor="b")]
    visits = list(sessionize(hits))
    assert [(v.visitor_key, len(v.hits)) for v in visits] == [("a", 2), ("b", 2)]


def test_a_new_campaign_starts_a_new_visit_but_plain_pages_after_a_campaign_hit_do_not():
    spring = ("mail", "email", "spring")
    autumn = ("mail", "email", "autumn")
    hits = [
        hit(0),  # direct
        hit(2, utm=spring),  # clicked a campaign link: new visit
        hit(3),  # plain page: same visit
        hit(4, utm=("Mail", "", "Spring")),  # the same campaign again (case aside): same visit
        hit(5, utm=autumn),  # another campaign: new visit
        hit(6, utm=("ads", "cpc", "autumn")),  # another source: new visit
    ]
    assert starts(hits) == [[0], [2, 3, 4], [5], [6]]


def test_a_visit_counts_its_pages_products_shops_searches_cart_checkout_and_orders():
    hits = [
        hit(0, object_type="catalog.product", object_id="7", path="/p/seven/", referrer="https://t.co/x"),
        hit(1, object_type="catalog.product", object_id="7"),
        hit(2, object_type="accounts.sellerprofile", object_id="3"),
        hit(3, type="search", properties={"q": "  Red   Shoes ", "results": 4}),
        hit(3.5, type="search_zero_results", properties={"q": "xyzzy", "results": 0}),
        hit(4, type="add_to_cart", properties={"variant": 70, "quantity": 2}),
        hit(5, type="checkout_step", properties={"step": "checkout"}),
        hit(6, type="checkout_step", properties={"step": "place"}),
        hit(6.1, type="order_placed", object_type="orders.order", object_id="99", device="other", user_id=5),
    ]
    (visit,) = sessionize(hits)
    measures = visit_measures(visit)

    assert measures.page_views == 3
    assert measures.product_views == {7: 2}
    assert measures.seller_page_views == {3: 1}
    assert measures.searches == [("red shoes", False), ("xyzzy", True)]
    assert measures.cart_adds == {70: 1}
    assert measures.checkouts_started == 1
    assert measures.order_ids == [99]
    assert measures.landing.path == "/p/seven/"
    assert measures.device == "desktop"
    assert visit.user_id == 5
    assert not measures.bounced


def test_a_single_page_view_is_a_bounce_and_a_server_side_hit_has_no_device():
    (visit,) = sessionize([hit(0, device="other", type="order_placed"), hit(1, device="mobile")])
    assert visit_measures(visit).bounced
    assert visit_measures(visit).device == "mobile"
    (cart,) = sessionize([hit(0), hit(1, type="add_to_cart", properties={"variant": 1})])
    assert not visit_measures(cart).bounced


def test_a_visit_that_reached_payment_without_the_checkout_page_started_one_checkout():
    (visit,) = sessionize([hit(0, type="checkout_step", properties={"step": "payment"})])
    assert visit_measures(visit).checkouts_started == 1


def test_queries_are_trimmed_lower_cased_and_their_spaces_collapsed():
    assert query_normalise("  Blue\tJeans  SLIM ") == "blue jeans slim"
    assert query_normalise(None) == ""
    assert len(query_normalise("x" * 500)) == 200
