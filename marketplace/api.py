"""The API root: a map of the top-level endpoints, so the browsable API has a front door."""

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    return Response(
        {
            "categories": reverse("catalog-api:category-list", request=request, format=format),
            "products": reverse("catalog-api:product-list", request=request, format=format),
            "facets": reverse("catalog-api:product-facets", request=request, format=format),
            # Needs a seller's API key or session.
            "seller-products": reverse("seller-api:product-list", request=request, format=format),
            "schema": reverse("schema", request=request, format=format),
            "docs": reverse("api-docs", request=request, format=format),
        }
    )
