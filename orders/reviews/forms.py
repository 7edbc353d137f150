"""Forms for reviews: the shopper's product review and seller rating, the seller's reply and the portal's
filter. They check shape (a rating 1-5, lengths); ``orders.reviews.services`` checks the rules, cleans the
text to plain text, and its refusals are put back on these forms with ``service_error_add``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.exceptions import ApplicationError
from orders.reviews.services import (
    BODY_MAX_LENGTH,
    COMMENT_MAX_LENGTH,
    REPLY_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

RATING_CHOICES = [
    (1, _("1 star — poor")),
    (2, _("2 stars — fair")),
    (3, _("3 stars — good")),
    (4, _("4 stars — very good")),
    (5, _("5 stars — excellent")),
]


def service_error_add(form: forms.Form, exc: ApplicationError) -> None:
    """A service refusal next to the field it names (``exc.extra`` keys), else on top of the form."""
    for key in exc.extra:
        if key in form.fields:
            form.add_error(key, exc.message)
            return
    form.add_error(None, exc.message)


class PlainTextField(forms.CharField):
    """A text field counting a line break as one character, as the browser's ``maxlength`` does (a
    textarea submits CRLF)."""

    def to_python(self, value: Any) -> str:
        text = cast(str, super().to_python(value))  # the empty value is "" (empty_value is not set)
        return text.replace("\r\n", "\n").replace("\r", "\n")


def _rating_field(label: _StrOrPromise) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5 stars.")},
    )


class ProductReviewForm(forms.Form):
    rating = _rating_field(_("Your rating"))
    title = PlainTextField(label=_("Title"), max_length=TITLE_MAX_LENGTH, required=False)
    body = PlainTextField(
        label=_("Your review"),
        max_length=BODY_MAX_LENGTH,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(
            _("Plain text; what did you like or dislike? At most {max} characters."), max=BODY_MAX_LENGTH
        ),
    )


class SellerRatingForm(forms.Form):
    rating = _rating_field(_("Your rating of the seller"))
    comment = PlainTextField(
        label=_("Comment on the seller"),
        max_length=COMMENT_MAX_LENGTH,
        required=False,
        help_text=format_lazy(
            _("Delivery, packaging, communication. At most {max} characters."), max=COMMENT_MAX_LENGTH
        ),
    )


class ReviewReplyForm(forms.Form):
    reply = PlainTextField(
        label=_("Your reply"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(
            _("Shown publicly under the review. You can reply once. At most {max} characters."),
            max=REPLY_MAX_LENGTH,
        ),
    )


class SellerReviewFilterForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=[("", _("Any rating")), *RATING_CHOICES],
        coerce=int,
        empty_value=None,
        required=False,
    )
    replied = forms.ChoiceField(
        label=_("Reply"),
        choices=[("", _("Any")), ("no", _("Awaiting my reply")), ("yes", _("Replied"))],
        required=False,
    )
