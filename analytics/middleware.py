"""Page-view capture for storefront pages, in one place instead of in every view.

The middleware runs after the view, records successful HTML GETs of the URL namespaces listed in
``ANALYTICS_PAGEVIEW_NAMESPACES`` through ``track`` (a buffer append, no SQL) and sets the anonymous
visitor cookie. A view may name the object shown by setting ``request.analytics_object = obj`` (or, for
a page served from a cache, ``("app_label.model", pk)``).
"""

from django.conf import settings

from common.tracking import VISITOR_COOKIE, VISITOR_COOKIE_AGE, track, visitor_id

UTM_KEYS = ("source", "medium", "campaign")


class PageViewMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        if (
            request.method == "GET"
            and response.status_code == 200
            and match is not None
            and set(match.namespaces) & set(settings.ANALYTICS_PAGEVIEW_NAMESPACES)
            and response.get("Content-Type", "").startswith("text/html")
        ):
            self._record(request, match)
        new_vid = getattr(request, "_new_visitor_id", "")
        if new_vid:
            response.set_cookie(
                VISITOR_COOKIE,
                new_vid,
                max_age=VISITOR_COOKIE_AGE,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        return response

    def _record(self, request, match) -> None:
        # request.user is already resolved by the auth middleware for signed-in visitors (the view used
        # it); for anonymous ones the lazy object stays cheap: no session row exists to load.
        user = getattr(request, "user", None)
        authenticated = bool(user is not None and user.is_authenticated)
        # A model instance, or ("app_label.model", pk) when the page came from a cache.
        obj = getattr(request, "analytics_object", None)
        reference = {"object_type": obj[0], "object_id": obj[1]} if isinstance(obj, tuple) else {"obj": obj}
        track(
            event_type="page_view",
            user_id=user.pk if authenticated else None,
            session_key=visitor_id(request),
            **reference,
            properties={
                "view": match.view_name,
                **({"q": request.GET["q"][:200]} if "q" in request.GET else {}),
            },
            path=request.path,
            referrer=request.META.get("HTTP_REFERER", ""),
            utm={k: request.GET.get(f"utm_{k}", "")[:100] for k in UTM_KEYS},
            user_agent=request.META.get("HTTP_USER_AGENT", ""),
            is_operator=authenticated and user.is_staff,
        )
