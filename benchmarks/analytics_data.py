"""Two years of marketplace history for the analytics benchmark (``benchmarks/analytics.sh``), written
with ``COPY`` into an empty, migrated PostgreSQL database:

* SCALE x 2,000 sellers (20 products each), SCALE x 200,000 customers, ~56 categories;
* SCALE x 1,000,000 orders (~3 lines each, from one to five sellers' parts), growing over the two years
  with a weekly rhythm and a day curve; ~3 % never paid (cancelled), ~2 % paid then cancelled, ~4 %
  with a refunded line; every paid order with its captured payment and a balanced capture entry in the
  ledger (cash = commission + seller payable per seller part, commission on the seller part's line);
* SCALE x 10,000,000 analytics events: every order's visit (product views, maybe a search, add to cart,
  checkout step, order_placed), browsing visits (home and product views, searches, some without
  results) for the rest, with returning visitor keys, UTM campaigns and referrers, device classes and
  a few bot hits, in time order (the BRIN index on ``occurred_at`` relies on it).

It ends with the operator ``bench-ops@bench.invalid`` and, for the seller pages, the biggest seller's
user; prints ``SELLER_EMAIL=...``. The days are the 730 platform days ending yesterday.

    DJANGO_SETTINGS_MODULE=marketplace.settings python benchmarks/analytics_data.py [SCALE=1]
"""

from __future__ import annotations

import bisect
import json
import os
import random
import sys
import time
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, JSONField, Model  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import SellerProfile, User  # noqa: E402
from analytics.models import Event  # noqa: E402
from analytics.rollups.calendar import day_span, days, today  # noqa: E402
from catalog.models import Category, Product, ProductVariant  # noqa: E402
from orders.models import Order, OrderEvent, OrderLine, SellerOrder  # noqa: E402
from payments.models import JournalEntry, JournalLine, LedgerAccount, Payment, Refund  # noqa: E402

DAYS = 730
COMMISSION_BP = 1000
# The day curve (platform time): quiet at night, peaks at lunch and in the evening.
HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 6, 7, 8, 9, 10, 9, 8, 8, 8, 9, 10, 11, 11, 9, 6, 3]
DEVICES = (["desktop"] * 44) + (["mobile"] * 46) + (["tablet"] * 7) + (["other"] * 3)
# (weight, referrer, utm_source, utm_medium, campaign prefix)
SOURCES = [
    (35, "", "", "", ""),
    (22, "https://www.google.com/", "", "", ""),
    (3, "https://www.bing.com/", "", "", ""),
    (6, "https://m.facebook.com/", "", "", ""),
    (4, "https://www.instagram.com/", "", "", ""),
    (5, "https://blog.example/best-picks", "", "", ""),
    (10, "", "newsletter", "email", "weekly"),
    (10, "https://www.google.com/", "google", "cpc", "brand"),
    (5, "https://m.facebook.com/", "facebook", "paid_social", "retarget"),
]
SEARCH_WORDS = [
    *("lamp", "chair", "desk", "shoes", "jacket", "phone", "case", "charger", "kettle", "mug", "bag"),
    *("backpack", "watch", "headphones", "blender", "pan", "knife", "towel", "pillow", "blanket", "rug"),
    *("sofa", "table", "shelf", "plant", "pot", "frame", "mirror", "candle", "soap", "shampoo"),
]


def _weighted(rows: Sequence[tuple[Any, ...]]) -> tuple[list[int], list[tuple[Any, ...]]]:
    cumulative, total = [], 0
    for row in rows:
        total += row[0]
        cumulative.append(total)
    return cumulative, list(rows)


