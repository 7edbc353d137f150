"""Operators' view of the catalog. Derived numbers (from-price, sales, ratings) and product status are
read-only here: they are maintained by catalog/orders/reviews services, and a status change goes only
through ``catalog.services_moderation`` (approve, reject, delist, each with its audit row and the
seller's e-mail), from actions that ask for a reason on a confirmation page where one is required.

The listing moderation queue (``ListingModeration``) lists the products waiting in PENDING_REVIEW, oldest
first.
A category edit or move refreshes the category caches and the search documents of the products below it
(their search document includes the names of the category and its ancestors).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from catalog import selectors
from catalog.models import (
    Category,
    CategoryAttribute,
    ListingModeration,
    Product,
    ProductStatusEvent,
    ProductVariant,
    Tag,
)
from catalog.screening import REASON_PREFIX
from catalog.search import product_search_vector_refresh_category
from catalog.services_listing import product_operator_update
from catalog.services_moderation import (
    product_moderation_approve,
    product_moderation_reject,
    product_operator_delist,
)
from catalog.views.shop import product_attributes_shown
from common.admin import ServiceAdminMixin, ServiceModelForm
from common.exceptions import ApplicationError
from common.money import format_money

Status = Product.Status


# --- categories -------------------------------------------------------------------------------------


def _translation_languages() -> list[tuple[str, str]]:
    """(code, name) of the languages operators word catalog names in besides the default one (whose
    wording is the plain columns)."""
    return [(code, str(name)) for code, name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]


def _translation_field_name(field: str, language: str) -> str:
    return f"{field}_{language.replace('-', '_')}"


CHOICE_LABEL_SEPARATOR = "="


class TranslationsFormMixin(forms.ModelForm):
    """Edits a model's ``translations`` JSON (see ``catalog.models.translation_get``) as one plain field
    per language and translated column, e.g. ``name_zh_hans``; ``translations_form`` declares them. What
    a language leaves blank is removed, so it falls back to the default wording."""

    translated_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.translations if isinstance(self.instance.translations, dict) else {}
        for language, _name in _translation_languages():
            wording = stored.get(language) or {}
            for field in self.translated_fields:
                self.initial.setdefault(_translation_field_name(field, language), wording.get(field, ""))
            self.translations_initial(language, wording)

    def translations_initial(self, language: str, wording: dict[str, Any]) -> None:
        """Subclasses show what is not a plain text column (an attribute's choice labels)."""

    def translations_clean(self, language: str, wording: dict[str, Any]) -> None:
        """Subclasses add what is not a plain text column (an attribute's choice labels)."""

    def clean(self) -> dict[str, Any]:
        cleaned = cast("dict[str, Any]", super().clean())  # ModelForm.clean returns cleaned_data
        stored = self.instance.translations if isinstance(self.instance.translations, dict) else {}
        translations = {language: dict(wording) for language, wording in stored.items()}
        for language, _name in _translation_languages():
            wording = translations.get(language, {})
            for field in self.translated_fields:
                value = (cleaned.get(_translation_field_name(field, language)) or "").strip()
                if value:
                    wording[field] = value
                else:
                    wording.pop(field, None)
            self.translations_clean(language, wording)
            if wording:
                translations[language] = wording
            else:
                translations.pop(language, None)
        # Not a form field, so saving the form keeps what is set here.
        self.instance.translations = translations
        return cleaned


def translations_form(
    base: type[forms.ModelForm], model: type[models.Model], fields: tuple[str, ...], **extra: Any
) -> type:
    """``base`` with ``TranslationsFormMixin`` and one declared field per other language and field of
    ``fields`` (built per request: the languages come from the settings)."""
    declared: dict[str, Any] = {"translated_fields": fields, **extra}
    for language, language_name in _translation_languages():
        for field in fields:
            model_field = cast("models.Field[Any, Any]", model._meta.get_field(field))  # concrete fields only
            form_field = cast(forms.Field, model_field.formfield(required=False))
            form_field.label = gettext("%(field)s (%(language)s)") % {
                "field": capfirst(model_field.verbose_name),
                "language": language_name,
            }
            form_field.help_text = gettext("Leave blank to show the English wording.")
            declared[_translation_field_name(field, language)] = form_field
    bases = (base,) if issubclass(base, TranslationsFormMixin) else (TranslationsFormMixin, base)
    return type(f"Translations{base.__name__}", bases, declared)


class CategoryAttributeForm(TranslationsFormMixin):
    """An attribute's name and, for a choice attribute, the label of each choice in the other languages.
    The choices themselves stay the canonical values stored on listings and used in facet URLs."""

    def translations_initial(self, language: str, wording: dict[str, Any]) -> None:
        labels = cast(
            "dict[str, str]", wording.get("choices") if isinstance(wording.get("choices"), dict) else {}
        )
        # In the attribute's own order of choices (PostgreSQL's jsonb keeps no key order), then any other.
        order = [str(choice) for choice in (getattr(self.instance, "choices", None) or [])]
        ordered = [c for c in order if c in labels] + [c for c in labels if c not in order]
        self.initial.setdefault(
            _translation_field_name("choices", language),
            "\n".join(f"{choice} {CHOICE_LABEL_SEPARATOR} {labels[choice]}" for choice in ordered),
        )

    def translations_clean(self, language: str, wording: dict[str, Any]) -> None:
        raw = self.cleaned_data.get(_translation_field_name("choices", language)) or ""
        canonical = {str(choice).casefold(): str(choice) for choice in self.cleaned_data.get("choices") or []}
        labels: dict[str, str] = {}
        for line in raw.splitlines():
            if not line.strip():
                continue
            value, separator, label = line.partition(CHOICE_LABEL_SEPARATOR)
            choice = canonical.get(value.strip().casefold())
            if not separator or not label.strip() or choice is None:
                self.add_error(
                    _translation_field_name("choices", language),
                    gettext('"%(line)s" is not "choice = label" for one of the choices.')
                    % {"line": line.strip()},
                )
                continue
            labels[choice] = label.strip()
        if labels:
            wording["choices"] = labels
        else:
            wording.pop("choices", None)


def _choice_labels_fields() -> dict[str, forms.Field]:
    return {
        _translation_field_name("choices", language): forms.CharField(
            label=gettext("Choice labels (%(language)s)") % {"language": language_name},
            required=False,
            widget=forms.Textarea(attrs={"rows": 3, "cols": 24}),
            help_text=gettext('One per line: "choice = label", e.g. "Red = 红色".'),
        )
        for language, language_name in _translation_languages()
    }


class CategoryAttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0
    fields = ("code", "name", "type", "scope", "choices", "unit", "is_required", "is_facet", "position")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:  # type: ignore[override]
        names = list(self.fields)
        for language, _name in _translation_languages():
            names += [_translation_field_name("name", language), _translation_field_name("choices", language)]
        return names

    def get_formset(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> Any:
        form = translations_form(
            CategoryAttributeForm, CategoryAttribute, ("name",), **_choice_labels_fields()
        )
        kwargs.setdefault("form", form)
        return super().get_formset(request, obj, **kwargs)


def _category_changed(category_id: int) -> None:
    """After an edit or a move: the nav/visibility caches and the listing caches start afresh, and every
    product of the (possibly re-parented or renamed) subtree gets its search document rewritten."""
    selectors.category_list_top_invalidate()
    path = Category.objects.filter(pk=category_id).values_list("path", flat=True).first()
    if path is not None:
        product_search_vector_refresh_category(category_path=path)


@admin.register(Category)
class CategoryAdmin(TreeAdmin):
    # The raw ``translations`` JSON is edited through one field per language (``translations_form``).
    form = movenodeform_factory(Category, exclude=("translations",))
    inlines = [CategoryAttributeInline]
    list_display = ("name", "slug", "is_active", "position")
    list_filter = ("is_active",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        """The tree form plus each other language's name, description and SEO wording."""
        kwargs.setdefault(
            "form",
            translations_form(self.form, Category, ("name", "description", "seo_title", "seo_description")),
        )
        return super().get_form(request, obj, change, **kwargs)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        _category_changed(form.instance.pk)

    def move_node(self, request: HttpRequest) -> HttpResponse:
        """Drag and drop in the tree: treebeard moves the node, then the caches and documents follow."""
        response = super().move_node(request)
        if response.status_code == 200:
            _category_changed(int(request.POST["node"]))
        return response

    def delete_model(self, request: HttpRequest, obj: Category) -> None:
        super().delete_model(request, obj)
        selectors.category_list_top_invalidate()

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Category]) -> None:
        super().delete_queryset(request, queryset)
        selectors.category_list_top_invalidate()


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


# --- listing status actions -------------------------------------------------------------------------


class ListingReasonForm(forms.Form):
    """The operator's reason for rejecting or delisting a listing (admin confirmation page)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=ProductStatusEvent._meta.get_field("reason").max_length,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the seller and shown on the listing's edit page."),
    )


_LISTING_ACTIONS: dict[str, tuple[Callable[..., Product], Any]] = {
    "approve": (product_moderation_approve, _("Approve")),
    "reject": (product_moderation_reject, _("Reject")),
    "delist": (product_operator_delist, _("Delist")),
}


def _listing_action_run(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, *, action: str, **kwargs: str
) -> None:
    """The service once per listing, each in its own transaction; what was refused is reported."""
    service, label = _LISTING_ACTIONS[action]
    done, refused = [], []
    for product in queryset.order_by("pk"):
        try:
            service(product_id=product.pk, actor_id=request.user.pk, **kwargs)
        except ApplicationError as exc:
            refused.append(f"{product.title}: {exc.message}")
        else:
            done.append(product.title)
    if done:
        modeladmin.message_user(
            request,
            gettext("%(action)s: %(listings)s.") % {"action": label, "listings": ", ".join(done)},
            messages.SUCCESS,
        )
    for line in refused:
        modeladmin.message_user(
            request, gettext("Not changed — %(detail)s") % {"detail": line}, messages.ERROR
        )


def _listing_reason_action(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet, *, action: str
) -> TemplateResponse | None:
    """First call shows a confirmation page asking for the reason; its POST ("apply") runs the action."""
    _service, label = _LISTING_ACTIONS[action]
    if "apply" in request.POST:
        form = ListingReasonForm(request.POST)
        if form.is_valid():
            _listing_action_run(
                modeladmin, request, queryset, action=action, reason=form.cleaned_data["reason"]
            )
            return None
    else:
        form = ListingReasonForm()
    opts = modeladmin.model._meta
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("%(action)s listings") % {"action": label},
        "opts": opts,
        "queryset": queryset.select_related("seller"),
        "form": form,
        "action_name": f"{action}_listings",
        "action_label": label,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        "media": modeladmin.media,
    }
    request.current_app = modeladmin.admin_site.name
    return TemplateResponse(request, "ops/catalog/listing_status_confirm.html", context)


class ProductStatusEventInline(admin.TabularInline):
    """The listing's status history, newest first; written only by ``product_transition``."""

    model = ProductStatusEvent
    fk_name = "product"
    extra = 0
    fields = ("created_at", "from_status", "to_status", "actor", "reason")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


# --- products ---------------------------------------------------------------------------------------


class ProductVariantInline(admin.TabularInline):
    """The listing's SKUs, read-only: SKU codes, prices and stock change through the seller's services
    (SKU codes are unique, stock is reserved by checkout under a row lock)."""

    model = ProductVariant
    extra = 0
    fields = ("sku", "name", "price", "compare_at_price", "stock", "position")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("price"))
    def price(self, obj: ProductVariant) -> str:
        return format_money(obj.price_amount, obj.currency)

    @admin.display(description=_("compare-at price"))
    def compare_at_price(self, obj: ProductVariant) -> str:
        if obj.compare_at_amount is None:
            return ""
        return format_money(obj.compare_at_amount, obj.currency)


