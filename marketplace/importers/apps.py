from django.apps import AppConfig


class ImportersConfig(AppConfig):
    """No models: installed so that Django finds ``import_transactions`` (real sales history as orders)."""

    name = "marketplace.importers"
    label = "importers"
