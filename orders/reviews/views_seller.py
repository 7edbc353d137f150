"""Seller-portal pages for the reviews of the seller's products: the list (filterable) and the one reply.

Behind ``SellerRequiredMixin`` (which sets ``request.seller``); a review is read through
``orders.reviews.selectors`` scoped to that seller, so another seller's review is a 404 and nothing
changes. The reply is written by ``orders.reviews.services.product_review_reply``.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import SellerRequiredMixin
from common.exceptions import ApplicationError
from orders.models import ProductReview
from orders.reviews import selectors, services
from orders.reviews.forms import ReviewReplyForm, SellerReviewFilterForm, service_error_add

PAGE_SIZE = 25


class SellerReviewListView(SellerRequiredMixin, View):
    template_name = "seller/reviews/review_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = SellerReviewFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        reviews = selectors.seller_review_list(seller_id=request.seller.id, filters=filters)
        page = Paginator(reviews, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "filter_form": form,
            "page_obj": page,
            "reviews": page.object_list,
            "seller": request.seller,
        }
        return TemplateResponse(request, self.template_name, context)


class SellerReviewReplyView(SellerRequiredMixin, View):
    template_name = "seller/reviews/review_reply.html"

    def _review(self, request: HttpRequest, pk: int) -> ProductReview:
        review = selectors.seller_review_get(seller_id=request.seller.id, review_id=pk)
        if review is None:
            raise Http404
        return review

    def _render(
        self, request: HttpRequest, review: ProductReview, form: ReviewReplyForm | None, status: int = 200
    ) -> HttpResponse:
        context = {"review": review, "form": form}
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = self._review(request, pk)
        return self._render(request, review, None if review.seller_reply else ReviewReplyForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        review = self._review(request, pk)
        form = ReviewReplyForm(request.POST)
        if not form.is_valid():
            return self._render(request, review, form, status=400)
        try:
            services.product_review_reply(
                review_id=review.pk, seller_id=request.seller.id, reply=form.cleaned_data["reply"]
            )
        except services.ReviewNotFound as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            service_error_add(form, exc)
            return self._render(request, review, form, status=400)
        messages.success(
            request,
            _("Your reply to the review of “%(title)s” is published.") % {"title": review.product.title},
        )
        return redirect("seller:review-list")
