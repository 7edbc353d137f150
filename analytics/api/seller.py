"""A seller's analytics API at /api/seller/analytics/: the figures of their portal's analytics pages as
JSON, read with their own id only (``request.seller``, set by ``IsApprovedSeller``); authenticated and
throttled like every seller endpoint (``accounts.api.SellerApi``: API key or portal session)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import SellerApi
from analytics.api import payloads
from analytics.api.base import (
    REFUSED,
    ProductsParamsSerializer,
    ProductsSerializer,
    RangeParamsSerializer,
    SellerOverviewSerializer,
    TrafficSerializer,
    channel_rows,
    params_parse,
)
from analytics.selectors import SELLER_KPIS
from analytics.selectors_products import best_sellers
from analytics.selectors_traffic import traffic_by

TAGS = ["seller"]


def _seller_id(request: Request) -> int:
    return int(request.seller.pk)  # type: ignore[attr-defined]  # set by IsApprovedSeller


class SellerOverviewApi(SellerApi):
    """The shop's KPIs against the previous period, its GMV series, channels, best sellers and categories."""

    @extend_schema(
        tags=TAGS, parameters=[RangeParamsSerializer], responses={200: SellerOverviewSerializer, 400: REFUSED}
    )
    def get(self, request: Request) -> Response:
        seller_id, date_range = _seller_id(request), params_parse(RangeParamsSerializer, request)["range"]
        data = payloads.overview(seller_id=seller_id, date_range=date_range, keys=SELLER_KPIS)
        data["channels"] = channel_rows(
            traffic_by(seller_id=seller_id, date_range=date_range, dimensions=("channel",))
        )
        data["best_sellers"] = best_sellers(date_range=date_range, seller_id=seller_id, limit=10)
        return Response(SellerOverviewSerializer(data).data)


class SellerTrafficApi(SellerApi):
    """The visits that viewed the shop's products: sources, channels, the funnel, landing pages."""

    @extend_schema(
        tags=TAGS, parameters=[RangeParamsSerializer], responses={200: TrafficSerializer, 400: REFUSED}
    )
    def get(self, request: Request) -> Response:
        date_range = params_parse(RangeParamsSerializer, request)["range"]
        return Response(
            TrafficSerializer(payloads.traffic(seller_id=_seller_id(request), date_range=date_range)).data
        )


class SellerProductsApi(SellerApi):
    """The shop's best sellers, stock, stock-out risk, slow movers and categories."""

    @extend_schema(
        tags=TAGS, parameters=[ProductsParamsSerializer], responses={200: ProductsSerializer, 400: REFUSED}
    )
    def get(self, request: Request) -> Response:
        params = params_parse(ProductsParamsSerializer, request)
        data = payloads.products(seller_id=_seller_id(request), date_range=params["range"], params=params)
        return Response(ProductsSerializer(data).data)
