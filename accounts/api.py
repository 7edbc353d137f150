"""The base of every seller API endpoint (catalog's listings, orders' shipments…): who may call it, how
often, how lists are paged and how OPTIONS is answered. Seller authentication is the accounts app's."""

from __future__ import annotations

from typing import Any

from rest_framework.authentication import SessionAuthentication
from rest_framework.generics import GenericAPIView
from rest_framework.metadata import SimpleMetadata
from rest_framework.pagination import PageNumberPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from accounts.authentication import SellerApiKeyAuthentication
from accounts.permissions import IsApprovedSeller


class SellerApiPagination(PageNumberPagination):
    page_size = 24
    page_size_query_param = "page_size"
    max_page_size = 100


class SellerApiMetadata(SimpleMetadata):
    """OPTIONS names the endpoint and its media types. The views parse their input with nested
    serializers (not a ``serializer_class``), so the field listing DRF would build is left out; the
    OpenAPI schema at /api/schema/ describes every input."""

    def determine_actions(self, request, view) -> dict[str, Any]:
        return {}


class SellerApi(GenericAPIView):
    """What every seller endpoint shares: who may call it, how often, and how lists are paged."""

    # The API key first: its ``WWW-Authenticate`` header makes a request without credentials a 401.
    authentication_classes = [SellerApiKeyAuthentication, SessionAuthentication]
    permission_classes = [IsApprovedSeller]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "seller-api"
    parser_classes = [JSONParser]
    pagination_class = SellerApiPagination
    metadata_class = SellerApiMetadata
    filter_backends: list = []

    @staticmethod
    def _parse(serializer_class, data, *, partial: bool = False) -> dict[str, Any]:
        serializer = serializer_class(data=data, partial=partial)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def _page(self, queryset, serializer_class) -> Response:
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(page, many=True).data)
