from django.contrib import admin

from analytics.models import Event


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    """Events are an append-only record: operators can read and filter them, never edit them."""

    list_display = (
        "occurred_at",
        "type",
        "user",
        "session_key",
        "object_type",
        "object_id",
        "utm_source",
        "user_agent_class",
        "is_bot",
        "is_operator",
    )
    list_filter = ("type", "user_agent_class", "is_bot", "is_operator", "utm_source")
    search_fields = ("session_key", "object_id", "path")
    date_hierarchy = "occurred_at"
    raw_id_fields = ("user",)
    show_full_result_count = False  # COUNT(*) over millions of rows on every page is not worth it

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
