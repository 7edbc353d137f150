"""Seller-portal forms: they check the shape of what was typed; ``catalog.services_listing`` checks the
rules (SKU uniqueness, allowed categories, transitions) and its errors are put back on these forms."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from catalog.attributes import (
    BOOLEAN,
    CHOICE,
    NUMBER,
    NUMBER_MAX_DECIMAL_PLACES,
    TEXT_MAX_LENGTH,
    AttributeSpec,
)
from catalog.models import Product, ProductVariant, StockMovement
from catalog.selectors_seller import seller_category_choices
from catalog.services_images import ALT_TEXT_MAX_LENGTH, MAX_IMAGES_PER_PRODUCT, product_image_max_bytes
from catalog.services_listing import (
    MAX_TAGS,
    SELLER_STOCK_REASONS,
    VariantInput,
    listing_currency,
    title_has_html,
)
from common.money import Money, currency_exponent

PRICE_MAX = Decimal("1000000.00")


def _minor(value: Decimal | None, currency: str | None = None) -> int | None:
    """Minor units of a typed amount, in ``currency`` (default: the listing currency, read now)."""
    return None if value is None else Money.from_decimal(value, currency or listing_currency()).amount


def _major(amount: int | None, currency: str | None = None) -> Decimal | None:
    return None if amount is None else Money(amount, currency or listing_currency()).to_decimal()


def _precision_error(currency: str) -> str:
    places = currency_exponent(currency)
    return ngettext(
        "Use at most %(n)d decimal place for %(currency)s.",
        "Use at most %(n)d decimal places for %(currency)s.",
        places,
    ) % {"n": places, "currency": currency}


def attribute_form_field(spec: AttributeSpec) -> forms.Field:
    """A typed field for one category attribute, labelled with its unit. A checkbox cannot say "not
    stated", so an unticked yes/no attribute is stored as "no"."""
    if spec.type == BOOLEAN:
        return forms.BooleanField(label=spec.label, required=False)
    if spec.type == CHOICE:
        choices = [("", "---------"), *((choice, spec.choice_label(choice)) for choice in spec.choices)]
        return forms.ChoiceField(label=spec.label, required=spec.is_required, choices=choices)
    if spec.type == NUMBER:
        # 13 digits with 4 after the point: the range and precision ``catalog.attributes`` accepts.
        return forms.DecimalField(
            label=spec.label,
            required=spec.is_required,
            max_digits=9 + NUMBER_MAX_DECIMAL_PLACES,
            decimal_places=NUMBER_MAX_DECIMAL_PLACES,
        )
    return forms.CharField(label=spec.label, required=spec.is_required, max_length=TEXT_MAX_LENGTH)


def _attribute_values(cleaned: Mapping[str, object], names: Mapping[str, str]) -> dict[str, object]:
    """{code: value} from cleaned form data, given {code: field name}; empty fields are left out."""
    values = {code: cleaned.get(name) for code, name in names.items()}
    return {code: value for code, value in values.items() if value is not None and value != ""}


class AttributeValuesForm(forms.Form):
    """The product-scope attributes of the chosen category: one typed field per attribute, named by its
    code. The service checks the values again (and is the only check for API callers)."""

    def __init__(self, *args, specs: Sequence[AttributeSpec] = (), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.specs = list(specs)
        for spec in self.specs:
            self.fields[spec.code] = attribute_form_field(spec)

    def values(self) -> dict[str, object] | None:
        """The values for the service; ``None`` when the category has no such attributes, so values
        stored under codes nobody defines are left alone rather than wiped."""
        if not self.specs:
            return None
        return _attribute_values(self.cleaned_data, {spec.code: spec.code for spec in self.specs})


class ProductForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=seller_category_choices())
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Plain text keeps its line breaks. Simple HTML is allowed: paragraphs, bold, italic, lists, "
            "sub-headings and links; anything else is removed."
        ),
    )
    brand = forms.CharField(label=_("Brand"), max_length=80, required=False)
    condition = forms.ChoiceField(label=_("Condition"), choices=Product.Condition.choices)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separate tags with commas.")
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = seller_category_choices()

    def clean_title(self) -> str:
        title = self.cleaned_data["title"]
        if title_has_html(title):
            raise forms.ValidationError(_("HTML is not allowed in titles."), code="html")
        return title

    def clean_tags(self) -> list[str]:
        names = [n.strip() for n in self.cleaned_data["tags"].split(",") if n.strip()]
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(_("Use at most %(n)d tags."), params={"n": MAX_TAGS}, code="max_tags")
        return names

    @classmethod
    def initial_for(cls, product: Product) -> dict:
        return {
            "title": product.title,
            "category": product.category_id,
            "description": product.description,
            "brand": product.brand,
            "condition": product.condition,
            "tags": ", ".join(t.name for t in product.tags.all()),
        }


