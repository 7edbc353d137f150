"""Project package: settings, root URLs, WSGI/ASGI entry points and the Celery app. No models, no rules."""

from .celery import app as celery_app

__all__ = ("celery_app",)
