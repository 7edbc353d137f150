"""The shopper's review page for one order: a review per delivered item and a rating per seller.

Signed-in buyers only; the order is read by number *and* buyer, so anyone else's order (or a guest order)
is a 404 and nothing is written. Each item and each seller part has its own small form posting to its own
URL; a refusal from ``orders.reviews.services`` is shown on that form, the rest of the page unchanged.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import ShopperRequiredMixin
from common.exceptions import ApplicationError
from orders.models import Order
from orders.reviews import selectors, services
from orders.reviews.forms import ProductReviewForm, SellerRatingForm, service_error_add

TEMPLATE = "shop/orders/reviews/order_reviews.html"


def _line_prefix(line_id: int) -> str:
    return f"line-{line_id}"


def _part_prefix(part_id: int) -> str:
    return f"part-{part_id}"


def _user_id(request: HttpRequest) -> int:
    """The signed-in shopper's id (``ShopperRequiredMixin`` let only signed-in users in)."""
    return cast(int, request.user.pk)


class _OrderReviewsMixin(ShopperRequiredMixin):
    def order_or_404(self, request: HttpRequest, number: str) -> Order:
        order = selectors.order_get_for_reviewer(number=number, user_id=_user_id(request))
        if order is None:
            raise Http404
        return order

    def render_page(
        self,
        request: HttpRequest,
        order: Order,
        bound: dict[str, forms.Form] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        """The page with a form for every reviewable or still-editable item and part; ``bound`` (by
        prefix) replaces the blank form of the one that was just submitted with errors."""
        bound = bound or {}
        parts = selectors.order_review_state(order_id=order.pk, user_id=_user_id(request))
        for part in parts:
            for state in part.lines:
                prefix = _line_prefix(state.line.pk)
                state.form = bound.get(prefix)
                if state.form is None and (state.reviewable or state.editable):
                    initial = (
                        {
                            "rating": state.review.rating,
                            "title": state.review.title,
                            "body": state.review.body,
                        }
                        if state.review is not None
                        else {}
                    )
                    state.form = ProductReviewForm(prefix=prefix, initial=initial)
            prefix = _part_prefix(part.part.pk)
            part.form = bound.get(prefix)
            if part.form is None and (part.rating_reviewable or part.rating_editable):
                initial = (
                    {"rating": part.rating.rating, "comment": part.rating.comment}
                    if part.rating is not None
                    else {}
                )
                part.form = SellerRatingForm(prefix=prefix, initial=initial)
        context: dict[str, Any] = {
            "order": order,
            "parts": parts,
            "edit_days": services.REVIEW_EDIT_DAYS,
        }
        return TemplateResponse(request, TEMPLATE, context, status=status)

    def page_url(self, order: Order, anchor: str) -> str:
        return reverse("reviews:order-reviews", args=[order.number]) + f"#{anchor}"


class OrderReviewsView(_OrderReviewsMixin, View):
    def get(self, request: HttpRequest, number: str) -> HttpResponse:
        return self.render_page(request, self.order_or_404(request, number))


class OrderLineReviewSaveView(_OrderReviewsMixin, View):
    """Write or change the review of one item of the order."""

    def post(self, request: HttpRequest, number: str, line_id: int) -> HttpResponse:
        order = self.order_or_404(request, number)
        parts = selectors.order_review_state(order_id=order.pk, user_id=_user_id(request))
        state = next((s for p in parts for s in p.lines if s.line.pk == line_id), None)
        if state is None:
            raise Http404
        prefix = _line_prefix(line_id)
        form = ProductReviewForm(request.POST, prefix=prefix)
        if not form.is_valid():
            return self.render_page(request, order, {prefix: form}, status=400)
        data = form.cleaned_data
        try:
            if state.review is None:
                services.product_review_create(
                    order_line_id=line_id,
                    author_id=_user_id(request),
                    rating=data["rating"],
                    title=data["title"],
                    body=data["body"],
                )
                message = _("Thank you! Your review of “%(title)s” is published.")
            else:
                services.product_review_update(
                    review_id=state.review.pk,
                    author_id=_user_id(request),
                    rating=data["rating"],
                    title=data["title"],
                    body=data["body"],
                )
                message = _("Your review of “%(title)s” is updated.")
        except ApplicationError as exc:
            service_error_add(form, exc)
            return self.render_page(request, order, {prefix: form}, status=400)
        messages.success(request, message % {"title": state.line.title})
        return redirect(self.page_url(order, prefix))


class SellerRatingSaveView(_OrderReviewsMixin, View):
    """Give or change the rating of the seller of one part of the order."""

    def post(self, request: HttpRequest, number: str, part_id: int) -> HttpResponse:
        order = self.order_or_404(request, number)
        parts = selectors.order_review_state(order_id=order.pk, user_id=_user_id(request))
        part = next((p for p in parts if p.part.pk == part_id), None)
        if part is None:
            raise Http404
        prefix = _part_prefix(part_id)
        form = SellerRatingForm(request.POST, prefix=prefix)
        if not form.is_valid():
            return self.render_page(request, order, {prefix: form}, status=400)
        data = form.cleaned_data
        try:
            if part.rating is None:
                services.seller_rating_create(
                    seller_order_id=part_id,
                    author_id=_user_id(request),
                    rating=data["rating"],
                    comment=data["comment"],
                )
                message = _("Thank you for rating %(shop)s.")
            else:
                services.seller_rating_update(
                    rating_id=part.rating.pk,
                    author_id=_user_id(request),
                    rating=data["rating"],
                    comment=data["comment"],
                )
                message = _("Your rating of %(shop)s is updated.")
        except ApplicationError as exc:
            service_error_add(form, exc)
            return self.render_page(request, order, {prefix: form}, status=400)
        messages.success(request, message % {"shop": part.part.seller.shop_name})
        return redirect(self.page_url(order, prefix))