class ProductAdminForm(ServiceModelForm):
    """Checks the shape only; ``product_operator_update`` checks the rules the seller's own edit meets
    and refreshes what depends on the listing (search document, listing caches)."""

    service_field_map = {"category_id": "category"}

    class Meta:
        model = Product
        fields = ("title", "category", "brand", "condition", "tags", "description")

    def service_save(self) -> Product:
        data = self.cleaned_data
        return product_operator_update(
            product_id=self.instance.pk,
            actor_id=self.actor_id,
            title=data["title"],
            category_id=data["category"].pk,
            description=data.get("description", ""),
            brand=data.get("brand", ""),
            condition=data["condition"],
            tag_names=[tag.name for tag in data.get("tags") or []],
        )


@admin.register(Product)
class ProductAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Operators correct a listing's text, category, condition and tags through
    ``product_operator_update``; the seller, the slug (shared links keep working), SKUs and status are
    read-only (status changes are the actions below). Listings come from sellers: no add, and delist
    rather than delete."""

    form = ProductAdminForm
    list_display = (
        "title",
        "seller",
        "category",
        "status",
        "in_stock",
        "condition",
        "from_price",
        "published_at",
    )
    list_filter = ("status", "in_stock", "condition", ("category", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("seller", "category")
    search_fields = ("title", "slug", "brand", "seller__shop_name")
    raw_id_fields = ("category",)
    autocomplete_fields = ("tags",)
    date_hierarchy = "published_at"
    inlines = [ProductVariantInline, ProductStatusEventInline]
    actions = ["approve_listings", "reject_listings", "delist_listings"]
    readonly_fields = (
        "slug",
        "seller",
        "status",
        "in_stock",
        "from_price",
        "sales_count",
        "rating_avg",
        "rating_count",
        "published_at",
        "created_at",
        "updated_at",
    )
    fieldsets = (
        (
            None,
            {"fields": ("title", "slug", "seller", "category", "brand", "condition", "tags", "description")},
        ),
        (
            _("Maintained by services"),
            {
                "fields": (
                    "status",
                    "in_stock",
                    "from_price",
                    "published_at",
                    "sales_count",
                    "rating_avg",
                    "rating_count",
                    "created_at",
                    "updated_at",
                )
            },
        ),
    )

    @admin.display(description=_("from price"), ordering="price_amount")
    def from_price(self, obj: Product) -> str:
        return format_money(obj.price_amount, obj.currency)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=_("Approve selected listings (pending review)"), permissions=["change"])
    def approve_listings(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        _listing_action_run(self, request, queryset, action="approve")

    @admin.action(description=_("Reject selected listings (pending review)…"), permissions=["change"])
    def reject_listings(self, request: HttpRequest, queryset: QuerySet[Product]):
        return _listing_reason_action(self, request, queryset, action="reject")

    @admin.action(description=_("Delist selected listings…"), permissions=["change"])
    def delist_listings(self, request: HttpRequest, queryset: QuerySet[Product]):
        return _listing_reason_action(self, request, queryset, action="delist")


# --- moderation queue -------------------------------------------------------------------------------


@admin.register(ListingModeration)
class ListingModerationAdmin(admin.ModelAdmin):
    """Listings waiting for an operator, oldest first, with why screening held them back."""

    list_display = (
        "title",
        "seller",
        "category",
        "from_price",
        "submitted_at",
        "screening_reasons",
        "preview_link",
    )
    list_select_related = ("seller", "category")
    search_fields = ("title", "brand", "seller__shop_name")
    ordering = ("status_changed_at", "id")
    actions = ["approve_listings", "reject_listings"]
    inlines = [ProductStatusEventInline]
    fields = (
        "title",
        "seller",
        "category",
        "brand",
        "condition",
        "description",
        "from_price",
        "submitted_at",
        "screening_reasons",
        "preview_link",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[ListingModeration]:
        held = ProductStatusEvent.objects.filter(
            product_id=OuterRef("pk"), to_status=Status.PENDING_REVIEW
        ).order_by("-created_at", "-id")
        return (
            super()
            .get_queryset(request)
            .filter(status=Status.PENDING_REVIEW)
            .annotate(held_reason=Subquery(held.values("reason")[:1]))
        )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # listings come from sellers

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # reject instead: the seller keeps the draft and learns why

    def changelist_view(self, request: HttpRequest, extra_context=None):
        extra_context = {"title": gettext("Listing moderation queue"), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context=None):
        # A read-only look at the listing: decisions are the list's actions, edits the product admin's.
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request: HttpRequest, obj: ListingModeration, form, change: bool) -> None:
        """Nothing to save: every field here is read-only."""

    def get_urls(self):
        preview = path(
            "<int:object_id>/preview/",
            self.admin_site.admin_view(self.preview_view),
            name="catalog_listingmoderation_preview",
        )
        return [preview, *super().get_urls()]

    @admin.display(description=_("from price"), ordering="price_amount")
    def from_price(self, obj: ListingModeration) -> str:
        return format_money(obj.price_amount, obj.currency)

    @admin.display(description=_("waiting since"), ordering="status_changed_at")
    def submitted_at(self, obj: ListingModeration):
        return obj.status_changed_at

    @admin.display(description=_("screening reasons"))
    def screening_reasons(self, obj: ListingModeration) -> str:
        reason = getattr(obj, "held_reason", None) or ""
        return reason.removeprefix(REASON_PREFIX)

    @admin.display(description=_("preview"))
    def preview_link(self, obj: ListingModeration) -> str:
        url = reverse("admin:catalog_listingmoderation_preview", args=[obj.pk])
        return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', url, gettext("Preview"))

    def preview_view(self, request: HttpRequest, object_id: int) -> TemplateResponse:
        """The listing as shoppers will see it once approved (the public page shows live listings only)."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        product = (
            Product.objects.filter(pk=object_id)
            .select_related("seller", "category")
            .prefetch_related("variants", "images", "tags")
            .first()
        )
        if product is None:
            raise Http404
        variants = list(product.variants.all())
        selected = next((v for v in variants if v.in_stock), variants[0] if variants else None)
        context = {
            "product": product,
            "variants": variants,
            "selected_variant": selected,
            "tags": list(product.tags.all()),
            "images": list(product.images.all()),
            "specifications": product_attributes_shown(product, variants),
            # Not live: the page shows what shoppers will see, but nothing can be bought from it.
            "preview": True,
            "nav_categories": selectors.category_list_top(),
            "breadcrumbs": [
                {
                    "label": gettext("Listing moderation queue"),
                    "url": reverse("admin:catalog_listingmoderation_changelist"),
                },
                {"label": product.title, "url": None},
            ],
        }
        return TemplateResponse(request, "ops/catalog/listing_preview.html", context)

    @admin.action(description=_("Approve selected listings"), permissions=["change"])
    def approve_listings(self, request: HttpRequest, queryset: QuerySet[ListingModeration]) -> None:
        _listing_action_run(self, request, queryset, action="approve")

    @admin.action(description=_("Reject selected listings…"), permissions=["change"])
    def reject_listings(self, request: HttpRequest, queryset: QuerySet[ListingModeration]):
        return _listing_reason_action(self, request, queryset, action="reject")
