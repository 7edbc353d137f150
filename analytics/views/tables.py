"""The tables both audiences' pages show, built from the selectors' rows: ``seller_id`` (0 for the
platform) or ``scope`` (None for every seller) says whose rows; ``urls`` how rows link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import charts
from analytics.models import Channel, UserAgentClass
from analytics.selectors import DateRange, Kpi, overview_kpis
from analytics.selectors_products import (
    ProductFacts,
    StockRow,
    StockTables,
    best_sellers,
    category_performance,
    stock_tables,
)
from analytics.selectors_traffic import (
    FUNNEL_STEPS,
    Funnel,
    TrafficRow,
    funnel,
    landing_pages,
    traffic_by,
)
from analytics.views.dashboard import (
    KPI_HELP,
    KPI_LABELS,
    Amount,
    Column,
    Kind,
    Link,
    Table,
    kpi_value_text,
    table,
    with_bar_chart,
)
from common.money import format_money

FUNNEL_LABELS = {
    "sessions_product_view": gettext_lazy("Viewed a product"),
    "sessions_add_to_cart": gettext_lazy("Added to cart"),
    "sessions_checkout": gettext_lazy("Started checkout"),
    "sessions_placed": gettext_lazy("Placed an order"),
    "sessions_paid": gettext_lazy("Paid"),
}
VISITORS_NOTE = gettext_lazy(
    "Visitors are counted per day and summed over the days: someone who came on two days counts twice."
)


def _channel(value: str) -> str:
    return str(dict(Channel.choices).get(value, value)) if value else _("(none)")


def _device(value: str) -> str:
    return str(dict(UserAgentClass.choices).get(value, value))


def _product_link(title: str, slug: str) -> Link:
    return Link(title, reverse("catalog:product-detail", args=[slug]) if slug else "")


def kpi_table(kpis: list[Kpi]) -> Table:
    columns = [
        Column(_("Figure")),
        Column(_("Currency")),
        Column(_("This period"), Kind.TEXT),
        Column(_("Previous period"), Kind.TEXT),
        Column(_("Change"), Kind.PERCENT),
        Column(_("How it is counted")),
    ]
    rows = [
        (
            str(KPI_LABELS[k.key]),
            k.currency,
            kpi_value_text(k.kind, k.value, k.currency),
            kpi_value_text(k.kind, k.previous, k.currency),
            k.change,
            str(KPI_HELP[k.key]),
        )
        for k in kpis
    ]
    return table("kpis", _("Figures"), columns, rows)


def kpis_builder(seller_id: int, date_range: DateRange, keys: tuple[str, ...]) -> tuple[list[Kpi], Table]:
    kpis = overview_kpis(seller_id=seller_id, date_range=date_range, keys=keys)
    return kpis, kpi_table(kpis)


# --- traffic --------------------------------------------------------------------------------------------


def _revenue(amount: int) -> Amount:
    return Amount(amount, settings.DEFAULT_CURRENCY)


def _traffic_columns(*labels: str) -> list[Column]:
    return [
        *(Column(label) for label in labels),
        Column(_("Visitors"), Kind.COUNT, str(VISITORS_NOTE)),
        Column(_("Sessions"), Kind.COUNT),
        Column(_("Conversion"), Kind.PERCENT, _("Sessions with an order placed, per 100 sessions.")),
        Column(_("Revenue"), Kind.MONEY),
    ]


def _traffic_values(row: TrafficRow) -> tuple[object, ...]:
    return (row.visitors, row.sessions, row.conversion_rate, _revenue(row.revenue_amount))


def sources_table(seller_id: int, date_range: DateRange, limit: int) -> Table:
    rows = traffic_by(
        seller_id=seller_id, date_range=date_range, dimensions=("source", "medium", "campaign"), limit=limit
    )
    columns = _traffic_columns(_("Source"), _("Medium"), _("Campaign"))
    values = [(*(label or _("(none)") for label in row.labels), *_traffic_values(row)) for row in rows]
    return table("sources", _("Sources, media and campaigns"), columns, values, note=str(VISITORS_NOTE))


def channels_table(seller_id: int, date_range: DateRange, limit: int) -> Table:
    rows = traffic_by(seller_id=seller_id, date_range=date_range, dimensions=("channel",), limit=limit)
    values = [(_channel(row.labels[0]), *_traffic_values(row)) for row in rows]
    built = table("channels", _("Channels"), _traffic_columns(_("Channel")), values, note=str(VISITORS_NOTE))
    return with_bar_chart(
        built,
        bars=[charts.Point(_channel(row.labels[0]), row.sessions) for row in rows],
        description=_("Sessions per channel."),
        format_value=lambda n: formats.number_format(n, force_grouping=True),
    )


def funnel_table(seller_id: int, date_range: DateRange) -> Table:
    (whole,) = funnel(seller_id=seller_id, date_range=date_range)
    columns = [
        Column(_("Step")),
        Column(_("Sessions"), Kind.COUNT),
        Column(_("Drop-off"), Kind.PERCENT, _("Sessions of the step before that did not reach this one.")),
        Column(_("Of the first step"), Kind.PERCENT),
    ]
    rows = [(str(FUNNEL_LABELS[s.key]), s.sessions, s.drop_off, s.of_first) for s in whole.steps]
    built = table(
        "funnel",
        _("Funnel"),
        columns,
        rows,
        note=_("%(sessions)s sessions in all.")
        % {"sessions": formats.number_format(whole.sessions, force_grouping=True)},
    )
    return with_bar_chart(
        built,
        bars=[charts.Point(str(FUNNEL_LABELS[s.key]), s.sessions) for s in whole.steps],
        description=_("Sessions that reached each step, from viewing a product to paying."),
        format_value=lambda n: formats.number_format(n, force_grouping=True),
    )


def _split_values(row: Funnel, label: str) -> tuple[object, ...]:
    values: list[object] = [label, row.sessions]
    for step in row.steps:
        values += [step.sessions, step.drop_off]
    return tuple(values)


def funnel_split_table(seller_id: int, date_range: DateRange, split_by: str) -> Table:
    rows = funnel(seller_id=seller_id, date_range=date_range, split_by=split_by)
    columns = [
        Column(_("Device") if split_by == "device" else _("Channel")),
        Column(_("Sessions"), Kind.COUNT),
    ]
    for key in FUNNEL_STEPS:
        columns += [Column(str(FUNNEL_LABELS[key]), Kind.COUNT), Column(_("Drop-off"), Kind.PERCENT)]
    name = _device if split_by == "device" else _channel
    title = _("Funnel by device") if split_by == "device" else _("Funnel by channel")
    return table(f"funnel_{split_by}", title, columns, [_split_values(row, name(row.label)) for row in rows])


def landing_table(seller_id: int, date_range: DateRange, limit: int) -> Table:
    rows = landing_pages(seller_id=seller_id, date_range=date_range, limit=limit)
    columns = [
        Column(_("Landing page")),
        Column(_("Sessions"), Kind.COUNT),
        Column(_("Bounce rate"), Kind.PERCENT, _("Sessions with one page view, per 100.")),
        Column(_("Conversion"), Kind.PERCENT),
        Column(_("Revenue"), Kind.MONEY),
    ]
    values = [
        (row.path, row.sessions, row.bounce_rate, row.conversion_rate, _revenue(row.revenue_amount))
        for row in rows
    ]
    return table("landing", _("Landing pages"), columns, values)


# --- products -------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProductScope:
    """Whose products a products page reads (``seller_id`` None: every seller's), how it links a
    category row (to its drill-down), and the product facts its tables share (read once a request)."""

    seller_id: int | None
    category_href: Callable[[int], str]
    facts: ProductFacts = field(default_factory=ProductFacts)


def best_sellers_table(scope: ProductScope, date_range: DateRange, limit: int) -> Table:
    rows = best_sellers(date_range=date_range, seller_id=scope.seller_id, limit=limit, facts=scope.facts)
    columns = [
        Column(_("Product")),
        *([Column(_("Shop"))] if scope.seller_id is None else []),
        Column(_("Units"), Kind.COUNT),
        Column(_("Orders"), Kind.COUNT),
        Column(_("GMV"), Kind.MONEY),
        Column(_("Product views"), Kind.COUNT),
        Column(_("Conversion"), Kind.PERCENT, _("Paid orders per 100 product views.")),
    ]
    values = [
        (
            _product_link(r.title, r.slug),
            *([r.shop_name] if scope.seller_id is None else []),
            r.units,
            r.orders,
            Amount(r.gmv_amount, r.currency),
            r.product_views,
            r.conversion_rate,
        )
        for r in rows
    ]
    built = table("best_sellers", _("Best sellers"), columns, values)
    return with_bar_chart(
        built,
        bars=[charts.Point(r.title, r.units) for r in rows[:10]],
        description=_("Units sold of the best-selling products."),
        format_value=lambda n: formats.number_format(n, force_grouping=True),
    )


STOCK_NOTE = gettext_lazy(
    "Stock on hand from the latest daily snapshot. Sell-through: units sold / (units sold + on hand). "
    "Turnover: units sold / average stock (first and last snapshot of the period). Days of cover: on hand / "
    "the daily sales rate of the last 28 days."
)


def stock_builders(
    scope: ProductScope, date_range: DateRange, *, lead_days: int, slow_days: int, groups: tuple[str, ...]
) -> dict[str, Callable[[int], Table]]:
    """The stock tables of a products page (``stock_<group>``, ``at_risk``, ``slow``), each read once per
    request and limit."""
    cache: dict[tuple[str, int], StockTables] = {}

    def report(group: str, limit: int) -> StockTables:
        if (group, limit) not in cache:
            cache[group, limit] = stock_tables(
                date_range=date_range,
                seller_id=scope.seller_id,
                group=group,
                limit=limit,
                lead_days=lead_days,
                slow_days=slow_days,
                facts=scope.facts,
            )
        return cache[group, limit]

    def stock_of(group: str) -> Callable[[int], Table]:
        return lambda limit: _stock_table(group, report(group, limit).stock)

    builders = {f"stock_{group}": stock_of(group) for group in groups}
    builders["at_risk"] = lambda limit: _risk_table(report("product", limit).at_risk, lead_days)
    builders["slow"] = lambda limit: _slow_table(report("product", limit).slow, slow_days)
    return builders


_GROUP_TITLES = {
    "product": gettext_lazy("Stock by product"),
    "seller": gettext_lazy("Stock by shop"),
    "category": gettext_lazy("Stock by category"),
}
_GROUP_LABELS = {
    "product": gettext_lazy("Product"),
    "seller": gettext_lazy("Shop"),
    "category": gettext_lazy("Category"),
}


def _stock_name(group: str, name: str, slug: str) -> object:
    return _product_link(name, slug) if group == "product" else name


def _stock_table(group: str, rows: list[StockRow]) -> Table:
    columns = [
        Column(str(_GROUP_LABELS[group])),
        Column(_("Units sold"), Kind.COUNT),
        Column(_("On hand"), Kind.COUNT),
        Column(_("Sell-through"), Kind.PERCENT),
        Column(_("Turnover"), Kind.DECIMAL),
        Column(_("Units a day"), Kind.DECIMAL, _("Units sold in the last 28 days / 28.")),
        Column(_("Days of cover"), Kind.DECIMAL),
    ]
    values = [
        (
            _stock_name(group, r.name, r.slug),
            r.units_sold,
            r.on_hand,
            r.sell_through,
            r.turnover,
            r.daily_rate,
            r.days_of_cover,
        )
        for r in rows
    ]
    # The definitions once, under the first stock table of the page.
    note = str(STOCK_NOTE) if group == "product" else ""
    return table(f"stock_{group}", str(_GROUP_TITLES[group]), columns, values, note=note)


def _risk_table(rows: list[StockRow], lead_days: int) -> Table:
    columns = [
        Column(_("Product")),
        Column(_("On hand"), Kind.COUNT),
        Column(_("Units a day"), Kind.DECIMAL),
        Column(_("Days of cover"), Kind.DECIMAL),
    ]
    values = [(_product_link(r.name, r.slug), r.on_hand, r.daily_rate, r.days_of_cover) for r in rows]
    title = _("Stock-out risk: less than %(days)s days of cover") % {"days": lead_days}
    return table("at_risk", title, columns, values, empty=_("No product is about to run out."))


def _slow_table(rows: list[StockRow], slow_days: int) -> Table:
    columns = [Column(_("Product")), Column(_("On hand"), Kind.COUNT), Column(_("Last sale"), Kind.DATE)]
    values = [(_product_link(r.name, r.slug), r.on_hand, r.last_sale) for r in rows]
    title = _("Slow movers: in stock, no sale in %(days)s days") % {"days": slow_days}
    return table("slow", title, columns, values, empty=_("Every product in stock sold recently."))


def categories_table(
    scope: ProductScope, date_range: DateRange, top_category_id: int | None, limit: int
) -> Table:
    rows = category_performance(
        date_range=date_range, seller_id=scope.seller_id, top_category_id=top_category_id, limit=limit
    )
    columns = [
        Column(_("Category")),
        Column(_("Product views"), Kind.COUNT),
        Column(_("Added to cart"), Kind.COUNT),
        Column(_("Orders"), Kind.COUNT),
        Column(_("Conversion"), Kind.PERCENT, _("Orders per 100 product views.")),
        Column(_("Units"), Kind.COUNT),
        Column(_("GMV"), Kind.MONEY),
    ]
    values = [
        (
            Link(
                r.name or f"#{r.category_id}",
                scope.category_href(r.category_id) if top_category_id is None else "",
            ),
            r.product_views,
            r.add_to_carts,
            r.orders,
            r.conversion_rate,
            r.units,
            Amount(r.gmv_amount, r.currency),
        )
        for r in rows
    ]
    title = _("Categories") if top_category_id is None else _("Categories in this department")
    built = table("categories", title, columns, values)
    default = settings.DEFAULT_CURRENCY
    return with_bar_chart(
        built,
        bars=[
            charts.Point(r.name or f"#{r.category_id}", r.gmv_amount)
            for r in rows[:10]
            if r.currency == default
        ],
        description=_("GMV per category in %(currency)s.") % {"currency": default},
        format_value=lambda amount: format_money(amount, default),
    )
