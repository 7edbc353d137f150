from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        from analytics import subscribers
        from analytics.services import events_flush
        from common.tracking_buffer import flush_handler_set

        # The embedded in-process buffer writes itself out through analytics when it fills up.
        flush_handler_set(events_flush)
        subscribers.register()
