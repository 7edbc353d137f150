"""``GET /csrf/``: the visitor's CSRF token, for POST forms on pages served from the page cache.

A page shared from the cache (the product page, ``catalog.views.shop.AnonymousPageCacheMixin``) must carry
neither one visitor's token nor their Set-Cookie, so its forms have no token; ``static/js/csrf.js`` adds
the one from the ``csrftoken`` cookie before the form is sent, and a visitor without the cookie yet gets
it here first. Never cached, and it touches no session: the visitor still gets the shared pages after.
"""

from django.http import HttpRequest, JsonResponse
from django.middleware.csrf import get_token
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET


@require_GET
@never_cache
@ensure_csrf_cookie
def csrf_token(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"token": get_token(request)})
