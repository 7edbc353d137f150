from django.apps import AppConfig


class DemoConfig(AppConfig):
    """No models: installed so that Django finds the ``seed_demo`` command."""

    name = "marketplace.demo"
    label = "demo"
