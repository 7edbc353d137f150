"""The behavioural event stream: append-only, one row per thing a visitor or a service did."""

from django.conf import settings
from django.contrib.postgres.indexes import BrinIndex
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserAgentClass(models.TextChoices):
    DESKTOP = "desktop", _("Desktop")
    MOBILE = "mobile", _("Mobile")
    TABLET = "tablet", _("Tablet")
    BOT = "bot", _("Bot")
    OTHER = "other", _("Other")


class Event(models.Model):
    """Well-known ``type`` values: page_view, search, search_zero_results, add_to_cart, remove_from_cart,
    checkout_step, order_placed, signup, login, seller_applied. New types need no migration."""

    type = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Anonymous visitor id (analytics cookie) so funnels join a visitor's events before and after sign-in.
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    object_type = models.CharField(
        max_length=40, blank=True, help_text="app_label.model, e.g. catalog.product"
    )
    object_id = models.CharField(max_length=64, blank=True)
    properties = models.JSONField(default=dict, blank=True)
    path = models.CharField(max_length=300, blank=True)
    referrer = models.CharField(max_length=500, blank=True)
    utm_source = models.CharField(max_length=100, blank=True)
    utm_medium = models.CharField(max_length=100, blank=True)
    utm_campaign = models.CharField(max_length=100, blank=True)
    user_agent_class = models.CharField(
        max_length=10, choices=UserAgentClass.choices, default=UserAgentClass.OTHER
    )
    is_bot = models.BooleanField(default=False)
    is_operator = models.BooleanField(default=False)
    occurred_at = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [
            models.Index(fields=["type", "occurred_at"], name="analytics_event_type_time"),
            models.Index(fields=["object_type", "object_id"], name="analytics_event_object"),
            # Rows are appended in time order, so a block range index on the time is a few pages however
            # long the table grows, and a day's rollup reads only that day's blocks. PostgreSQL only (the
            # migration skips it elsewhere).
            BrinIndex(fields=["occurred_at"], name="analytics_event_time_brin"),
        ]

    def __str__(self) -> str:
        return f"{self.type} @ {self.occurred_at:%Y-%m-%d %H:%M}"


# --- Rollups: the only tables the dashboards read --------------------------------------------------
#
# Each fact table holds one row per combination of its dimensions per period. ``grain`` "D" rows are
# days in the platform's timezone (settings.ANALYTICS_TIME_ZONE); "M" rows are calendar months, rebuilt
# from the day rows whenever a day in the month is rebuilt, so a two-year range reads ~24 month rows per
# cell plus the partial months' days (analytics.selectors splits a range that way). Dimension columns are
# plain ids, not foreign keys: facts outlive deleted sellers and products, and rebuilding a day is a
# DELETE of that day's rows plus one bulk INSERT (idempotent). ``seller_id`` 0 means "the whole
# platform" where a table has platform rows. Text dimensions are "" when unknown, never NULL, so the
# unique constraints hold.


class Grain(models.TextChoices):
    DAY = "D", _("Day")
    MONTH = "M", _("Month")


class Channel(models.TextChoices):
    """Where a session came from: a UTM campaign wins, else the referrer's class."""

    CAMPAIGN = "campaign", _("Campaign")
    DIRECT = "direct", _("Direct")
    SEARCH = "search", _("Search engine")
    SOCIAL = "social", _("Social")
    REFERRAL = "referral", _("Other site")
    INTERNAL = "internal", _("Internal")


class VisitorType(models.TextChoices):
    NEW = "new", _("New")
    RETURNING = "returning", _("Returning")


class FactBase(models.Model):
    grain = models.CharField(max_length=1, choices=Grain.choices, default=Grain.DAY)
    period = models.DateField(help_text="The day, or the first day of the month for month rows")

    class Meta:
        abstract = True


class VisitorSession(models.Model):
    """One visit: a visitor's events with no gap over 30 minutes and no change of campaign, derived
    from the event stream by the rollup of the day the session started."""

    visitor_key = models.CharField(max_length=40)
    user_id = models.BigIntegerField(null=True, blank=True)
    day = models.DateField(db_index=True, help_text="Platform-timezone day the session started")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.DIRECT)
    source = models.CharField(max_length=100, blank=True)
    medium = models.CharField(max_length=100, blank=True)
    campaign = models.CharField(max_length=100, blank=True)
    referrer_host = models.CharField(max_length=200, blank=True)
    landing_path = models.CharField(max_length=300, blank=True)
    device = models.CharField(max_length=10, choices=UserAgentClass.choices, default=UserAgentClass.OTHER)
    visitor_type = models.CharField(max_length=10, choices=VisitorType.choices, default=VisitorType.NEW)
    page_views = models.PositiveIntegerField(default=0)
    product_views = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)
    checkouts_started = models.PositiveIntegerField(default=0)
    orders_placed = models.PositiveIntegerField(default=0)
    orders_paid = models.PositiveIntegerField(default=0)
    revenue_amount = models.BigIntegerField(default=0, help_text="Paid order totals placed in this session")

    class Meta:
        indexes = [models.Index(fields=["visitor_key", "started_at"], name="analytics_session_visitor")]

    def __str__(self) -> str:
        return f"{self.visitor_key} {self.started_at:%Y-%m-%d %H:%M} ({self.channel})"


