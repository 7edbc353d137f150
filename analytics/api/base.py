"""What the analytics endpoints share: the operators' base view (session, operators only, a 404 for
anyone else like the operator pages), the query parameters (a date range, the products' parameters) and
the output serializers. Amounts are integer minor units with their currency; rates are percentages
with one decimal (null where there is nothing to divide by)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, NoReturn

from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema_field, extend_schema_serializer
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from accounts.permissions import IsOperator
from analytics.models import Channel
from analytics.selectors import (
    DateRange,
    Kpi,
    Preset,
    RangeError,
    date_range_resolve,
    platform_today,
)
from analytics.selectors_products import LEAD_DAYS_DEFAULT, SLOW_DAYS_DEFAULT, STOCK_GROUPS
from analytics.selectors_traffic import Funnel, TrafficRow

ID_MAX = 2**63 - 1
REFUSED = OpenApiResponse(description=gettext_lazy("Invalid parameters: each field's errors keyed by field."))
NOT_FOUND = OpenApiResponse(description=gettext_lazy("Not an operator (the endpoint is not disclosed)."))


class OperatorPagination(PageNumberPagination):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100


class OperatorApi(GenericAPIView):
    """Operators only, signed in on the site (session with CSRF); anyone else gets a 404."""

    authentication_classes = [SessionAuthentication]
    permission_classes = [IsOperator]
    pagination_class = OperatorPagination
    filter_backends: list[Any] = []

    def permission_denied(
        self, request: Request, message: str | None = None, code: str | None = None
    ) -> NoReturn:
        raise NotFound


# --- parameters -------------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="AnalyticsRangeParams")
class RangeParamsSerializer(serializers.Serializer):
    preset = serializers.ChoiceField(
        choices=Preset.CHOICES,
        required=False,
        help_text=gettext_lazy(
            "A range ending today; leave out with start and end for custom dates (default 30d)."
        ),
    )
    start = serializers.DateField(required=False, help_text=gettext_lazy("First day of a custom range."))
    end = serializers.DateField(
        required=False, help_text=gettext_lazy("Last day of a custom range (not after today).")
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        start, end = attrs.get("start"), attrs.get("end")
        preset = attrs.get("preset") or (Preset.CUSTOM if start or end else Preset.DEFAULT)
        try:
            attrs["range"] = date_range_resolve(preset=preset, start=start, end=end, today=platform_today())
        except RangeError as error:
            raise serializers.ValidationError(
                {name: [str(message) for message in messages] for name, messages in error.extra.items()}
                or {"non_field_errors": [str(error.message)]}
            ) from error
        return attrs


@extend_schema_serializer(component_name="AnalyticsProductsParams")
class ProductsParamsSerializer(RangeParamsSerializer):
    slow_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=365,
        default=SLOW_DAYS_DEFAULT,
        help_text=gettext_lazy("A slow mover has stock and no sale in this many days."),
    )
    lead_days = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=90,
        default=LEAD_DAYS_DEFAULT,
        help_text=gettext_lazy("Stock-out risk: fewer days of cover than this."),
    )
    group = serializers.ChoiceField(
        choices=sorted(STOCK_GROUPS),
        required=False,
        default="product",
        help_text=gettext_lazy("What the stock list is per."),
    )
    category = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=ID_MAX,
        help_text=gettext_lazy("A top-level category: list its categories instead of the top level."),
    )


def params_parse(serializer_class: type[serializers.Serializer], request: Request) -> dict[str, Any]:
    """The query parameters checked by ``serializer_class``: a 400 naming the fields otherwise."""
    serializer = serializer_class(data=request.query_params)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- output -------------------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.NUMBER)
class NumberField(serializers.Field):
    """An int (amounts, counts) or a one-decimal rate, as a JSON number; null when there is none."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value: int | Decimal | None) -> int | float | None:
        if value is None:
            return None
        return value if isinstance(value, int) else float(value)


def rate(help_text: Any = "") -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=40, decimal_places=1, coerce_to_string=False, allow_null=True, help_text=help_text
    )


def decimal(places: int) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=40, decimal_places=places, coerce_to_string=False, allow_null=True
    )


@extend_schema_serializer(component_name="AnalyticsRange")
class RangeSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    days = serializers.IntegerField()


@extend_schema_serializer(component_name="AnalyticsKpi")
class KpiSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=["money", "count", "percent"])
    currency = serializers.CharField(help_text=gettext_lazy("Money figures only; blank otherwise."))
    value = NumberField()
    previous = NumberField(help_text=gettext_lazy("In the previous period of equal length."))
    change = rate(gettext_lazy("Relative change from the previous period, in %."))


