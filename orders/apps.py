from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrdersConfig(AppConfig):
    name = "orders"
    verbose_name = _("Orders")

    def ready(self) -> None:
        # Sign-in is allauth's and Django's; the documented hook into it is this signal.
        from django.contrib.auth.signals import user_logged_in

        from orders.viewer import cart_merge_at_login

        user_logged_in.connect(cart_merge_at_login, dispatch_uid="orders.cart_merge_at_login")
