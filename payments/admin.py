from django.contrib import admin

from payments.models import Payment


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    """Payments are written by the payment services from the provider's answers; operators read them."""

    list_display = ("order", "provider", "status", "amount", "currency", "created_at")
    list_filter = ("provider", "status")
    search_fields = ("order__number", "reference")
    list_select_related = ("order",)
    readonly_fields = ("order", "provider", "status", "amount", "currency", "reference", "failure_message")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