class TrafficFact(FactBase):
    """Visits and the funnel. Platform rows (seller_id 0) count every session; a seller's rows count the
    sessions that viewed that seller's products (what the seller's shop saw of the traffic)."""

    seller_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    source = models.CharField(max_length=100, blank=True)
    medium = models.CharField(max_length=100, blank=True)
    campaign = models.CharField(max_length=100, blank=True)
    device = models.CharField(max_length=10, choices=UserAgentClass.choices)
    visitor_type = models.CharField(max_length=10, choices=VisitorType.choices)
    visitors = models.PositiveIntegerField(default=0, help_text="Distinct visitors in the period cell")
    sessions = models.PositiveIntegerField(default=0)
    bounces = models.PositiveIntegerField(default=0, help_text="Sessions with one page view")
    page_views = models.PositiveIntegerField(default=0)
    product_views = models.PositiveIntegerField(default=0)
    searches = models.PositiveIntegerField(default=0)
    zero_result_searches = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)
    # The funnel: sessions that reached each step.
    sessions_product_view = models.PositiveIntegerField(default=0)
    sessions_add_to_cart = models.PositiveIntegerField(default=0)
    sessions_checkout = models.PositiveIntegerField(default=0)
    sessions_placed = models.PositiveIntegerField(default=0)
    sessions_paid = models.PositiveIntegerField(default=0)
    orders_placed = models.PositiveIntegerField(default=0)
    orders_paid = models.PositiveIntegerField(default=0)
    revenue_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "grain",
                    "period",
                    "seller_id",
                    "channel",
                    "source",
                    "medium",
                    "campaign",
                    "device",
                    "visitor_type",
                ],
                name="analytics_traffic_cell",
            )
        ]
        indexes = [models.Index(fields=["seller_id", "grain", "period"], name="analytics_traffic_seller")]

    def __str__(self) -> str:
        return f"traffic {self.grain}{self.period} seller {self.seller_id} {self.channel}"


class SalesFact(FactBase):
    """Money and orders per seller (seller_id 0 rows are the platform's customer orders: ``orders_*``
    there count whole orders, amounts equal the sum of the sellers' rows). Orders, units and GMV are
    booked on the day the order was placed, counting only orders that were paid; refunds, cancellations
    after payment and commission reversals on the day they happened."""

    seller_id = models.BigIntegerField(default=0)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.DIRECT)
    device = models.CharField(max_length=10, choices=UserAgentClass.choices, default=UserAgentClass.OTHER)
    customer_type = models.CharField(max_length=10, choices=VisitorType.choices, default=VisitorType.NEW)
    currency = models.CharField(max_length=3)
    orders_placed = models.PositiveIntegerField(default=0)
    orders_paid = models.PositiveIntegerField(default=0)
    orders_cancelled = models.PositiveIntegerField(default=0)
    orders_shipped_late = models.PositiveIntegerField(default=0)
    units = models.BigIntegerField(default=0)
    gmv_amount = models.BigIntegerField(
        default=0, help_text="Paid order totals incl. shipping, after discounts"
    )
    discount_seller_amount = models.BigIntegerField(default=0)
    discount_platform_amount = models.BigIntegerField(default=0)
    shipping_amount = models.BigIntegerField(default=0)
    refund_amount = models.BigIntegerField(default=0)
    refunded_orders = models.PositiveIntegerField(default=0)
    net_revenue_amount = models.BigIntegerField(default=0, help_text="GMV minus refunds")
    commission_amount = models.BigIntegerField(default=0, help_text="From the ledger, net of reversals")
    new_customers = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "seller_id", "channel", "device", "customer_type", "currency"],
                name="analytics_sales_cell",
            )
        ]
        indexes = [
            models.Index(fields=["grain", "period"], name="analytics_sales_period"),
            models.Index(fields=["seller_id", "grain", "period"], name="analytics_sales_seller"),
        ]

    def __str__(self) -> str:
        return f"sales {self.grain}{self.period} seller {self.seller_id} {self.channel} {self.currency}"


class CategoryFact(FactBase):
    """Per seller and leaf category (``top_category_id`` repeated for grouping by top level)."""

    seller_id = models.BigIntegerField()
    category_id = models.BigIntegerField()
    top_category_id = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    product_views = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0, help_text="Paid seller orders with a line here")
    units = models.BigIntegerField(default=0)
    gmv_amount = models.BigIntegerField(default=0)
    refund_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "seller_id", "category_id", "currency"],
                name="analytics_category_cell",
            )
        ]
        indexes = [models.Index(fields=["grain", "period"], name="analytics_category_period")]

    def __str__(self) -> str:
        return f"category {self.category_id} {self.grain}{self.period} seller {self.seller_id}"


