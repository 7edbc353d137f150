"""``manage.py seed_demo``: fill the database with a believable demo marketplace (see ``marketplace.demo``)."""

import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError, OutputWrapper
from django.db import connection
from tqdm import tqdm

from analytics.models import RollupDay
from analytics.rollups.calendar import today as analytics_today
from analytics.rollups.services import rollup_span, stock_snapshot_take
from catalog import search
from catalog.models import Product
from marketplace.demo.accounts import DEMO_LOGINS
from marketplace.demo.base import DemoSeedResult, ProgressBar, ProgressFactory, no_progress
from marketplace.demo.images import demo_images_seed
from marketplace.demo.orders import DEMO_PLATFORM_COUPON, checkout_demo_seed
from marketplace.demo.payments import payments_demo_seed
from marketplace.demo.seed import demo_seed


class _TqdmStream:
    """Lets tqdm redraw its line on the command's stderr (OutputWrapper appends a newline by default)."""

    def __init__(self, out: OutputWrapper) -> None:
        self._out = out

    def write(self, text: str) -> None:
        self._out.write(text, ending="")

    def flush(self) -> None:
        self._out.flush()


class Command(BaseCommand):
    help = (
        "Create a demo marketplace: a 3-level category tree, approved sellers, shoppers, products with "
        "variants and tags, 12 months of orders and analytics events, and reviews and seller ratings of the "
        "delivered orders (the rating averages are computed from them). Idempotent: a second run creates "
        "only what is missing (more products when --products grows); orders and events are created only "
        "while the database holds no demo orders or events yet."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--products", type=int, default=5000, help="Demo products to have (default 5000)."
        )
        parser.add_argument(
            "--sellers", type=int, default=24, help="Approved demo sellers to have (default 24)."
        )
        parser.add_argument("--shoppers", type=int, default=300, help="Demo shoppers to have (default 300).")
        parser.add_argument(
            "--orders", type=int, default=3000, help="Orders over the past 12 months (default 3000)."
        )
        parser.add_argument(
            "--events",
            type=int,
            default=50000,
            help="Analytics events over the past 12 months (default 50000; at least one per order).",
        )
        parser.add_argument(
            "--seed", type=int, default=42, help="Random seed, for reproducible data (default 42)."
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw progress bars.")
        parser.add_argument(
            "--no-rollups",
            action="store_false",
            dest="rollups",
            help="Do not build the analytics rollups of the seeded year (beat builds today's only).",
        )

    def handle(self, *args, **options):
        for name in ("products", "sellers", "shoppers", "orders", "events"):
            if options[name] < 0:
                raise CommandError(f"--{name} cannot be negative.")
        if options["products"] and not options["sellers"]:
            raise CommandError("Products need at least one seller: use --sellers 1 or more.")

        show_progress = not options["no_progress"] and options["verbosity"] > 0
        started = time.monotonic()
        result = demo_seed(
            products=options["products"],
            sellers=options["sellers"],
            shoppers=options["shoppers"],
            orders=options["orders"],
            events=options["events"],
            seed=options["seed"],
            progress=self._progress_factory() if show_progress else no_progress,
        )
        checkout = checkout_demo_seed()
        money = payments_demo_seed(progress=self._progress_factory() if show_progress else no_progress)
        images = demo_images_seed(progress=self._progress_factory() if show_progress else no_progress)
        # Bulk inserts bypass the listing services, so build the search documents here in one pass.
        total = Product.objects.count()
        with self._progress_factory()("search index", total) if show_progress else nullcontext() as bar:
            search.product_search_vector_reindex(on_batch=bar.update if bar else lambda done: None)
        if connection.vendor == "postgresql":
            # Fresh planner statistics: without them the listing queries of a just-seeded catalogue
            # pick plans that are two orders of magnitude slower.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # The dashboards read only the rollups: build the year of demo history now (beat keeps them
        # current from here on), so /ops/analytics/ and /seller/analytics/ have figures at once.
        # Only when this run added the orders (or no day was ever rolled up): a later `make demo` skips it.
        if options["rollups"] and (
            result.orders or not RollupDay.objects.filter(rolled_at__isnull=False).exists()
        ):
            last_day = analytics_today()
            rollup_span(start=last_day - timedelta(days=366), end=last_day, progress=show_progress)
            stock_snapshot_take(day=last_day)  # the products dashboard's stock on hand (nightly from here on)
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(self._summary(result, time.monotonic() - started)))
            self.stdout.write(f"Gave {images:,} demo products a placeholder image.")
            self.stdout.write(
                f"Added {checkout['shipping_methods']:,} shipping methods and {checkout['coupons']:,} coupons "
                f"(try {DEMO_PLATFORM_COUPON} at checkout)."
            )
            self.stdout.write(
                f"Posted {money['captured']:,} demo payments to the ledger ({money['released']:,} seller "
                f"order parts released to sellers) and {money['commission_rates']:,} category commission rates."
            )
        self.stdout.write("Demo logins:")
        for role, email, password in DEMO_LOGINS:
            self.stdout.write(f"  {role:<9} {email} / {password}")

    def _progress_factory(self) -> ProgressFactory:
        stream = _TqdmStream(self.stderr)

        @contextmanager
        def progress(description: str, total: int) -> Iterator[ProgressBar]:
            with tqdm(total=total, desc=description, unit=" rows", file=stream, leave=True) as bar:
                yield bar

        return progress

    @staticmethod
    def _summary(result: DemoSeedResult, seconds: float) -> str:
        created = (
            f"Created {result.categories:,} categories, {result.tags:,} tags, {result.sellers:,} sellers, "
            f"{result.shoppers:,} shoppers ({result.addresses:,} addresses), {result.products:,} products "
            f"({result.variants:,} variants), {result.orders:,} orders, {result.events:,} events, "
            f"{result.reviews:,} product reviews and {result.seller_ratings:,} seller ratings in {seconds:.1f}s."
        )
        if result.history_skipped:
            created += " Orders and events were already seeded, so none were added."
        return created
