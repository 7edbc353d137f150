"""A seller's analytics in the portal at /seller/analytics/: overview, traffic and products, the same
tables as the operators' pages read with the seller's own id only (``request.seller``, set by
``SellerRequiredMixin``). No parameter names a seller, so no request can read another shop's rows."""

from __future__ import annotations

from typing import Any, cast

from django.http import HttpRequest
from django.urls import reverse

from accounts.models import SellerProfile
from accounts.permissions import SellerRequiredMixin
from analytics.forms import DateRangeForm, ProductsForm
from analytics.selectors import SELLER_KPIS
from analytics.views import tables
from analytics.views.dashboard import DashboardView, Table, TableBuilders, kpi_cards, sales_chart_table


class SellerRequest(HttpRequest):
    seller: SellerProfile


class SellerDashboardView(SellerRequiredMixin, DashboardView):
    export_prefix = "shop-analytics"

    def scope_seller_id(self) -> int:
        """The signed-in seller's own shop: the only rows these pages read."""
        return cast(SellerRequest, self.request).seller.pk


class SellerAnalyticsOverviewView(SellerDashboardView):
    template_name = "seller/analytics/overview.html"

    def tables(self, form: DateRangeForm) -> TableBuilders:
        seller_id, date_range = self.scope_seller_id(), form.date_range
        self.kpis, kpi_table = tables.kpis_builder(seller_id, date_range, SELLER_KPIS)
        scope = tables.ProductScope(seller_id, _category_href(self.request))
        return {
            "kpis": lambda limit: kpi_table,
            "series": lambda limit: sales_chart_table(seller_id=seller_id, date_range=date_range),
            "channels": lambda limit: tables.channels_table(seller_id, date_range, limit),
            "best_sellers": lambda limit: tables.best_sellers_table(scope, date_range, min(limit, 10)),
        }

    def extra_context(self, form: DateRangeForm, built: dict[str, Table]) -> dict[str, Any]:
        return {"cards": kpi_cards(self.kpis)}


def _category_href(request: HttpRequest) -> Any:
    base = reverse("seller:analytics-products")

    def href(category_id: int) -> str:
        query = request.GET.copy()
        query["category"] = str(category_id)
        query.pop("export", None)
        return f"{base}?{query.urlencode()}"

    return href


class SellerAnalyticsTrafficView(SellerDashboardView):
    template_name = "seller/analytics/traffic.html"

    def tables(self, form: DateRangeForm) -> TableBuilders:
        seller_id, date_range = self.scope_seller_id(), form.date_range
        return {
            "sources": lambda limit: tables.sources_table(seller_id, date_range, limit),
            "channels": lambda limit: tables.channels_table(seller_id, date_range, limit),
            "funnel": lambda limit: tables.funnel_table(seller_id, date_range),
            "funnel_device": lambda limit: tables.funnel_split_table(seller_id, date_range, "device"),
            "landing": lambda limit: tables.landing_table(seller_id, date_range, limit),
        }


class SellerAnalyticsProductsView(SellerDashboardView):
    template_name = "seller/analytics/products.html"
    form_class = ProductsForm

    def tables(self, form: DateRangeForm) -> TableBuilders:
        seller_id, date_range, data = self.scope_seller_id(), form.date_range, form.cleaned_data
        scope = tables.ProductScope(seller_id, _category_href(self.request))
        top = data.get("category")
        return {
            "best_sellers": lambda limit: tables.best_sellers_table(scope, date_range, limit),
            **tables.stock_builders(
                scope,
                date_range,
                lead_days=data["lead_days"],
                slow_days=data["slow_days"],
                groups=("product", "category"),
            ),
            "categories": lambda limit: tables.categories_table(scope, date_range, top, limit),
        }

    def extra_context(self, form: DateRangeForm, built: dict[str, Table]) -> dict[str, Any]:
        query = self.request.GET.copy()
        for name in ("category", "export"):
            query.pop(name, None)
        return {
            "top_category_id": form.cleaned_data.get("category"),
            "all_categories_query": query.urlencode(),
        }
