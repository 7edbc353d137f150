"""The API root: a map of the top-level endpoints, so the browsable API has a front door."""

from django.urls import NoReverseMatch
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.reverse import reverse

# Listed only where they are mounted (an app's API may be switched off or not mounted yet).
_OPTIONAL_LINKS = {
    # The shopper's cart and orders (session).
    "cart": "orders-api:cart",
    "checkout": "orders-api:checkout",
    "orders": "orders-api:order-list",
    # Needs a seller's API key or session.
    "seller-orders": "seller-orders-api:order-list",
}


@extend_schema(exclude=True)
@api_view(["GET"])
@permission_classes([AllowAny])
def api_root(request, format=None):
    links = {
        "categories": reverse("catalog-api:category-list", request=request, format=format),
        "products": reverse("catalog-api:product-list", request=request, format=format),
        "facets": reverse("catalog-api:product-facets", request=request, format=format),
        # Needs a seller's API key or session.
        "seller-products": reverse("seller-api:product-list", request=request, format=format),
    }
    for name, url_name in _OPTIONAL_LINKS.items():
        try:
            links[name] = reverse(url_name, request=request, format=format)
        except NoReverseMatch:
            continue
    links["schema"] = reverse("schema", request=request, format=format)
    links["docs"] = reverse("api-docs", request=request, format=format)
    return Response(links)
