from django.conf import settings


def site(request):
    """Values the base layout needs on every page, without a query."""
    return {"SITE_NAME": "Marketplace", "DEFAULT_CURRENCY": settings.DEFAULT_CURRENCY}