@extend_schema_serializer(component_name="AnalyticsSeriesPoint")
class SeriesPointSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    gmv_amount = serializers.IntegerField()
    orders_paid = serializers.IntegerField()


@extend_schema_serializer(component_name="AnalyticsSeries")
class SeriesSerializer(serializers.Serializer):
    bucket = serializers.ChoiceField(choices=["day", "week", "month"])
    currency = serializers.CharField()
    points = SeriesPointSerializer(many=True)


class _TrafficMetrics(serializers.Serializer):
    visitors = serializers.IntegerField(help_text=gettext_lazy("Visitors by day, summed over the days."))
    sessions = serializers.IntegerField()
    sessions_placed = serializers.IntegerField(help_text=gettext_lazy("Sessions with an order placed."))
    conversion_rate = rate()
    revenue_amount = serializers.IntegerField(help_text=gettext_lazy("Minor units of the default currency."))


@extend_schema_serializer(component_name="AnalyticsSource")
class SourceSerializer(_TrafficMetrics):
    medium = serializers.CharField()
    campaign = serializers.CharField()

    def get_fields(self) -> dict[str, serializers.Field]:
        # Declared here: a class attribute named ``source`` would shadow ``Field.source`` for type checkers.
        return {"source": serializers.CharField(), **super().get_fields()}


@extend_schema_serializer(component_name="AnalyticsChannel")
class ChannelSerializer(_TrafficMetrics):
    channel = serializers.ChoiceField(choices=Channel.choices)


def source_rows(rows: list[TrafficRow]) -> list[dict[str, Any]]:
    return [
        {**dict(zip(("source", "medium", "campaign"), row.labels, strict=True)), **_metrics(row)}
        for row in rows
    ]


def channel_rows(rows: list[TrafficRow]) -> list[dict[str, Any]]:
    return [{"channel": row.labels[0], **_metrics(row)} for row in rows]


def _metrics(row: TrafficRow) -> dict[str, Any]:
    return {
        "visitors": row.visitors,
        "sessions": row.sessions,
        "sessions_placed": row.sessions_placed,
        "conversion_rate": row.conversion_rate,
        "revenue_amount": row.revenue_amount,
    }


@extend_schema_serializer(component_name="AnalyticsFunnelStep")
class FunnelStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    sessions = serializers.IntegerField()
    drop_off = rate(gettext_lazy("Share of the step before's sessions that did not reach this step, in %."))
    of_first = rate(gettext_lazy("Share of the first step's sessions, in %."))


@extend_schema_serializer(component_name="AnalyticsFunnel")
class FunnelSerializer(serializers.Serializer):
    sessions = serializers.IntegerField()
    steps = FunnelStepSerializer(many=True)

    def get_fields(self) -> dict[str, serializers.Field]:
        # Declared here: a class attribute named ``label`` would shadow ``Field.label`` for type checkers.
        label = serializers.CharField(
            help_text=gettext_lazy("The device or channel; blank for all sessions.")
        )
        return {"label": label, **super().get_fields()}


def funnel_data(funnels: list[Funnel]) -> list[dict[str, Any]]:
    return [FunnelSerializer(f).data for f in funnels]


@extend_schema_serializer(component_name="AnalyticsLandingPage")
class LandingPageSerializer(serializers.Serializer):
    path = serializers.CharField()
    sessions = serializers.IntegerField()
    bounce_rate = rate()
    conversion_rate = rate()
    revenue_amount = serializers.IntegerField()


@extend_schema_serializer(component_name="AnalyticsProduct")
class ProductSerializer(serializers.Serializer):
    product_id = serializers.IntegerField()
    title = serializers.CharField()
    seller_id = serializers.IntegerField()
    currency = serializers.CharField()
    product_views = serializers.IntegerField()
    add_to_carts = serializers.IntegerField()
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    gmv_amount = serializers.IntegerField()
    refunded_units = serializers.IntegerField()
    refund_amount = serializers.IntegerField()
    conversion_rate = rate(gettext_lazy("Paid orders per 100 product views."))


@extend_schema_serializer(component_name="AnalyticsStock")
class StockSerializer(serializers.Serializer):
    key = serializers.IntegerField(help_text=gettext_lazy("The product, shop or category id."))
    name = serializers.CharField()
    units_sold = serializers.IntegerField()
    units_recent = serializers.IntegerField(help_text=gettext_lazy("Units sold in the 28 days to the end."))
    on_hand = serializers.IntegerField()
    opening_on_hand = serializers.IntegerField(allow_null=True)
    last_sale = serializers.DateField(allow_null=True)
    sell_through = rate()
    turnover = decimal(2)
    daily_rate = decimal(2)
    days_of_cover = decimal(1)


