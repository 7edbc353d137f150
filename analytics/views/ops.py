"""Operators' analytics at /ops/analytics/: overview, traffic and conversion, products and categories,
sellers. Behind ``OperatorRequiredMixin`` (a 404 for anyone else); the platform's rows (``seller_id`` 0)
and every seller's product, stock and category rows."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.permissions import OperatorRequiredMixin
from analytics.forms import DateRangeForm, ProductsForm
from analytics.selectors import (
    OPERATOR_KPIS,
    SELLER_SORTS,
    seller_performance_qs,
    seller_rows,
    seller_sort_parse,
)
from analytics.selectors_traffic import search_queries, search_totals
from analytics.views import tables
from analytics.views.dashboard import (
    Amount,
    Column,
    DashboardView,
    Header,
    Kind,
    Link,
    Table,
    TableBuilders,
    kpi_cards,
    sales_chart_table,
    table,
)

PLATFORM = 0
SELLERS_PAGE_SIZE = 25


class OpsDashboardView(OperatorRequiredMixin, DashboardView):
    export_prefix = "ops-analytics"


def _shop_link(row: Any) -> Link:
    return Link(
        row.shop_name or f"#{row.seller_id}",
        reverse("catalog:seller-store", args=[row.slug]) if row.slug else "",
    )


class OpsOverviewView(OpsDashboardView):
    template_name = "ops/analytics/overview.html"

    def tables(self, form: DateRangeForm) -> TableBuilders:
        date_range = form.date_range
        self.kpis, kpi_table = tables.kpis_builder(PLATFORM, date_range, OPERATOR_KPIS)
        scope = tables.ProductScope(None, _category_href(self.request))
        return {
            "kpis": lambda limit: kpi_table,
            "series": lambda limit: sales_chart_table(seller_id=PLATFORM, date_range=date_range),
            "top_sellers": lambda limit: _top_sellers(date_range, limit),
            "categories": lambda limit: tables.categories_table(scope, date_range, None, limit),
        }

    def extra_context(self, form: DateRangeForm, built: dict[str, Table]) -> dict[str, Any]:
        return {"cards": kpi_cards(self.kpis)}


def _category_href(request: HttpRequest) -> Any:
    base = reverse("ops-analytics:products")

    def href(category_id: int) -> str:
        query = request.GET.copy()
        query["category"] = str(category_id)
        query.pop("export", None)
        return f"{base}?{query.urlencode()}"

    return href


def _top_sellers(date_range: Any, limit: int) -> Table:
    rows = seller_rows(seller_performance_qs(date_range=date_range, sort="-gmv")[:limit])
    columns = [
        Column(_("Shop")),
        Column(_("GMV"), Kind.MONEY),
        Column(_("Orders"), Kind.COUNT),
        Column(_("Commission"), Kind.MONEY),
    ]
    values = [
        (
            _shop_link(r),
            Amount(r.gmv_amount, r.currency),
            r.orders_paid,
            Amount(r.commission_amount, r.currency),
        )
        for r in rows
    ]
    return table("top_sellers", _("Top sellers"), columns, values)


class OpsTrafficView(OpsDashboardView):
    template_name = "ops/analytics/traffic.html"

    def tables(self, form: DateRangeForm) -> TableBuilders:
        date_range = form.date_range
        return {
            "sources": lambda limit: tables.sources_table(PLATFORM, date_range, limit),
            "channels": lambda limit: tables.channels_table(PLATFORM, date_range, limit),
            "funnel": lambda limit: tables.funnel_table(PLATFORM, date_range),
            "funnel_device": lambda limit: tables.funnel_split_table(PLATFORM, date_range, "device"),
            "funnel_channel": lambda limit: tables.funnel_split_table(PLATFORM, date_range, "channel"),
            "landing": lambda limit: tables.landing_table(PLATFORM, date_range, limit),
            "searches": lambda limit: _searches(date_range, limit, "searches"),
            "zero_results": lambda limit: _searches(date_range, limit, "zero_results"),
        }

    def extra_context(self, form: DateRangeForm, built: dict[str, Table]) -> dict[str, Any]:
        return {"search": search_totals(date_range=form.date_range)}


def _searches(date_range: Any, limit: int, order: str) -> Table:
    rows = search_queries(date_range=date_range, order=order, limit=limit)
    columns = [
        Column(_("Query")),
        Column(_("Searches"), Kind.COUNT),
        Column(_("Without results"), Kind.COUNT),
        Column(_("Sessions"), Kind.COUNT),
        Column(_("Search to purchase"), Kind.PERCENT, _("Sessions that searched this and ordered, per 100.")),
    ]
    values = [(r.query, r.searches, r.zero_results, r.sessions, r.purchase_rate) for r in rows]
    if order == "zero_results":
        return table(
            "zero_results",
            _("Searches without results"),
            columns,
            values,
            empty=_("Every search found something."),
        )
    return table("searches", _("Top searches"), columns, values)


class OpsProductsView(OpsDashboardView):
    template_name = "ops/analytics/products.html"
    form_class = ProductsForm

    def tables(self, form: DateRangeForm) -> TableBuilders:
        date_range, data = form.date_range, form.cleaned_data
        scope = tables.ProductScope(None, _category_href(self.request))
        top = data.get("category")
        return {
            "best_sellers": lambda limit: tables.best_sellers_table(scope, date_range, limit),
            **tables.stock_builders(
                scope,
                date_range,
                lead_days=data["lead_days"],
                slow_days=data["slow_days"],
                groups=("product", "seller", "category"),
            ),
            "categories": lambda limit: tables.categories_table(scope, date_range, top, limit),
        }

    def extra_context(self, form: DateRangeForm, built: dict[str, Table]) -> dict[str, Any]:
        top = form.cleaned_data.get("category")
        return {"top_category_id": top, "all_categories_query": _without(self.request, "category")}


def _without(request: HttpRequest, *names: str) -> str:
    query = request.GET.copy()
    for name in (*names, "export"):
        query.pop(name, None)
    return query.urlencode()


# The sort key of each column of the sellers' table ("" where it does not sort).
SELLER_COLUMN_SORTS = (
    "",
    "gmv",
    "orders",
    "cancellation_rate",
    "late_shipments",
    "refund_rate",
    "",
    "commission",
)


class OpsSellersView(OpsDashboardView):
    template_name = "ops/analytics/sellers.html"
    page_limit = SELLERS_PAGE_SIZE

    def tables(self, form: DateRangeForm) -> TableBuilders:
        date_range = form.date_range
        self.sort = seller_sort_parse(self.request.GET.get("sort", ""))
        rows = seller_performance_qs(date_range=date_range, sort=self.sort)
        self.page = Paginator(rows, SELLERS_PAGE_SIZE).get_page(self.request.GET.get("page"))

        def build(limit: int) -> Table:
            chosen = self.page.object_list if limit == SELLERS_PAGE_SIZE else rows[:limit]
            return self._sellers_table(seller_rows(chosen))

        return {"sellers": build}

    def _sellers_table(self, rows: list[Any]) -> Table:
        columns = [
            Column(_("Shop")),
            Column(_("GMV"), Kind.MONEY),
            Column(_("Orders"), Kind.COUNT),
            Column(
                _("Cancellation rate"), Kind.PERCENT, _("Cancellations after payment per 100 paid orders.")
            ),
            Column(
                _("Late shipments"), Kind.COUNT, _("Seller orders shipped after their dispatch deadline.")
            ),
            Column(_("Refund rate"), Kind.PERCENT, _("Refunded orders per 100 paid orders.")),
            Column(_("Rating"), Kind.DECIMAL, _("The shop's current average rating.")),
            Column(_("Commission"), Kind.MONEY),
        ]
        values = [
            (
                _shop_link(r),
                Amount(r.gmv_amount, r.currency),
                r.orders_paid,
                r.cancellation_rate,
                r.orders_shipped_late,
                r.refund_rate,
                r.rating_avg,
                Amount(r.commission_amount, r.currency),
            )
            for r in rows
        ]
        built = table("sellers", _("Sellers"), columns, values)
        built.headers = [
            self._header(key, header) for key, header in zip(SELLER_COLUMN_SORTS, built.headers, strict=True)
        ]
        return built

    def _header(self, key: str, header: Header) -> Header:
        if key not in SELLER_SORTS:
            return header
        current = self.sort.lstrip("-") == key
        descending = self.sort.startswith("-")
        # The first click sorts the biggest first; a click on the current column turns it round.
        wanted = key if current and descending else f"-{key}"
        query = self.request.GET.copy()
        query["sort"] = wanted
        query.pop("page", None)
        query.pop("export", None)
        sorted_as = ("descending" if descending else "ascending") if current else ""
        return Header(header.label, header.help, header.numeric, query.urlencode(), sorted_as)

    def extra_context(self, form: DateRangeForm, built: dict[str, Table]) -> dict[str, Any]:
        return {"page": self.page}
