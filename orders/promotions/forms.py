"""Seller-portal forms for promotions: they check the shape of what was typed (money as "12.50", dates);
``orders.promotions.services`` checks the rules, and its errors are put back on these forms' fields."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalog.forms import PRICE_MAX, _major, _minor
from catalog.models import Category, Product
from common.exceptions import ApplicationError
from orders.models import Coupon
from orders.promotions.services import CODE_MAX_LENGTH, COUNT_MAX, FLASH_ITEMS_MAX, FlashSaleItemInput

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _money_field(
    label: _StrOrPromise, *, required: bool = True, help_text: _StrOrPromise = ""
) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_value=PRICE_MAX,
        max_digits=9,
        decimal_places=2,
        help_text=help_text,
    )


def _datetime_field(
    label: _StrOrPromise, *, required: bool = True, help_text: _StrOrPromise = ""
) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
    )


def _local(value):
    return timezone.localtime(value) if value is not None else None


def errors_add(form: forms.Form, exc: ApplicationError, field_map: dict[str, str] | None = None) -> None:
    """A service refusal on the field it is about (``field_map``: service key -> form field), else on the
    whole form."""
    field_map = field_map or {}
    placed = False
    for key, messages in exc.extra.items():
        name = field_map.get(key, key)
        if name in form.fields and isinstance(messages, list):
            for message in messages:
                form.add_error(name, message)
                placed = True
    if not placed:
        form.add_error(None, exc.message)


class CouponForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=CODE_MAX_LENGTH,
        help_text=_("Letters, digits, hyphens and underscores; shoppers may type it in any case."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=Coupon.Kind.choices)
    percent_off = forms.IntegerField(
        label=_("Percent off"),
        required=False,
        min_value=1,
        max_value=100,
        help_text=_("For percent-off coupons"),
    )
    amount_off = _money_field(
        _("Amount off"), required=False, help_text=_("For fixed-amount coupons, e.g. 5.00")
    )
    min_spend = _money_field(
        _("Minimum spend"),
        required=False,
        help_text=_("On the products the coupon applies to, after other discounts. Empty: none."),
    )
    scope = forms.ChoiceField(label=_("Applies to"), choices=Coupon.Scope.choices)
    categories = forms.ModelMultipleChoiceField(
        label=_("Categories"),
        required=False,
        queryset=Category.objects.none(),
        help_text=_("When it applies to categories"),
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products"),
        required=False,
        queryset=Product.objects.none(),
        help_text=_("When it applies to products"),
    )
    usage_limit_total = forms.IntegerField(
        label=_("Total uses"),
        required=False,
        min_value=1,
        max_value=COUNT_MAX,
        help_text=_("Empty: unlimited"),
    )
    usage_limit_per_user = forms.IntegerField(
        label=_("Uses per shopper"),
        required=False,
        min_value=1,
        max_value=COUNT_MAX,
        initial=1,
        help_text=_("Empty: unlimited"),
    )
    starts_at = _datetime_field(_("Valid from"))
    ends_at = _datetime_field(_("Valid until"), required=False, help_text=_("Empty: no end"))

    FIELD_MAP = {"min_spend_amount": "min_spend"}

    def __init__(self, *args, seller_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        categories = cast(forms.ModelMultipleChoiceField, self.fields["categories"])
        categories.queryset = Category.objects.filter(is_active=True).order_by("path")
        # Only the seller's own listings are choices: anyone else's id fails validation.
        products = cast(forms.ModelMultipleChoiceField, self.fields["products"])
        products.queryset = Product.objects.filter(seller_id=seller_id).order_by("title", "pk")

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        kind, scope = data.get("kind"), data.get("scope")
        if (
            kind == Coupon.Kind.PERCENT
            and data.get("percent_off") is None
            and "percent_off" not in self.errors
        ):
            self.add_error("percent_off", _("Enter the percentage off."))
        if kind == Coupon.Kind.FIXED and not data.get("amount_off") and "amount_off" not in self.errors:
            self.add_error("amount_off", _("Enter the amount off."))
        if scope == Coupon.Scope.CATEGORY and not data.get("categories") and "categories" not in self.errors:
            self.add_error("categories", _("Choose at least one category."))
        if scope == Coupon.Scope.PRODUCTS and not data.get("products") and "products" not in self.errors:
            self.add_error("products", _("Choose at least one product."))
        return data

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "code": data["code"],
            "description": data["description"],
            "kind": data["kind"],
            "percent_off": data.get("percent_off"),
            "amount_off": _minor(data.get("amount_off")),
            "min_spend_amount": _minor(data.get("min_spend")) or 0,
            "scope": data["scope"],
            "category_ids": [c.pk for c in data.get("categories") or []],
            "product_ids": [p.pk for p in data.get("products") or []],
            "usage_limit_total": data.get("usage_limit_total"),
            "usage_limit_per_user": data.get("usage_limit_per_user"),
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
        }

    @staticmethod
    def initial_for(coupon: Coupon) -> dict:
        return {
            "code": coupon.code,
            "description": coupon.description,
            "kind": coupon.kind,
            "percent_off": coupon.percent_off,
            "amount_off": _major(coupon.amount_off),
            "min_spend": _major(coupon.min_spend_amount),
            "scope": coupon.scope,
            "categories": [c.pk for c in coupon.categories.all()],
            "products": [p.pk for p in coupon.products.all()],
            "usage_limit_total": coupon.usage_limit_total,
            "usage_limit_per_user": coupon.usage_limit_per_user,
            "starts_at": _local(coupon.starts_at),
            "ends_at": _local(coupon.ends_at),
        }


class FlashSaleForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_at = _datetime_field(_("Starts at"))
    ends_at = _datetime_field(_("Ends at"))

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        starts_at, ends_at = data.get("starts_at"), data.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        return data


class FlashSaleItemForm(forms.Form):
    sku = forms.CharField(label=_("SKU"), max_length=64)
    sale_price = _money_field(_("Sale price"))
    stock_cap = forms.IntegerField(label=_("Units at this price"), min_value=1, max_value=COUNT_MAX)

    FIELD_MAP = {"sale_price_amount": "sale_price"}

    def to_input(self) -> FlashSaleItemInput:
        data = self.cleaned_data
        return FlashSaleItemInput(
            sku=data["sku"].strip(),
            sale_price_amount=_minor(data["sale_price"]) or 0,
            stock_cap=data["stock_cap"],
        )


class BaseFlashSaleItemFormSet(forms.BaseFormSet):
    def filled_forms(self) -> list[FlashSaleItemForm]:
        """The rows with data, in order (untouched blank rows are skipped)."""
        # _should_delete_form: Django's own BaseFormSet helper, which the stubs leave out
        return [f for f in self.forms if f.cleaned_data and not self._should_delete_form(f)]  # type: ignore[attr-defined]

    def clean(self) -> None:
        if any(self.errors):
            return
        if not self.filled_forms():
            raise forms.ValidationError(_("Add at least one SKU."))


FlashSaleItemFormSet = cast(
    type[BaseFlashSaleItemFormSet],  # formset_factory returns a subclass of the formset given
    forms.formset_factory(
        FlashSaleItemForm,
        formset=BaseFlashSaleItemFormSet,
        extra=3,
        max_num=FLASH_ITEMS_MAX,
        validate_max=True,
    ),
)


def flash_item_initial(sale) -> list[dict]:
    return [
        {
            "sku": item.variant.sku,
            "sale_price": _major(item.sale_price_amount),
            "stock_cap": item.stock_cap,
        }
        for item in sale.items.all()
    ]


class SpendTierForm(forms.Form):
    threshold = _money_field(_("Spend at least"), help_text=_("Your part of a cart, e.g. 50.00"))
    discount = _money_field(_("Save"), help_text=_("Taken off your part of the cart, e.g. 5.00"))
    starts_at = _datetime_field(_("Valid from"))
    ends_at = _datetime_field(_("Valid until"), required=False, help_text=_("Empty: no end"))

    FIELD_MAP = {"threshold_amount": "threshold", "discount_amount": "discount"}

    def clean(self) -> dict[str, Any]:
        data = cast("dict[str, Any]", super().clean())  # Form.clean returns cleaned_data
        threshold, discount = data.get("threshold"), data.get("discount")
        if threshold is not None and threshold <= 0:
            self.add_error("threshold", _("Enter an amount above 0."))
        if discount is not None and discount <= 0:
            self.add_error("discount", _("Enter an amount above 0."))
        return data

    def to_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "threshold_amount": _minor(data["threshold"]),
            "discount_amount": _minor(data["discount"]),
            "starts_at": data["starts_at"],
            "ends_at": data.get("ends_at"),
        }
