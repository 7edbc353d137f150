"""Operators read the daily reconciliation reports here; they are written only by
``payments.reconciliation`` (the daily task), so nothing can be added, changed or deleted."""

from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from payments.models import ReconciliationReport


@admin.register(ReconciliationReport)
class ReconciliationReportAdmin(admin.ModelAdmin):
    list_display = (
        "day",
        "provider",
        "status",
        "ours_captured",
        "provider_captured",
        "ours_refunded",
        "provider_refunded",
        "mismatch_count",
        "updated_at",
    )
    list_filter = ("status", "provider")
    date_hierarchy = "day"
    ordering = ("-day", "provider")
    fields = (
        "provider",
        "day",
        "status",
        ("ours_captured", "provider_captured"),
        ("ours_refunded", "provider_refunded"),
        "mismatch_table",
        "created_at",
        "updated_at",
    )
    readonly_fields = (
        "provider",
        "day",
        "status",
        "ours_captured",
        "provider_captured",
        "ours_refunded",
        "provider_refunded",
        "mismatch_table",
        "created_at",
        "updated_at",
    )

    @admin.display(description=_("mismatches"))
    def mismatch_count(self, obj: ReconciliationReport) -> int:
        return len(obj.mismatches or [])

    @admin.display(description=_("mismatches"))
    def mismatch_table(self, obj: ReconciliationReport) -> str:
        if not obj.mismatches:
            return "—"
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    m.get("reference", ""),
                    m.get("kind", ""),
                    m.get("problem", ""),
                    "" if m.get("ours") is None else m["ours"],
                    "" if m.get("provider") is None else m["provider"],
                    m.get("currency", ""),
                )
                for m in obj.mismatches
            ),
        )
        return format_html(
            "<table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            _("reference"),
            _("kind"),
            _("problem"),
            _("ours"),
            _("provider"),
            _("currency"),
            rows,
        )

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
