"""Seller-portal pages: dashboard, listings (with bulk actions), the listing form and inventory.

Every page is behind ``SellerRequiredMixin`` (which sets ``request.seller``); every object id in a URL
is read through ``catalog.selectors_seller`` scoped to that seller, so another seller's id is a 404.
Writes go through ``catalog.services_listing``; its ``ApplicationError`` becomes a form error or a message.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from accounts.permissions import SellerRequiredMixin
from catalog import selectors_attributes, selectors_seller, services_images, services_listing
from catalog.attributes import PRODUCT, VARIANT, AttributeSpec, attribute_specs_scoped
from catalog.forms import (
    AttributeValuesForm,
    BulkActionForm,
    ProductForm,
    ProductImageAltForm,
    ProductImageUploadForm,
    StockAdjustForm,
    VariantForm,
    VariantFormSet,
)
from catalog.models import Product
from common.exceptions import ApplicationError

PAGE_SIZE = 25
INVENTORY_PAGE_SIZE = 50
ATTRIBUTES_PREFIX = "attributes"
IMAGES_PREFIX = "upload"


class SellerDashboardView(SellerRequiredMixin, TemplateView):
    template_name = "seller/catalog/dashboard.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        seller_id = self.request.seller.id
        counts = selectors_seller.seller_product_status_counts(seller_id=seller_id)
        return super().get_context_data(
            status_counts=[(value, label, counts[value]) for value, label in Product.Status.choices],
            product_total=sum(counts.values()),
            low_stock_count=selectors_seller.seller_low_stock_count(seller_id=seller_id),
            **self.dashboard_context_extra(seller_id=seller_id),
            **kwargs,
        )

    def dashboard_context_extra(self, *, seller_id: int) -> dict[str, Any]:
        """Figures of other apps (orders to ship…), added by ``marketplace.pages.portal``."""
        return {}


class SellerProductListView(SellerRequiredMixin, View):
    template_name = "seller/catalog/product_list.html"

    def _render(self, request: HttpRequest, bulk_form: BulkActionForm, status: int = 200) -> HttpResponse:
        search = request.GET.get("q", "")[:200]
        status_filter = request.GET.get("status", "")
        products = selectors_seller.seller_product_list(
            seller_id=request.seller.id, search=search, status=status_filter
        )
        page = Paginator(products, PAGE_SIZE).get_page(request.GET.get("page"))
        context = {
            "page": page,
            "products": page.object_list,
            "q": search,
            "status_filter": status_filter,
            "status_choices": Product.Status.choices,
            "bulk_form": bulk_form,
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def _bulk_form(self, request: HttpRequest, data=None) -> BulkActionForm:
        return BulkActionForm(
            data, seller_products=selectors_seller.seller_product_list(seller_id=request.seller.id)
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, self._bulk_form(request))

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._bulk_form(request, request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an action and at least one of your listings."))
            return self._render(request, form)
        ids = [p.pk for p in form.cleaned_data["products"]]
        action = form.cleaned_data["action"]
        if action == "price":
            try:
                changed = services_listing.product_bulk_price_change(
                    seller_id=request.seller.id,
                    product_ids=ids,
                    percent=form.cleaned_data["percent"],
                    actor_id=request.user.id,
                )
            except ApplicationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    ngettext("Changed the price of %(n)d SKU.", "Changed the prices of %(n)d SKUs.", changed)
                    % {"n": changed},
                )
        else:
            outcome = services_listing.product_bulk_transition(
                seller_id=request.seller.id, product_ids=ids, action=action, actor_id=request.user.id
            )
            if outcome.done:
                messages.success(
                    request,
                    ngettext("Updated %(n)d listing.", "Updated %(n)d listings.", len(outcome.done))
                    % {"n": len(outcome.done)},
                )
            for title, why in outcome.refused:
                messages.error(
                    request, _("“%(title)s” was not changed: %(why)s") % {"title": title, "why": why}
                )
        return redirect(request.get_full_path())


class _ProductFormMixin:
    template_name = "seller/catalog/product_form.html"

    def _render(
        self,
        request: HttpRequest,
        form,
        formset,
        product: Product | None,
        *,
        attributes_form: AttributeValuesForm | None = None,
        image_form: ProductImageUploadForm | None = None,
    ) -> HttpResponse:
        context = {
            # On the new-listing form images are optional; on the edit page they have their own form.
            "image_form": image_form
            or ProductImageUploadForm(prefix=IMAGES_PREFIX, required=product is not None),
            "images": list(product.images.all()) if product is not None else [],
            "form": form,
            "formset": formset,
            "product": product,
            "attributes_form": attributes_form or AttributeValuesForm(prefix=ATTRIBUTES_PREFIX),
            "variant_attribute_specs": formset.form_kwargs.get("attribute_specs", []),
        }
        return TemplateResponse(request, self.template_name, context)

    @staticmethod
    def _attribute_specs(category_id: object) -> tuple[list[AttributeSpec], list[AttributeSpec]]:
        """(product-scope, variant-scope) attributes of the category the form names; none for none."""
        try:
            specs = selectors_attributes.category_attribute_specs(category_id=int(str(category_id)))
        except ValueError:
            specs = []
        return attribute_specs_scoped(specs, PRODUCT), attribute_specs_scoped(specs, VARIANT)

    def _refresh(
        self,
        request: HttpRequest,
        product: Product | None,
        product_specs: list[AttributeSpec],
        variant_specs: list[AttributeSpec],
    ) -> HttpResponse:
        """Draw the form again with the attribute fields of the category now chosen, keeping what was
        typed. Nothing is checked or saved: unbound copies show no errors for fields not yet seen."""
        posted_attributes = AttributeValuesForm(request.POST, prefix=ATTRIBUTES_PREFIX, specs=product_specs)
        posted_rows = VariantFormSet(
            request.POST, prefix="variants", form_kwargs={"attribute_specs": variant_specs}
        )
        form = ProductForm(initial=_typed(ProductForm(request.POST)))
        attributes_form = AttributeValuesForm(
            prefix=ATTRIBUTES_PREFIX, specs=product_specs, initial=_typed(posted_attributes)
        )
        formset = VariantFormSet(
            prefix="variants",
            initial=[_typed(row) for row in posted_rows.forms if row.has_changed()],
            form_kwargs={"attribute_specs": variant_specs},
        )
        return self._render(request, form, formset, product, attributes_form=attributes_form)

    @staticmethod
    def _apply_error(
        exc: ApplicationError,
        form: ProductForm,
        formset,
        rows: list[VariantForm],
        *,
        attributes_form: AttributeValuesForm | None = None,
    ) -> None:
        """Put a service refusal back on the field (or SKU row) it is about."""
        placed = False
        for key, value in exc.extra.items():
            if key == "attributes" and isinstance(value, dict) and attributes_form is not None:
                placed = _attribute_errors_add(attributes_form, value) or placed
            elif key == "variants" and isinstance(value, dict):
                for index, errors in value.items():
                    for field_name, msgs in errors.items():
                        if field_name == "attributes" and isinstance(msgs, dict):
                            prefix = VariantForm.ATTRIBUTE_PREFIX
                            placed = _attribute_errors_add(rows[index], msgs, prefix=prefix) or placed
                            continue
                        target = field_name if field_name in VariantForm.base_fields else None
                        for msg in msgs:
                            rows[index].add_error(target, msg)
                            placed = True
            elif key in form.fields:
                for msg in value if isinstance(value, list) else [value]:
                    form.add_error(key, msg)
                    placed = True
        if not placed:
            form.add_error(None, exc.message)

    def _save(self, request: HttpRequest, product: Product | None) -> HttpResponse:
        product_specs, variant_specs = self._attribute_specs(request.POST.get("category"))
        if "refresh" in request.POST:
            return self._refresh(request, product, product_specs, variant_specs)
        form = ProductForm(request.POST)
        attributes_form = AttributeValuesForm(request.POST, prefix=ATTRIBUTES_PREFIX, specs=product_specs)
        formset = VariantFormSet(
            request.POST, prefix="variants", form_kwargs={"attribute_specs": variant_specs}
        )
        image_form = None
        if product is None:  # a new listing may bring its first images along
            image_form = ProductImageUploadForm(
                request.POST, request.FILES, prefix=IMAGES_PREFIX, required=False
            )
        valid = [f.is_valid() for f in (form, attributes_form, formset, image_form) if f is not None]
        if not all(valid):
            return self._render(
                request, form, formset, product, attributes_form=attributes_form, image_form=image_form
            )
        rows = formset.filled_forms()
        data = form.cleaned_data
        kwargs = {
            "seller_id": request.seller.id,
            "actor_id": request.user.id,
            "title": data["title"],
            "category_id": data["category"].id,
            "description": data["description"],
            "brand": data["brand"],
            "condition": data["condition"],
            "tag_names": data["tags"],
            "variants": [row.to_input() for row in rows],
            "publish": "publish" in request.POST,
            "attributes": attributes_form.values(),
        }
        try:
            if product is None and image_form is not None:
                saved = services_images.product_create_with_images(
                    uploads=image_form.cleaned_data["images"],
                    image_alt_text=image_form.cleaned_data["alt_text"],
                    **kwargs,
                )
            else:
                saved = services_listing.product_update(product_id=product.id, **kwargs)
        except ApplicationError as exc:
            if not (image_form is not None and _image_errors_add(image_form, exc)):
                self._apply_error(exc, form, formset, rows, attributes_form=attributes_form)
            return self._render(
                request, form, formset, product, attributes_form=attributes_form, image_form=image_form
            )
        messages.success(request, _("Saved “%(title)s”.") % {"title": saved.title})
        return redirect("seller:product-edit", pk=saved.pk)


def _image_errors_add(form: ProductImageUploadForm, exc: ApplicationError) -> bool:
    """A refusal of ``catalog.services_images`` on the upload form's fields; False if it is about
    something else (the listing itself)."""
    added = False
    for key, field_name in (("image", "images"), ("alt_text", "alt_text")):
        for message in exc.extra.get(key, []):
            form.add_error(field_name, message)
            added = True
    return added


def _typed(form: forms.Form) -> dict[str, Any]:
    """What was typed into a bound form, field by field, as the initial data of an unbound copy."""
    return {name: form[name].value() for name in form.fields}


def _attribute_errors_add(form: forms.Form, errors: dict, *, prefix: str = "") -> bool:
    """Service errors about attributes (``{code: [message]}``) on the field of each code; a code the form
    has no field for is named in a form-wide error. True if any error was added."""
    added = False
    for code, messages_ in errors.items():
        name = prefix + str(code)
        for message in messages_:
            if name in form.fields:
                form.add_error(name, message)
            else:
                form.add_error(None, f"{code}: {message}")
            added = True
    return added


class SellerProductCreateView(SellerRequiredMixin, _ProductFormMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ProductForm(), VariantFormSet(prefix="variants"), None)

    def post(self, request: HttpRequest) -> HttpResponse:
        return self._save(request, None)


class SellerProductEditView(SellerRequiredMixin, _ProductFormMixin, View):
    def _product(self, request: HttpRequest, pk: int) -> Product:
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=pk)
        if product is None:
            raise Http404
        return product

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = self._product(request, pk)
        product_specs, variant_specs = self._attribute_specs(product.category_id)
        form = ProductForm(initial=ProductForm.initial_for(product))
        attributes_form = AttributeValuesForm(
            prefix=ATTRIBUTES_PREFIX, specs=product_specs, initial=dict(product.attributes)
        )
        formset = VariantFormSet(
            prefix="variants",
            initial=[VariantForm.initial_for(v) for v in product.variants.all()],
            form_kwargs={"attribute_specs": variant_specs},
        )
        return self._render(request, form, formset, product, attributes_form=attributes_form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._save(request, self._product(request, pk))


class SellerProductTransitionView(SellerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=pk)
        if product is None:
            raise Http404
        try:
            services_listing.product_seller_transition(
                seller_id=request.seller.id,
                product_id=product.id,
                action=request.POST.get("action", ""),
                actor_id=request.user.id,
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Status of “%(title)s” updated.") % {"title": product.title})
        return redirect("seller:product-edit", pk=product.pk)


class SellerInventoryView(SellerRequiredMixin, TemplateView):
    template_name = "seller/catalog/inventory.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        seller_id = self.request.seller.id
        stock = self.request.GET.get("stock", "")
        stock = stock if stock in selectors_seller.INVENTORY_FILTERS else ""
        search = self.request.GET.get("q", "").strip()[:100]
        variants = selectors_seller.seller_variant_list(seller_id=seller_id, stock=stock, search=search)
        page = Paginator(variants, INVENTORY_PAGE_SIZE).get_page(self.request.GET.get("page"))
        return super().get_context_data(
            page_obj=page,
            variants=page.object_list,
            stock_filter=stock,
            q=search,
            here=self.request.get_full_path(),
            movements=selectors_seller.seller_stock_movement_list(seller_id=seller_id),
            adjust_form=StockAdjustForm(),
            **kwargs,
        )


class SellerStockAdjustView(SellerRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        variant = selectors_seller.seller_variant_get(seller_id=request.seller.id, variant_id=pk)
        if variant is None:
            raise Http404
        form = StockAdjustForm(request.POST)
        if not form.is_valid():
            errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
            messages.error(request, _("%(sku)s: %(errors)s") % {"sku": variant.sku, "errors": errors})
            return _back_to_inventory(request, variant.pk)
        try:
            movement = services_listing.seller_stock_adjust(
                seller_id=request.seller.id,
                variant_id=variant.id,
                delta=form.cleaned_data["delta"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor_id=request.user.id,
            )
        except ApplicationError as exc:
            messages.error(request, _("%(sku)s: %(errors)s") % {"sku": variant.sku, "errors": exc.message})
        else:
            messages.success(
                request,
                _("%(sku)s: stock is now %(n)d.") % {"sku": variant.sku, "n": movement.quantity_after},
            )
        return _back_to_inventory(request, variant.pk)


def _back_to_inventory(request: HttpRequest, variant_id: int) -> HttpResponse:
    """Back to the page and filters the seller adjusted from, at the row they changed."""
    back = request.POST.get("next", "")
    if not (back.startswith(reverse("seller:inventory")) and url_has_allowed_host_and_scheme(back, None)):
        back = reverse("seller:inventory")
    return redirect(f"{back.split('#')[0]}#variant-{variant_id}")


# --- product images -----------------------------------------------------------------------------------


def _images_url(product_id: int) -> str:
    return reverse("seller:product-edit", args=[product_id]) + "#images"


class SellerProductImageAddView(SellerProductEditView):
    """Upload images to a listing from its edit page; a refusal draws the edit page again with the
    error on the upload field."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        product = self._product(request, pk)
        form = ProductImageUploadForm(request.POST, request.FILES, prefix=IMAGES_PREFIX)
        if form.is_valid():
            try:
                added = services_images.product_images_add(
                    seller_id=request.seller.id,
                    product_id=product.id,
                    actor_id=request.user.id,
                    uploads=form.cleaned_data["images"],
                    alt_text=form.cleaned_data["alt_text"],
                )
            except services_listing.ListingNotFound as exc:
                raise Http404 from exc
            except ApplicationError as exc:
                if not _image_errors_add(form, exc):
                    form.add_error(None, exc.message)
            else:
                messages.success(
                    request,
                    ngettext("Added %(n)d image.", "Added %(n)d images.", len(added)) % {"n": len(added)},
                )
                return redirect(_images_url(product.id))
        response = self.get(request, pk)  # the edit page as it is, with this form and its errors
        response.context_data["image_form"] = form
        return response


