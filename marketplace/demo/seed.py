"""The order the demo seeders run in: people and catalog first (topped up to the requested numbers),
then the 12 months of history (orders and the events that match them), generated in one go, then the
reviews of the delivered orders and the rating aggregates they give (topped up on every run)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from analytics.models import Event
from marketplace.demo.accounts import AccountsSeeder
from marketplace.demo.analytics import events_create
from marketplace.demo.base import (
    DEMO_DOMAIN,
    ORDER_PREFIX,
    VISITOR_PREFIX,
    Clock,
    DemoRun,
    DemoSeedResult,
    ProgressFactory,
    no_progress,
)
from marketplace.demo.catalog import CatalogSeeder, catalog_snapshot
from marketplace.demo.orders import orders_create
from marketplace.demo.reviews import reviews_seed
from orders.models import Order


def demo_seed(
    *,
    products: int = 5000,
    sellers: int = 24,
    shoppers: int = 300,
    orders: int = 3000,
    events: int = 50000,
    seed: int = 42,
    progress: ProgressFactory = no_progress,
) -> DemoSeedResult:
    """Create whatever part of the demo marketplace is missing.

    Categories, tags, sellers, shoppers and products are topped up to the requested numbers. Orders and
    events (the 12-month history) are generated together, and only while no demo order and no demo event
    exists: history made in one go stays consistent (every ``order_placed`` event matches an order).
    Reviews are added for the delivered demo orders that lack them, and every product's and seller's
    rating aggregates are then recomputed from the review rows."""
    run = DemoRun(seed=seed, now=timezone.now(), progress=progress)
    people = AccountsSeeder(run)
    catalog = CatalogSeeder(run)
    catalog.categories_seed()
    catalog.attributes_seed()
    catalog.tags_seed()
    demo_sellers = people.sellers_seed(count=sellers)
    people.shoppers_seed(count=shoppers)
    people.logins_seed()
    catalog.products_seed(count=products, sellers=demo_sellers)
    _history_seed(
        run, orders=orders, events=events, demo_seller_id=demo_sellers[0][0] if demo_sellers else None
    )
    reviews_seed(run)
    return run.result


def _history_seed(run: DemoRun, *, orders: int, events: int, demo_seller_id: int | None) -> None:
    if (
        Order.objects.filter(number__startswith=ORDER_PREFIX).exists()
        or Event.objects.filter(session_key__startswith=VISITOR_PREFIX).exists()
    ):
        run.result.history_skipped = True
        return
    items, variants = catalog_snapshot()
    if not items:
        return  # nothing to buy or look at yet; a later run with products writes the history
    shoppers = list(
        User.objects.filter(email__startswith="shopper", email__endswith=f"@{DEMO_DOMAIN}")
        .order_by("date_joined")
        .values_list("pk", "email", "date_joined")
    )
    clock = Clock(run.now)
    with transaction.atomic():
        placed = orders_create(
            run,
            count=orders,
            catalog=items,
            variants=variants,
            shoppers=shoppers,
            clock=clock,
            demo_seller_id=demo_seller_id,
        )
        events_create(run, count=events, placed=placed, catalog=items, shoppers=shoppers, clock=clock)
