"""Operators' analytics API at /api/analytics/: the figures of the operators' dashboards as JSON, with
the same range parameters. Operators only (session); anyone else gets a 404. Bad parameters are a 400
naming the field."""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api import payloads
from analytics.api.base import (
    NOT_FOUND,
    REFUSED,
    OperatorApi,
    OpsOverviewSerializer,
    OpsTrafficSerializer,
    ProductsParamsSerializer,
    ProductsSerializer,
    RangeParamsSerializer,
    SellerSerializer,
    params_parse,
)
from analytics.selectors import OPERATOR_KPIS, SELLER_SORTS, seller_performance_qs, seller_rows

TAGS = ["analytics"]
PLATFORM = 0
SORT_CHOICES = sorted([*SELLER_SORTS, *(f"-{key}" for key in SELLER_SORTS)])


class OverviewApi(OperatorApi):
    """The platform's KPIs against the previous period, the GMV series, top sellers and categories."""

    @extend_schema(
        tags=TAGS,
        parameters=[RangeParamsSerializer],
        responses={200: OpsOverviewSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        date_range = params_parse(RangeParamsSerializer, request)["range"]
        data = payloads.overview(seller_id=PLATFORM, date_range=date_range, keys=OPERATOR_KPIS)
        data["top_sellers"] = seller_rows(
            seller_performance_qs(date_range=date_range, sort="-gmv")[: payloads.LIST_LIMIT]
        )
        return Response(OpsOverviewSerializer(data).data)


class TrafficApi(OperatorApi):
    """Sources, channels, the funnel (all, by device, by channel), landing pages and search."""

    @extend_schema(
        tags=TAGS,
        parameters=[RangeParamsSerializer],
        responses={200: OpsTrafficSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        date_range = params_parse(RangeParamsSerializer, request)["range"]
        data = payloads.traffic(seller_id=PLATFORM, date_range=date_range)
        data["search"] = payloads.search(date_range=date_range)
        return Response(OpsTrafficSerializer(data).data)


class ProductsApi(OperatorApi):
    """Best sellers, stock (per product, shop or category), stock-out risk, slow movers, categories."""

    @extend_schema(
        tags=TAGS,
        parameters=[ProductsParamsSerializer],
        responses={200: ProductsSerializer, 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        params = params_parse(ProductsParamsSerializer, request)
        data = payloads.products(seller_id=None, date_range=params["range"], params=params)
        return Response(ProductsSerializer(data).data)


class SellersApi(OperatorApi):
    """Every seller's sales in the range, a row per seller and currency, sorted and paged."""

    class ParamsSerializer(RangeParamsSerializer):
        sort = serializers.ChoiceField(
            choices=SORT_CHOICES,
            required=False,
            default="-gmv",
            help_text=gettext_lazy("A column, with - for the biggest first."),
        )

    @extend_schema(
        tags=TAGS,
        parameters=[
            ParamsSerializer,
            OpenApiParameter("page", int, description=gettext_lazy("Page number.")),
            OpenApiParameter("page_size", int, description=gettext_lazy("Rows per page (at most 100).")),
        ],
        responses={200: SellerSerializer(many=True), 400: REFUSED, 404: NOT_FOUND},
    )
    def get(self, request: Request) -> Response:
        params = params_parse(self.ParamsSerializer, request)
        rows = seller_performance_qs(date_range=params["range"], sort=params["sort"])
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(SellerSerializer(seller_rows(page or []), many=True).data)
