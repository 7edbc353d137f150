"""Seller-portal bulk import and export of listings and stock as CSV/XLSX files.

The import page reads the upload through ``catalog.services_import.product_import`` (all or nothing per
file; "validate only" runs the same import and rolls it back) and shows its row-by-row report. The export
writes the seller's own SKUs, optionally filtered like the product list, in the same format.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.permissions import SellerRequiredMixin
from catalog.importexport import (
    FORMATS,
    KIND_PRODUCTS,
    KIND_STOCK,
    MAX_FILE_BYTES,
    MAX_ROWS,
    PRODUCT_COLUMNS,
    REQUIRED_PRODUCT_COLUMNS,
    content_type_for,
    file_format_for_name,
    seller_variant_export_list,
    sheet_render,
)
from catalog.services_import import ImportReport, product_import
from common.exceptions import ApplicationError

# A file with thousands of bad rows would make a page nobody reads; the first ones show the pattern.
ERRORS_SHOWN = 200

COLUMN_HELP = {
    "product_ref": gettext_lazy(
        "Rows with the same product_ref make one listing. For an existing listing use its slug "
        "(as exported) or its id; any other value creates a new draft listing."
    ),
    "title": gettext_lazy("The listing's title (no HTML)."),
    "category": gettext_lazy("The slug of a category without sub-categories."),
    "brand": gettext_lazy("Optional."),
    "condition": gettext_lazy("new, used or refurbished; empty means new."),
    "description": gettext_lazy("Optional, plain text."),
    "tags": gettext_lazy("Optional, separated by | (at most 20)."),
    "sku": gettext_lazy("Your unique code for this variant."),
    "variant_name": gettext_lazy("Optional, e.g. “Large / Blue”."),
    # %(currency)s: settings.DEFAULT_CURRENCY, filled in per request (``column_help``).
    "price": gettext_lazy("In %(currency)s, with a dot for decimals, e.g. 12.50."),
    "compare_at_price": gettext_lazy("Optional; higher than the price."),
    "stock": gettext_lazy("The new stock level (not a change), a whole number."),
    "attributes": gettext_lazy(
        'Optional: the listing\'s category attributes as a JSON object, e.g. {"material": "Steel"}.'
    ),
    "variant_attributes": gettext_lazy(
        'Optional: this SKU\'s attributes as a JSON object, e.g. {"size": 20}.'
    ),
}


def column_help(column: str) -> str:
    if column == "price":
        return COLUMN_HELP[column] % {"currency": settings.DEFAULT_CURRENCY}
    return str(COLUMN_HELP[column])


class ProductImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet file (.csv or .xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Validate only: check the file and show what would change, without saving"),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _("At most %(mb)d MB and %(rows)s rows.") % {
            "mb": MAX_FILE_BYTES // (1024 * 1024),
            "rows": f"{MAX_ROWS:,}",
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        upload = data.get("file")
        if upload is None:
            return data
        data["file_format"] = file_format_for_name(upload.name)
        if data["file_format"] is None:
            self.add_error("file", _("Upload a .csv or .xlsx file."))
        elif upload.size > MAX_FILE_BYTES:
            self.add_error(
                "file", _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
            )
        return data


def _summary(report: ImportReport) -> str:
    if report.kind == KIND_STOCK:
        return _("Stock import complete: %(changed)d SKUs changed, %(unchanged)d unchanged.") % {
            "changed": report.stock_changes,
            "unchanged": report.rows - report.stock_changes,
        }
    return _(
        "Import complete. Listings created: %(created)d, updated: %(updated)d, unchanged: %(unchanged)d. "
        "SKUs created: %(skus_created)d, updated: %(skus_updated)d. Stock changes: %(stock)d."
    ) % {
        "created": report.products_created,
        "updated": report.products_updated,
        "unchanged": report.products_unchanged,
        "skus_created": report.variants_created,
        "skus_updated": report.variants_updated,
        "stock": report.stock_changes,
    }


class SellerProductImportView(SellerRequiredMixin, View):
    template_name = "seller/catalog/product_import.html"

    def _render(
        self,
        request: HttpRequest,
        form: ProductImportForm,
        report: ImportReport | None = None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "form": form,
            "report": report,
            "errors_shown": report.errors[:ERRORS_SHOWN] if report else [],
            "errors_hidden": max(len(report.errors) - ERRORS_SHOWN, 0) if report else 0,
            "columns": [(c, c in REQUIRED_PRODUCT_COLUMNS, column_help(c)) for c in PRODUCT_COLUMNS],
            "max_rows": f"{MAX_ROWS:,}",
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        return self._render(request, ProductImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ProductImportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, form, status=400)
        try:
            report = product_import(
                seller_id=request.seller.id,
                actor_id=request.user.id,
                file=form.cleaned_data["file"],
                file_format=form.cleaned_data["file_format"],
                dry_run=form.cleaned_data["dry_run"],
            )
        except ApplicationError as exc:
            form.add_error("file", exc.message)
            return self._render(request, form, status=400)
        if report.committed:
            messages.success(request, _summary(report))
            return redirect("seller:inventory" if report.kind == KIND_STOCK else "seller:product-list")
        return self._render(request, form, report, status=200 if report.ok else 400)


class SellerProductExportView(SellerRequiredMixin, View):
    """``?format=csv|xlsx&columns=products|stock`` plus the product list's ``q`` and ``status`` filters;
    ``template=1`` gives the header row only."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        file_format = request.GET.get("format", "csv")
        kind = request.GET.get("columns", KIND_PRODUCTS)
        if file_format not in FORMATS or kind not in (KIND_PRODUCTS, KIND_STOCK):
            raise Http404
        if request.GET.get("template") == "1":
            variants = None
            filename = f"{kind}-template.{file_format}"
        else:
            variants = seller_variant_export_list(
                seller_id=request.seller.id,
                search=request.GET.get("q", "")[:200],
                status=request.GET.get("status", ""),
            )
            filename = f"{kind}-{timezone.now():%Y-%m-%d}.{file_format}"
        content = sheet_render(variants=variants, kind=kind, file_format=file_format)
        response = HttpResponse(content, content_type=content_type_for(file_format))
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
        response["Cache-Control"] = "private, no-store"
        return response
