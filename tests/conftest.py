"""Fixtures shared by the whole suite. Service fixtures (Celery worker, browser) live in their own plugins."""

import pytest

from common.tracking_buffer import get_buffer
from tests.caches import caches_clear

pytest_plugins = [
    "tests.plugins.services",
    "tests.plugins.browser",
    "tests.plugins.localstripe",
    "tests.plugins.mail",
]


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path_factory):
    """Uploads and demo images go to a fresh directory per test, never into var/media."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _empty_cache():
    """Rate-limit counters and cached fragments live in the (possibly Redis) cache: start each test clean."""
    caches_clear()
    yield
    caches_clear()


@pytest.fixture(autouse=True)
def _empty_event_buffer():
    """Each test starts and ends with an empty analytics buffer (it is process- or Redis-wide)."""
    get_buffer().clear()
    yield
    get_buffer().clear()


@pytest.fixture(autouse=True)
def _ledger_accounts_cache_clear():
    """Ledger account ids are cached per process once committed; a test's rolled-back transaction (with
    on-commit callbacks run by ``django_capture_on_commit_callbacks``) must not leave ids of rows that
    no longer exist for the next test."""
    from payments.ledger import accounts_cache_clear

    accounts_cache_clear()
    yield
    accounts_cache_clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A test-client request with ``Accept-Language: zh-hans`` leaves Chinese active in this thread
    (LocaleMiddleware activates per request and never resets); the next test starts in the default."""
    from django.utils import translation

    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _domain_events_strict(settings):
    """A subscriber that raises fails the test that published the event (production only logs it)."""
    settings.DOMAIN_EVENTS_STRICT = True


@pytest.fixture(autouse=True)
def _celery_join_guard_reset():
    """Celery's "never call result.get() within a task" guard is one process-wide flag that an eager
    ``apply_async`` sets and then restores to what it saw; eager tasks run from several threads at once
    (the race tests) can restore it to "set" and leave it so, failing a later test's ``result.get()``."""
    yield
    from celery._state import _set_task_join_will_block

    _set_task_join_will_block(False)