class ProductFact(FactBase):
    seller_id = models.BigIntegerField()
    product_id = models.BigIntegerField()
    category_id = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3)
    product_views = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)
    orders = models.PositiveIntegerField(default=0)
    units = models.BigIntegerField(default=0)
    gmv_amount = models.BigIntegerField(default=0)
    refunded_units = models.BigIntegerField(default=0)
    refund_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "product_id", "currency"], name="analytics_product_cell"
            )
        ]
        indexes = [
            models.Index(fields=["grain", "period"], name="analytics_product_period"),
            models.Index(fields=["seller_id", "grain", "period"], name="analytics_product_seller"),
        ]

    def __str__(self) -> str:
        return f"product {self.product_id} {self.grain}{self.period}"


class SearchFact(FactBase):
    query = models.CharField(max_length=200, help_text="Normalised: trimmed, lower case, spaces collapsed")
    searches = models.PositiveIntegerField(default=0)
    zero_results = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    sessions_with_order = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grain", "period", "query"], name="analytics_search_cell")
        ]

    def __str__(self) -> str:
        return f"search {self.query!r} {self.grain}{self.period}"


class LandingPageFact(FactBase):
    seller_id = models.BigIntegerField(default=0)
    path = models.CharField(max_length=300)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    sessions = models.PositiveIntegerField(default=0)
    bounces = models.PositiveIntegerField(default=0)
    sessions_with_order = models.PositiveIntegerField(default=0)
    revenue_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["grain", "period", "seller_id", "path", "channel"], name="analytics_landing_cell"
            )
        ]

    def __str__(self) -> str:
        return f"landing {self.path} {self.grain}{self.period} seller {self.seller_id}"


class HourlyFact(models.Model):
    """Today (and yesterday) by the hour, for the live part of the overview; older hours are pruned."""

    hour = models.DateTimeField()
    seller_id = models.BigIntegerField(default=0)
    currency = models.CharField(max_length=3, blank=True)
    visitors = models.PositiveIntegerField(default=0)
    sessions = models.PositiveIntegerField(default=0)
    page_views = models.PositiveIntegerField(default=0)
    product_views = models.PositiveIntegerField(default=0)
    add_to_carts = models.PositiveIntegerField(default=0)
    orders_placed = models.PositiveIntegerField(default=0)
    orders_paid = models.PositiveIntegerField(default=0)
    gmv_amount = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hour", "seller_id", "currency"], name="analytics_hourly_cell")
        ]

    def __str__(self) -> str:
        return f"hour {self.hour:%Y-%m-%d %H:%M} seller {self.seller_id}"


class StockSnapshot(models.Model):
    """Stock on hand per SKU at the end of a day (taken by the daily rollup; history before the first
    snapshot cannot be reconstructed), for turnover, days of cover and slow movers."""

    day = models.DateField()
    seller_id = models.BigIntegerField()
    product_id = models.BigIntegerField()
    variant_id = models.BigIntegerField()
    category_id = models.BigIntegerField(default=0)
    on_hand = models.BigIntegerField(default=0)
    unit_cost_amount = models.BigIntegerField(default=0, help_text="List price, for stock value")
    currency = models.CharField(max_length=3, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "variant_id"], name="analytics_stock_snapshot_cell")
        ]
        indexes = [models.Index(fields=["seller_id", "day"], name="analytics_stock_seller_day")]

    def __str__(self) -> str:
        return f"stock {self.variant_id} on {self.day}: {self.on_hand}"


class RollupDay(models.Model):
    """Bookkeeping: which platform days need a rebuild (``dirty``) and when each was last rolled up."""

    day = models.DateField(unique=True)
    dirty = models.BooleanField(default=True, db_index=True)
    marked_at = models.DateTimeField(null=True, blank=True)
    rolled_at = models.DateTimeField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"rollup {self.day}{' (dirty)' if self.dirty else ''}"


class OrderAttribution(models.Model):
    """The visit an order was placed in, as the rollup of the order's placed day found it: the channel,
    device and customer type under which the order's later refunds, cancellations and commission are
    booked on their own days. Kept like the facts (the events behind it are pruned)."""

    order_id = models.BigIntegerField(unique=True)
    day = models.DateField(db_index=True, help_text="Platform-timezone day the order was placed")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.DIRECT)
    device = models.CharField(max_length=10, choices=UserAgentClass.choices, default=UserAgentClass.OTHER)
    customer_type = models.CharField(max_length=10, choices=VisitorType.choices, default=VisitorType.NEW)

    def __str__(self) -> str:
        return f"order {self.order_id}: {self.channel}, {self.device}, {self.customer_type}"
