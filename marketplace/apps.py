from django.apps import AppConfig
from django.core import checks


class MarketplaceConfig(AppConfig):
    """The project package as an app with no models: installed so that its system checks run."""

    name = "marketplace"

    def ready(self) -> None:
        from marketplace.checks import currency_check, secrets_check

        # Not deploy-only: these run at every start-up that runs checks, and the secret check fires only
        # with DEBUG off (see marketplace.checks).
        checks.register(secrets_check, checks.Tags.security)
        checks.register(currency_check)
