"""A seller with completed sales sees their balance and sets where to be paid; an operator runs payouts
and marks the payout paid with the bank's reference in the admin; the seller sees it paid and downloads
their statement. In a real browser."""

import csv
import io
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from payments import ledger
from payments.models import Payout
from payments.tasks_payouts import seller_funds_release_task
from tests.factories import OperatorFactory, SellerProfileFactory
from tests.payments.factories_payouts import SALE_SELLER_AMOUNT, captured_sale

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


@pytest.fixture(autouse=True)
def _payout_settings(settings):
    settings.COMMISSION_DEFAULT_BP = 1000
    settings.PAYOUT_MINIMUM_AMOUNT = 1000
    settings.PAYOUT_PROVIDER = "manual"
    settings.SELLER_FUNDS_HOLD_DAYS = 14
    ledger.accounts_cache_clear()
    yield
    ledger.accounts_cache_clear()


def _sign_in(page, email: str, next_url: str) -> None:
    page.goto(reverse("account_login") + "?next=" + next_url)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url("**" + next_url)


def test_a_seller_is_paid_out_by_an_operator_and_downloads_the_statement(live_server, page, browser):
    # given two sales completed three weeks ago (released by the hourly task) and one still open
    seller = SellerProfileFactory(shop_name="Green Thumb", user__email="grower@example.com")
    captured_sale(seller=seller, completed_days_ago=21)
    captured_sale(seller=seller, completed_days_ago=21)
    captured_sale(seller=seller)
    assert seller_funds_release_task.apply().get() == 2
    OperatorFactory(email="ops@example.com")
    ARTIFACTS.mkdir(exist_ok=True)

    # the seller opens Payouts: 27.90 available, 13.95 pending, and no payout details yet
    _sign_in(page, "grower@example.com", reverse("seller:dashboard"))
    page.get_by_role("navigation", name="Seller portal").get_by_role("link", name="Payouts").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Balance and payouts")
    expect(page.get_by_test_id("available-USD")).to_have_text("$27.90")
    expect(page.get_by_test_id("pending-USD")).to_have_text("$13.95")
    expect(page.get_by_role("img", name="Earnings per day in USD")).to_be_visible()
    expect(page.get_by_text("We cannot pay you yet")).to_be_visible()

    # sets the bank account, which is then only shown masked
    page.get_by_role("link", name="Set up payout details").click()
    page.get_by_label("Account holder").fill("Green Thumb Ltd")
    page.get_by_label("Bank account (IBAN or account number)").fill("DE89 3704 0044 0532 0130 00")
    page.get_by_role("button", name="Save payout details").click()
    expect(page.get_by_text("Your payout details are saved.")).to_be_visible()
    expect(page.get_by_test_id("bank-account-masked")).to_have_text("•••• 3000")
    page.screenshot(path=ARTIFACTS / "seller-payouts-1-details.png", full_page=True)

    # an operator runs payouts now and marks the payout paid with the bank's reference
    operator_context = browser.new_context(base_url=live_server.url, locale="en-US")
    operator_context.set_default_timeout(10_000)
    ops = operator_context.new_page()
    _sign_in(ops, "ops@example.com", reverse("admin:payments_payout_changelist"))
    ops.get_by_role("link", name="Run payouts now").click()
    expect(ops.get_by_role("cell", name="Green Thumb")).to_be_visible()
    ops.get_by_role("button", name="Run payouts now").click()
    expect(ops.get_by_text("Payout run done: 1 payouts created")).to_be_visible()
    payout = Payout.objects.get()
    ops.locator("tr", has_text="Green Thumb").locator("input[name=_selected_action]").check()
    ops.locator("select[name=action]").select_option("mark_paid")
    ops.get_by_role("button", name="Go").click()
    expect(ops.get_by_text("DE89370400440532013000")).to_be_visible()  # the operator sees where to pay
    ops.get_by_label(f"Reference for payout #{payout.pk}").fill("SEPA-2026-0042")
    ops.get_by_role("button", name="Mark paid").click()
    expect(ops.get_by_text(f"Payout #{payout.pk} marked paid.")).to_be_visible()
    ops.screenshot(path=ARTIFACTS / "seller-payouts-2-admin.png", full_page=True)
    operator_context.close()

    # the seller sees the payout paid, with its reference
    page.goto(reverse("seller:balance"))
    expect(page.get_by_test_id("paid-out-USD")).to_have_text("$27.90")
    expect(page.get_by_test_id("available-USD")).to_have_text("$0.00")
    row = page.locator(f"tr[data-payout='{payout.pk}']")
    expect(row.locator(".payout-status")).to_have_text("Paid out")
    expect(row).to_contain_text("SEPA-2026-0042")
    page.screenshot(path=ARTIFACTS / "seller-payouts-3-paid.png", full_page=True)

    # and downloads the statement
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download statement (CSV)").click()
    download = download_info.value
    assert download.suggested_filename.startswith("statement-")
    rows = list(csv.DictReader(io.StringIO(Path(download.path()).read_text())))
    assert [row["kind"] for row in rows].count("capture") == 3
    [payout_row] = [row for row in rows if row["kind"] == "payout"]
    assert (payout_row["payout"], payout_row["amount_minor"], payout_row["balance_minor"]) == (
        str(payout.pk),
        str(-2 * SALE_SELLER_AMOUNT),
        "0",
    )
