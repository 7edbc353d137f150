from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """Values the base layout needs on every page, without a query."""
    return {"SITE_NAME": "Marketplace", "DEFAULT_CURRENCY": settings.DEFAULT_CURRENCY}
