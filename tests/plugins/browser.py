"""Headless Chromium for the tests marked ``browser``: a session-wide browser and a fresh page per test.

The browser is Debian's ``chromium`` (``make test`` installs it when missing and running as root),
driven by Playwright's sync API. Playwright's own browser downloads are never used. When Chromium is
missing the browser tests FAIL with a hint instead of skipping, so a run cannot pass without them.
A failing test leaves a full-page screenshot in ``test-artifacts/``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; Django would then refuse ORM calls from
# the test body ("You cannot call this from an async context") although nothing here is async.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO_ROOT / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    return os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    executable = chromium_path()
    if not os.access(executable, os.X_OK):
        pytest.fail(
            f"Chromium not found at {executable}. Install it with `apt-get install -y chromium` "
            "(make test does this when run as root) or point CHROMIUM_PATH at a Chromium binary.",
            pytrace=False,
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server, request):
    context = browser.new_context(base_url=live_server.url, locale="en-US")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)
        page.screenshot(path=ARTIFACTS / f"FAILED-{name}.png", full_page=True)
    context.close()