class Copier:
    """``COPY`` of tuples given in ``attnames`` order; every other concrete column gets its default
    (JSON defaults serialised), and a column with neither raises before anything is written."""

    def __init__(self, model: type[Model], attnames: Sequence[str]) -> None:
        self.model, self.table = model, model._meta.db_table
        fields = {f.attname: f for f in model._meta.concrete_fields}
        rest = [f for f in model._meta.concrete_fields if f.attname not in attnames and not f.primary_key]
        missing = [f.attname for f in rest if not (f.has_default() or f.null or f.empty_strings_allowed)]
        if missing:
            raise ValueError(f"{self.table}: no value and no default for {', '.join(missing)}")
        self.extra = tuple(
            json.dumps(f.get_default()) if isinstance(f, JSONField) else f.get_default() for f in rest
        )
        columns = [fields[a].column for a in attnames] + [f.column for f in rest]
        quoted = ", ".join(f'"{column}"' for column in columns)
        self.sql = f'COPY "{self.table}" ({quoted}) FROM STDIN'
        self.count = 0

    def write(self, rows: Iterable[tuple[Any, ...]]) -> int:
        extra = self.extra
        with connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
            for row in rows:
                copy.write_row(row + extra)
                self.count += 1
        return self.count


def _next_id(model: type[Model]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')  # noqa: S608
        return int(cursor.fetchone()[0])


def _sequence_set(model: type[Model]) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), (SELECT COALESCE(MAX(id), 1) FROM "  # noqa: S608
            f'"{table}"))',
            [table],
        )


def _say(message: str, started: float) -> None:
    print(f"[{time.monotonic() - started:7.1f} s] {message}", flush=True)


def catalog_create(rng: random.Random, sellers: int, customers: int, started: float) -> dict[str, Any]:
    now = timezone.now()
    User.objects.create_user(
        email="bench-ops@bench.invalid",
        password=None,  # unusable: the benchmark signs in by writing a session
        is_staff=True,
    )
    users = User.objects.bulk_create(
        [User(email=f"seller{i}@bench.invalid", password="!") for i in range(sellers)]  # noqa: S106, batch_size=5000
    )
    profiles = SellerProfile.objects.bulk_create(
        [
            SellerProfile(
                user=u, shop_name=f"Shop {i}", slug=f"shop-{i}", status=SellerProfile.Status.APPROVED
            )
            for i, u in enumerate(users)
        ],
        batch_size=5000,
    )
    first_customer = _next_id(User)
    Copier(User, ["id", "email", "password", "is_active", "is_staff", "is_superuser", "date_joined"]).write(
        (first_customer + i, f"customer{i}@bench.invalid", "!", True, False, False, now)
        for i in range(customers)
    )
    _sequence_set(User)
    _say(f"{sellers} sellers, {customers} customers", started)
    leaves = []
    for t in range(8):
        top = Category.objects.add_root({"name": f"Department {t}", "slug": f"dept-{t}"})
        leaves += [
            Category.objects.add_child(top, {"name": f"Department {t} aisle {k}", "slug": f"dept-{t}-{k}"})
            for k in range(6)
        ]
    # Seller sizes differ: products go to sellers with a skew towards the first ones.
    products = Product.objects.bulk_create(
        [
            Product(
                seller=profiles[int(sellers * rng.random() ** 1.6)],
                category=rng.choice(leaves),
                title=f"Bench product {i}",
                slug=f"bench-product-{i}",
                status=Product.Status.ACTIVE,
                price_amount=rng.randrange(300, 25000),
            )
            for i in range(sellers * 20)
        ],
        batch_size=5000,
    )
    variants = ProductVariant.objects.bulk_create(
        [
            ProductVariant(product=p, sku=f"BENCH-{p.pk}", price_amount=p.price_amount, stock=100)
            for p in products
        ],
        batch_size=5000,
    )
    currency = settings.DEFAULT_CURRENCY
    cash = LedgerAccount.objects.create(kind=LedgerAccount.Kind.PROVIDER_CASH, currency=currency)
    revenue = LedgerAccount.objects.create(kind=LedgerAccount.Kind.COMMISSION_REVENUE, currency=currency)
    pending = LedgerAccount.objects.bulk_create(
        [LedgerAccount(kind=LedgerAccount.Kind.SELLER_PENDING, seller=p, currency=currency) for p in profiles]
    )
    _say(f"{len(products)} products in {len(leaves)} categories", started)
    return {
        "customers": (first_customer, customers),
        "variants": [(v.pk, v.product_id, v.product.seller_id, v.price_amount, v.sku) for v in variants],
        "slugs": {p.pk: p.slug for p in products},
        "cash": cash.pk,
        "revenue": revenue.pk,
        "pending": {a.seller_id: a.pk for a in pending},
        "currency": currency,
    }