class VariantForm(forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    sku = forms.CharField(label=_("SKU"), max_length=64)
    name = forms.CharField(label=_("Variant name"), max_length=120, required=False)
    price = forms.DecimalField(
        label=_("Price"), min_value=Decimal(0), max_value=PRICE_MAX, max_digits=9, decimal_places=2
    )
    compare_at_price = forms.DecimalField(
        label=_("Compare-at price"),
        required=False,
        min_value=Decimal(0),
        max_value=PRICE_MAX,
        max_digits=9,
        decimal_places=2,
    )
    stock = forms.IntegerField(label=_("Stock"), min_value=0, max_value=1_000_000)

    ATTRIBUTE_PREFIX = "attr_"

    def __init__(self, *args, attribute_specs: Sequence[AttributeSpec] = (), **kwargs) -> None:
        """``attribute_specs``: the category's variant-scope attributes, one extra column each."""
        super().__init__(*args, **kwargs)
        self.attribute_specs = list(attribute_specs)
        for spec in self.attribute_specs:
            self.fields[self.ATTRIBUTE_PREFIX + spec.code] = attribute_form_field(spec)

    def clean_sku(self) -> str:
        return self.cleaned_data["sku"].strip()

    def clean(self) -> dict:
        data = super().clean()
        price, compare_at = data.get("price"), data.get("compare_at_price")
        currency = listing_currency()
        for name, value in (("price", price), ("compare_at_price", compare_at)):
            try:
                _minor(value, currency)
            except ValueError:  # more decimals than the currency has (e.g. 12.50 in JPY)
                self.add_error(name, _precision_error(currency))
        if price is not None and compare_at is not None and compare_at <= price:
            self.add_error("compare_at_price", _("The compare-at price must be higher than the price."))
        return data

    def to_input(self) -> VariantInput:
        data = self.cleaned_data
        return VariantInput(
            id=data.get("id"),
            sku=data["sku"],
            name=data.get("name", ""),
            price_amount=_minor(data["price"]),
            compare_at_amount=_minor(data.get("compare_at_price")),
            stock=data["stock"],
            # None when the category has no SKU attributes: stored values are left alone (see
            # ``AttributeValuesForm.values``).
            attributes=_attribute_values(
                data, {spec.code: self.ATTRIBUTE_PREFIX + spec.code for spec in self.attribute_specs}
            )
            if self.attribute_specs
            else None,
        )

    @classmethod
    def initial_for(cls, variant: ProductVariant) -> dict:
        return {
            "id": variant.id,
            "sku": variant.sku,
            "name": variant.name,
            "price": _major(variant.price_amount, variant.currency),
            "compare_at_price": _major(variant.compare_at_amount, variant.currency),
            "stock": variant.stock,
            **{cls.ATTRIBUTE_PREFIX + code: value for code, value in variant.attributes.items()},
        }


class BaseVariantFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            sku = form.cleaned_data.get("sku")
            if not sku:
                continue
            if sku in seen:
                form.add_error("sku", _("This SKU appears twice in the form."))
            seen.add(sku)

    def filled_forms(self) -> list[VariantForm]:
        """The rows with data, in order (untouched blank extra rows are skipped)."""
        return [f for f in self.forms if f.cleaned_data]


VariantFormSet = forms.formset_factory(
    VariantForm,
    formset=BaseVariantFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    max_num=50,
    validate_max=True,
)


class BulkActionForm(forms.Form):
    ACTIONS = (
        ("publish", _("Publish")),
        ("delist", _("Delist")),
        ("price", _("Change price by percent")),
    )

    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    products = forms.ModelMultipleChoiceField(label=_("Products"), queryset=Product.objects.none())
    percent = forms.DecimalField(
        label=_("Percent"),
        required=False,
        min_value=Decimal("-99"),
        max_value=Decimal(1000),
        max_digits=6,
        decimal_places=2,
        help_text=_("e.g. -10 lowers prices by ten percent"),
    )

    def __init__(self, *args, seller_products, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Only the seller's own listings are valid choices: anyone else's id fails validation.
        self.fields["products"].queryset = seller_products

    def clean(self) -> dict:
        data = super().clean()
        if data.get("action") == "price" and data.get("percent") in (None, Decimal(0)):
            self.add_error("percent", _("Enter a percentage other than 0."))
        return data


class StockAdjustForm(forms.Form):
    delta = forms.IntegerField(
        label=_("Change"), min_value=-1_000_000, max_value=1_000_000, help_text=_("e.g. 5 or -2")
    )
    reason = forms.ChoiceField(
        label=_("Reason"),
        choices=[(v, label) for v, label in StockMovement.Reason.choices if v in SELLER_STOCK_REASONS],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_delta(self) -> int:
        delta = self.cleaned_data["delta"]
        if delta == 0:
            raise forms.ValidationError(_("Enter a change other than 0."), code="zero")
        return delta


class MultipleImageInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """The files of one ``<input type="file" multiple>``, cleaned to a list (empty when none)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None) -> list:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            super().clean(None, initial)  # "This field is required." when it is
            return []
        if len(files) > MAX_IMAGES_PER_PRODUCT:
            raise forms.ValidationError(
                _("Choose at most %(n)d images at a time."), params={"n": MAX_IMAGES_PER_PRODUCT}, code="max"
            )
        return [super(MultipleImageField, self).clean(f, initial) for f in files]


class ProductImageUploadForm(forms.Form):
    """Images to add to a listing; whether they are real images, small enough and how many a listing
    may have is checked by ``catalog.services_images``."""

    images = MultipleImageField(label=_("Add images"))
    alt_text = forms.CharField(
        label=_("Image description"),
        required=False,
        max_length=ALT_TEXT_MAX_LENGTH,
        help_text=_("What the images show, for shoppers using a screen reader. Empty: the title is used."),
    )

    def __init__(self, *args, required: bool = True, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["images"].required = required
        self.fields["images"].help_text = _(
            "JPEG, PNG, WebP or GIF, at most %(size)s each and %(n)d per listing; you can choose several "
            "files. The first image is the cover."
        ) % {"size": filesizeformat(product_image_max_bytes()), "n": MAX_IMAGES_PER_PRODUCT}


class ProductImageAltForm(forms.Form):
    alt_text = forms.CharField(label=_("Image description"), required=False, max_length=ALT_TEXT_MAX_LENGTH)