@extend_schema_serializer(component_name="AnalyticsCategory")
class CategorySerializer(serializers.Serializer):
    category_id = serializers.IntegerField()
    name = serializers.CharField()
    currency = serializers.CharField()
    product_views = serializers.IntegerField()
    add_to_carts = serializers.IntegerField()
    orders = serializers.IntegerField()
    units = serializers.IntegerField()
    gmv_amount = serializers.IntegerField()
    refund_amount = serializers.IntegerField()
    conversion_rate = rate(gettext_lazy("Orders per 100 product views."))


@extend_schema_serializer(component_name="AnalyticsSeller")
class SellerSerializer(serializers.Serializer):
    seller_id = serializers.IntegerField()
    shop_name = serializers.CharField()
    rating_avg = decimal(2)
    rating_count = serializers.IntegerField()
    currency = serializers.CharField()
    gmv_amount = serializers.IntegerField()
    orders_paid = serializers.IntegerField()
    orders_cancelled = serializers.IntegerField()
    orders_shipped_late = serializers.IntegerField()
    refunded_orders = serializers.IntegerField()
    refund_amount = serializers.IntegerField()
    commission_amount = serializers.IntegerField()
    cancellation_rate = rate()
    late_shipment_rate = rate()
    refund_rate = rate()


def range_data(date_range: DateRange) -> dict[str, Any]:
    return {"start": date_range.start, "end": date_range.end, "days": date_range.days}


def kpi_data(kpis: list[Kpi]) -> list[dict[str, Any]]:
    return [KpiSerializer(kpi).data for kpi in kpis]


# --- responses ----------------------------------------------------------------------------------------------


class _RangeResponse(serializers.Serializer):
    range = RangeSerializer()
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text=gettext_lazy("When the rollups last finished a day.")
    )


@extend_schema_serializer(component_name="AnalyticsOverview")
class OverviewSerializer(_RangeResponse):
    previous_range = RangeSerializer()
    kpis = KpiSerializer(many=True)
    series = SeriesSerializer()
    categories = CategorySerializer(many=True, help_text=gettext_lazy("Top-level categories by GMV."))


@extend_schema_serializer(component_name="AnalyticsOpsOverview")
class OpsOverviewSerializer(OverviewSerializer):
    top_sellers = SellerSerializer(many=True)


@extend_schema_serializer(component_name="AnalyticsSellerOverview")
class SellerOverviewSerializer(OverviewSerializer):
    channels = ChannelSerializer(many=True)
    best_sellers = ProductSerializer(many=True)


@extend_schema_serializer(component_name="AnalyticsTraffic")
class TrafficSerializer(_RangeResponse):
    revenue_currency = serializers.CharField()
    sources = SourceSerializer(many=True)
    channels = ChannelSerializer(many=True)
    funnel = FunnelSerializer()
    funnel_by_device = FunnelSerializer(many=True)
    funnel_by_channel = FunnelSerializer(many=True)
    landing_pages = LandingPageSerializer(many=True)


@extend_schema_serializer(component_name="AnalyticsSearchQuery")
class SearchQuerySerializer(serializers.Serializer):
    query = serializers.CharField()
    searches = serializers.IntegerField()
    zero_results = serializers.IntegerField()
    sessions = serializers.IntegerField()
    sessions_with_order = serializers.IntegerField()
    purchase_rate = rate(gettext_lazy("Sessions that searched and ordered, per 100."))


@extend_schema_serializer(component_name="AnalyticsSearch")
class SearchSerializer(serializers.Serializer):
    totals = SearchQuerySerializer()
    top_queries = SearchQuerySerializer(many=True)
    zero_result_queries = SearchQuerySerializer(many=True)


@extend_schema_serializer(component_name="AnalyticsOpsTraffic")
class OpsTrafficSerializer(TrafficSerializer):
    search = SearchSerializer()


@extend_schema_serializer(component_name="AnalyticsProducts")
class ProductsSerializer(_RangeResponse):
    snapshot_day = serializers.DateField(allow_null=True, help_text=gettext_lazy("The stock snapshot read."))
    best_sellers = ProductSerializer(many=True)
    stock = StockSerializer(many=True)
    at_risk = StockSerializer(many=True)
    slow_movers = StockSerializer(many=True)
    categories = CategorySerializer(many=True)