def _visitor_key(customer: int) -> str:
    return f"{(customer * 2654435761) % (1 << 64):016x}{customer:08x}"


class History:
    def __init__(self, rng: random.Random, data: dict[str, Any], orders: int, events: int) -> None:
        self.rng, self.data = rng, data
        self.orders_total, self.events_total = orders, events
        self.variants = data["variants"]
        self.first_customer, self.customers = data["customers"]
        self.currency = data["currency"]
        self.sources = _weighted(SOURCES)
        self.ids = {m: _next_id(m) for m in (Order, SellerOrder, OrderLine, Payment, JournalEntry)}
        self.copiers = {
            "order": Copier(
                Order,
                [
                    "id",
                    "number",
                    "buyer_id",
                    "email",
                    "status",
                    "currency",
                    "subtotal_amount",
                    "shipping_amount",
                    "total_amount",
                    "placed_at",
                    "paid_at",
                    "cancelled_at",
                    "created_at",
                    "updated_at",
                ],
            ),
            "part": Copier(
                SellerOrder,
                [
                    "id",
                    "order_id",
                    "seller_id",
                    "status",
                    "subtotal_amount",
                    "shipping_amount",
                    "total_amount",
                    "shipped_at",
                    "delivered_at",
                    "completed_at",
                    "cancelled_at",
                    "created_at",
                    "updated_at",
                ],
            ),
            "line": Copier(
                OrderLine,
                [
                    "id",
                    "seller_order_id",
                    "variant_id",
                    "product_id_snapshot",
                    "title",
                    "sku",
                    "unit_price_amount",
                    "quantity",
                    "total_amount",
                    "stock_state",
                ],
            ),
            "payment": Copier(
                Payment,
                [
                    "id",
                    "order_id",
                    "provider",
                    "status",
                    "amount",
                    "currency",
                    "reference",
                    "captured_amount",
                    "refunded_amount",
                    "captured_at",
                    "created_at",
                    "updated_at",
                ],
            ),
            "refund": Copier(
                Refund,
                [
                    "payment_id",
                    "seller_order_id",
                    "amount",
                    "currency",
                    "reason",
                    "status",
                    "idempotency_key",
                    "lines",
                    "seller_amount",
                    "commission_amount",
                    "succeeded_at",
                    "created_at",
                    "updated_at",
                ],
            ),
            "entry": Copier(JournalEntry, ["id", "kind", "key", "order_id", "payment_id", "created_at"]),
            "jline": Copier(JournalLine, ["entry_id", "account_id", "amount", "currency", "seller_order_id"]),
            "oevent": Copier(
                OrderEvent,
                [
                    "order_id",
                    "seller_order_id",
                    "kind",
                    "from_status",
                    "to_status",
                    "actor_kind",
                    "reason",
                    "created_at",
                ],
            ),
            "event": Copier(
                Event,
                [
                    "type",
                    "user_id",
                    "session_key",
                    "object_type",
                    "object_id",
                    "properties",
                    "path",
                    "referrer",
                    "utm_source",
                    "utm_medium",
                    "utm_campaign",
                    "user_agent_class",
                    "is_bot",
                    "occurred_at",
                ],
            ),
        }

    def _moment(self, start: datetime) -> datetime:
        hour = self.rng.choices(range(24), HOUR_WEIGHTS)[0]
        return start + timedelta(hours=hour, seconds=self.rng.randrange(3600))

    def _source(self, when: datetime) -> tuple[str, str, str, str]:
        cumulative, rows = self.sources
        _, referrer, source, medium, prefix = rows[
            bisect.bisect(cumulative, self.rng.randrange(cumulative[-1]))
        ]
        campaign = f"{prefix}-{when:%Y-%m}" if prefix else ""
        return referrer, source, medium, campaign

    def _customer(self) -> int:
        # Loyal customers come back: a skew towards the low numbers.
        return int(self.customers * self.rng.random() ** 2)

    def _product(self) -> tuple[int, int, int, int, str]:
        return self.variants[int(len(self.variants) * self.rng.random() ** 1.5)]

    def _hit(
        self,
        events: list[tuple[Any, ...]],
        kind: str,
        when: datetime,
        visit: dict[str, Any],
        first: bool,
        **fields: Any,
    ) -> None:
        referrer, source, medium, campaign = visit["source"] if first else ("", "", "", "")
        events.append(
            (
                when,
                kind,
                visit["user"],
                visit["key"],
                fields.get("object_type", ""),
                fields.get("object_id", ""),
                json.dumps(fields.get("properties", {})),
                fields.get("path", ""),
                referrer,
                source,
                medium,
                campaign,
                visit["device"],
                visit.get("bot", False),
            )
        )

    def _browse(self, events: list[tuple[Any, ...]], start: datetime, end: datetime) -> None:
        rng = self.rng
        when = self._moment(start)
        anonymous = rng.random() < 0.6
        key = f"anon{rng.randrange(self.customers * 4):012d}" if anonymous else _visitor_key(self._customer())
        visit = {"key": key, "user": None, "device": rng.choice(DEVICES), "source": self._source(when)}
        if rng.random() < 0.02:
            visit |= {"bot": True, "device": "bot"}
        for n in range(rng.choice((1, 1, 2, 3, 3, 4, 5, 6))):
            if n == 0 and rng.random() < 0.3:
                self._hit(events, "page_view", when, visit, True, path="/")
            elif rng.random() < 0.15:
                word = rng.choice(SEARCH_WORDS)
                zero = rng.random() < 0.08
                query = f"{word} {rng.choice(SEARCH_WORDS)}" if zero else word
                self._hit(
                    events,
                    "search_zero_results" if zero else "search",
                    when,
                    visit,
                    n == 0,
                    path=f"/search/?q={query.replace(' ', '+')}",
                    properties={"q": query},
                )
            else:
                variant = self._product()
                self._hit(
                    events,
                    "page_view",
                    when,
                    visit,
                    n == 0,
                    object_type="catalog.product",
                    object_id=str(variant[1]),
                    path=f"/p/{self.data['slugs'][variant[1]]}/",
                )
            when += timedelta(seconds=rng.randrange(10, 400))
        if rng.random() < 0.1:
            self._hit(events, "add_to_cart", when, visit, False, properties={"variant": self._product()[0]})

    def day(self, day_index: int, day: Any, orders: int, browses: int, end_of_history: datetime) -> None:
        rng, ids, c = self.rng, self.ids, self.copiers
        span = day_span(day)
        rows: dict[str, list[tuple[Any, ...]]] = {k: [] for k in c}
        events: list[tuple[Any, ...]] = []
        for _ in range(orders):
            placed = self._moment(span.start)
            guest = rng.random() < 0.1
            customer = self._customer()
            buyer = None if guest else self.first_customer + customer
            email = (
                f"guest{rng.randrange(10**9)}@bench.invalid" if guest else f"customer{customer}@bench.invalid"
            )
            key = f"guest{rng.randrange(10**12):012d}" if guest else _visitor_key(customer)
            order_id = ids[Order]
            ids[Order] += 1
            # The visit that led to the order.
            visit = {"key": key, "user": buyer, "device": rng.choice(DEVICES[:-3]), "source": None}
            when = placed - timedelta(seconds=rng.randrange(300, 1800))
            visit["source"] = self._source(when)
            chosen = [self._product() for _ in range(rng.choice((1, 2, 2, 3, 3, 3, 4, 4, 5)))]
            first = True
            if rng.random() < 0.2:
                word = rng.choice(SEARCH_WORDS)
                self._hit(
                    events, "search", when, visit, True, path=f"/search/?q={word}", properties={"q": word}
                )
                when += timedelta(seconds=rng.randrange(5, 60))
                first = False
            for n, variant in enumerate(chosen[:2]):
                self._hit(
                    events,
                    "page_view",
                    when,
                    visit,
                    first and n == 0,
                    object_type="catalog.product",
                    object_id=str(variant[1]),
                    path=f"/p/{self.data['slugs'][variant[1]]}/",
                )
                when += timedelta(seconds=rng.randrange(20, 200))
            self._hit(events, "add_to_cart", when, visit, False, properties={"variant": chosen[0][0]})
            when = max(when, placed - timedelta(seconds=60))
            self._hit(events, "checkout_step", when, visit, False, properties={"step": "checkout"})
            self._hit(
                events,
                "order_placed",
                placed,
                visit,
                False,
                object_type="orders.order",
                object_id=str(order_id),
            )
            # The order, one part per seller.
            by_seller: dict[int, list[tuple[Any, ...]]] = {}
            for variant in chosen:
                by_seller.setdefault(variant[2], [])
                if all(v[0] != variant[0] for v in by_seller[variant[2]]):
                    by_seller[variant[2]].append(variant)
            roll = rng.random()
            unpaid, cancelled = roll < 0.03, 0.03 <= roll < 0.05
            paid_at = None if unpaid else placed + timedelta(seconds=rng.randrange(5, 120))
            cancelled_at = (
                placed + timedelta(hours=1)
                if unpaid
                else paid_at + timedelta(hours=rng.randrange(1, 48))
                if cancelled
                else None
            )
            if cancelled_at and cancelled_at > end_of_history:
                cancelled_at = end_of_history - timedelta(minutes=1)
            age = (end_of_history - placed).days
            status = (
                "cancelled"
                if (unpaid or cancelled)
                else "completed"
                if age > 10
                else "shipped"
                if age > 2
                else "paid"
            )
            subtotal = shipping = 0
            parts = []
            for seller_id, seller_variants in by_seller.items():
                part_id = ids[SellerOrder]
                ids[SellerOrder] += 1
                part_subtotal = 0
                part_lines = []
                for variant in seller_variants:
                    quantity = 2 if rng.random() < 0.12 else 1
                    line_id = ids[OrderLine]
                    ids[OrderLine] += 1
                    total = variant[3] * quantity
                    part_subtotal += total
                    part_lines.append((line_id, total, quantity))
                    rows["line"].append(
                        (
                            line_id,
                            part_id,
                            variant[0],
                            variant[1],
                            f"Bench product {variant[1]}",
                            variant[4],
                            variant[3],
                            quantity,
                            total,
                            "released" if unpaid else "committed",
                        )
                    )
                part_shipping = 0 if part_subtotal >= 5000 else 499
                shipped = (
                    paid_at + timedelta(days=rng.randrange(1, 4))
                    if status in ("completed", "shipped")
                    else None
                )
                delivered = shipped + timedelta(days=rng.randrange(1, 5)) if status == "completed" else None
                rows["part"].append(
                    (
                        part_id,
                        order_id,
                        seller_id,
                        status,
                        part_subtotal,
                        part_shipping,
                        part_subtotal + part_shipping,
                        shipped,
                        delivered,
                        delivered,
                        cancelled_at,
                        placed,
                        placed,
                    )
                )
                parts.append((part_id, seller_id, part_subtotal + part_shipping, part_lines))
                subtotal += part_subtotal
                shipping += part_shipping
            total = subtotal + shipping
            rows["order"].append(
                (
                    order_id,
                    f"B{order_id:09d}",
                    buyer,
                    email,
                    status,
                    self.currency,
                    subtotal,
                    shipping,
                    total,
                    placed,
                    paid_at,
                    cancelled_at,
                    placed,
                    placed,
                )
            )
            if paid_at is None:
                continue
            payment_id, entry_id = ids[Payment], ids[JournalEntry]
            ids[Payment] += 1
            ids[JournalEntry] += 1
            refund = None
            if not cancelled and rng.random() < 0.04:
                part_id, seller_id, _, part_lines = rng.choice(parts)
                line_id, line_total, quantity = part_lines[0]
                moment = min(
                    paid_at + timedelta(days=rng.randrange(3, 25)), end_of_history - timedelta(minutes=1)
                )
                refund = (
                    payment_id,
                    part_id,
                    line_total,
                    self.currency,
                    "return",
                    "succeeded",
                    f"refund:bench:{order_id}",
                    json.dumps([{"order_line": line_id, "quantity": quantity, "amount": line_total}]),
                    line_total - line_total * COMMISSION_BP // 10000,
                    line_total * COMMISSION_BP // 10000,
                    moment,
                    moment,
                    moment,
                )
                rows["refund"].append(refund)
            refunded = refund[2] if refund else total if cancelled else 0
            rows["payment"].append(
                (
                    payment_id,
                    order_id,
                    "test",
                    "refunded" if cancelled else "partially_refunded" if refund else "captured",
                    total,
                    self.currency,
                    f"bench-{order_id}",
                    total,
                    refunded,
                    paid_at,
                    paid_at,
                    paid_at,
                )
            )
            rows["entry"].append(
                (entry_id, "capture", f"capture:bench:{order_id}", order_id, payment_id, paid_at)
            )
            rows["jline"].append((entry_id, self.data["cash"], total, self.currency, None))
            for part_id, seller_id, part_total, _ in parts:
                commission = part_total * COMMISSION_BP // 10000
                if commission:
                    rows["jline"].append(
                        (entry_id, self.data["revenue"], -commission, self.currency, part_id)
                    )
                rows["jline"].append(
                    (
                        entry_id,
                        self.data["pending"][seller_id],
                        commission - part_total,
                        self.currency,
                        part_id,
                    )
                )
                if cancelled:
                    rows["oevent"].append(
                        (
                            order_id,
                            part_id,
                            "status",
                            "paid",
                            "cancelled",
                            "shopper",
                            "Changed my mind",
                            cancelled_at,
                        )
                    )
        for _ in range(browses):
            self._browse(events, span.start, span.end)
        events.sort(key=lambda e: e[0])
        rows["event"] = [(*e[1:], e[0]) for e in events if e[0] < span.end]
        for name, batch in rows.items():
            if batch:
                c[name].write(batch)

    def run(self, started: float) -> None:
        last = today() - timedelta(days=1)
        first = last - timedelta(days=DAYS - 1)
        end_of_history = day_span(last).end
        # Growth from 0.6 to 1.4 over the two years, busier weekends, a December peak, some noise.
        weights = []
        for n, day in enumerate(days(first, last)):
            weight = (0.6 + 0.8 * n / (DAYS - 1)) * (1.2 if day.weekday() >= 5 else 1.0)
            weight *= 1.5 if day.month == 12 and day.day < 24 else 1.0
            weights.append(weight * self.rng.uniform(0.9, 1.1))
        scale = self.orders_total / sum(weights)
        # Buying visits have ~5.1 events; browsing visits ~3.2: the rest of the event budget.
        browse_events = max(self.events_total - 5.1 * self.orders_total, 0)
        browse_scale = browse_events / 3.2 / sum(weights)
        for n, day in enumerate(days(first, last)):
            with transaction.atomic():
                self.day(n, day, round(weights[n] * scale), round(weights[n] * browse_scale), end_of_history)
            if n % 73 == 72:
                counts = ", ".join(f"{k} {c.count}" for k, c in self.copiers.items())
                _say(f"{n + 1} days to {day}: {counts}", started)
        for model in (
            Order,
            SellerOrder,
            OrderLine,
            Payment,
            Refund,
            JournalEntry,
            JournalLine,
            OrderEvent,
            Event,
        ):
            _sequence_set(model)


def main() -> None:
    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    started = time.monotonic()
    rng = random.Random(14)
    sellers, customers = max(20, round(2000 * scale)), max(200, round(200_000 * scale))
    data = catalog_create(rng, sellers, customers, started)
    history = History(rng, data, orders=round(1_000_000 * scale), events=round(10_000_000 * scale))
    history.run(started)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE") if not connection.in_atomic_block else None
    counts = ", ".join(f"{k} {c.count}" for k, c in history.copiers.items())
    _say(f"done: {counts}", started)
    top = SellerOrder.objects.values("seller_id").order_by().annotate(n=Count("id")).order_by("-n").first()
    print(f"SELLER_EMAIL={SellerProfile.objects.get(pk=top['seller_id']).user.email}")
    print(f"FIRST_DAY={today() - timedelta(days=DAYS)} LAST_DAY={today() - timedelta(days=1)}")


if __name__ == "__main__":
    main()