class _ProductImageActionView(SellerRequiredMixin, View):
    """A POST about one image of one of the seller's listings, answered with a redirect to the images
    of the edit page; another seller's listing or image is a 404."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int, image_pk: int) -> HttpResponse:
        product = selectors_seller.seller_product_get(seller_id=request.seller.id, product_id=pk)
        if product is None:
            raise Http404
        try:
            self.act(request, image_pk)
        except services_listing.ListingNotFound as exc:
            raise Http404 from exc
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect(_images_url(product.id))

    def act(self, request: HttpRequest, image_pk: int) -> None:
        raise NotImplementedError


class SellerProductImageUpdateView(_ProductImageActionView):
    def act(self, request: HttpRequest, image_pk: int) -> None:
        form = ProductImageAltForm(request.POST)
        if not form.is_valid():
            messages.error(request, "; ".join(str(e) for errs in form.errors.values() for e in errs))
            return
        services_images.product_image_update(
            seller_id=request.seller.id,
            image_id=image_pk,
            actor_id=request.user.id,
            alt_text=form.cleaned_data["alt_text"],
        )
        messages.success(request, _("Image description saved."))


class SellerProductImageDeleteView(_ProductImageActionView):
    def act(self, request: HttpRequest, image_pk: int) -> None:
        services_images.product_image_delete(
            seller_id=request.seller.id, image_id=image_pk, actor_id=request.user.id
        )
        messages.success(request, _("Image removed."))


class SellerProductImageMoveView(_ProductImageActionView):
    def act(self, request: HttpRequest, image_pk: int) -> None:
        services_images.product_image_move(
            seller_id=request.seller.id,
            image_id=image_pk,
            actor_id=request.user.id,
            direction=request.POST.get("direction", ""),
        )
        messages.success(request, _("Image moved."))
