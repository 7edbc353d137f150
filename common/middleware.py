"""Refuses NUL characters in query strings and form fields before any view sees them.

PostgreSQL cannot hold a NUL in text, so a ``?brand=%00`` that reached a query was a 500 wherever a
field did not validate it itself (model choice filters, free-text facets, slugs). One check for the
class: a 400 with the offending fields named — JSON for the API (``{"brand": ["..."]}``, like every
other field error there), a plain page elsewhere."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

NUL = "\x00"


class NullCharacterMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The common case costs two substring tests: a GET whose path and raw query string hold no NUL
        # (in a query string it can only arrive percent-encoded, as %00).
        if (
            request.method == "GET"
            and "%00" not in request.META.get("QUERY_STRING", "")
            and NUL not in request.path
        ):
            return self.get_response(request)
        fields = _fields_with_nul(request)
        if fields:
            message = _("Null characters are not allowed.")
            if request.path.startswith("/api/"):
                return JsonResponse({field: [message] for field in fields}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _fields_with_nul(request: HttpRequest) -> list[str]:
    fields = [
        key or "query" for key, values in request.GET.lists() if NUL in key or any(NUL in v for v in values)
    ]
    if NUL in request.path:
        fields.append("path")
    content_type = request.META.get("CONTENT_TYPE", "")
    # Django's CSRF check parses form posts in middleware anyway; the parsed fields are cached. Not under
    # /api/: parsing there would make DRF take a form body it otherwise answers 415 (its serializers
    # refuse NUL themselves).
    if (
        request.method == "POST"
        and not request.path.startswith("/api/")
        and content_type.startswith(("application/x-www-form-urlencoded", "multipart/"))
    ):
        fields += [
            key or "form"
            for key, values in request.POST.lists()
            if NUL in key or any(NUL in v for v in values)
        ]
    return sorted(set(fields))
