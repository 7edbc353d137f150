"""A tiny URLconf for middleware tests: one tracked namespace, one untracked view."""

from django.http import HttpResponse, JsonResponse
from django.urls import include, path


def page(request):
    # Like every storefront page (the header shows the account menu), the view reads request.user.
    greeting = "hello" if request.user.is_authenticated else "welcome"
    return HttpResponse(f"<h1>{greeting}</h1>", content_type="text/html; charset=utf-8")


def data(request):
    return JsonResponse({"ok": True})


tracked = ([path("page/", page, name="page"), path("data/", data, name="data")], "tracked")

urlpatterns = [
    path("t/", include(tracked)),
    path("untracked/", page, name="untracked"),
]
