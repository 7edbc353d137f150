"""Seller-portal pages about the seller's money: balance (with the last 30 days' earnings), payout history
and one payout, the payout account, and the statement download (CSV).

Every page is behind ``SellerRequiredMixin`` (which sets ``request.seller``) and reads through
``payments.selectors_payouts`` scoped to that seller: another seller's payout id is a 404.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from datetime import tzinfo
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views import View

from accounts.permissions import SellerRequiredMixin
from common.exceptions import ApplicationError
from common.money import format_money
from payments import ledger, selectors_payouts, services_payouts
from payments.forms_payouts import PayoutAccountForm, StatementForm
from payments.models import Payout, SellerPayoutAccount
from payments.payouts import MANUAL
from payments.selectors_payouts import EarningsDay, StatementRow

PAGE_SIZE = 25
RECENT_PAYOUTS = 5
CHART_DAYS = 30
CHART_SLOT = 20  # px per day: 30 days make a 600 px wide chart
CHART_HEIGHT = 120
STATEMENT_COLUMNS = (
    "date",
    "currency",
    "account",
    "kind",
    "description",
    "order_number",
    "payout",
    "amount_minor",
    "amount",
    "balance_minor",
    "balance",
)


def earnings_chart(days: list[EarningsDay]) -> dict[str, Any]:
    """Bars for an inline SVG (integer coordinates, tallest day = full height; a day of net refunds is
    drawn as an empty bar and listed with its real amount in the table next to the chart)."""
    peak = max((day.amount for day in days), default=0)
    bars = []
    for index, day in enumerate(days):
        height = CHART_HEIGHT * max(day.amount, 0) // peak if peak > 0 else 0
        if day.amount > 0:
            height = max(height, 1)
        bars.append(
            {
                "x": index * CHART_SLOT + 2,
                "y": CHART_HEIGHT - height,
                "height": height,
                "day": day.day,
                "amount": day.amount,
            }
        )
    return {
        "bars": bars,
        "peak": peak,
        "total": sum(day.amount for day in days),
        "width": CHART_SLOT * len(days),
        "height": CHART_HEIGHT,
        "bar_width": CHART_SLOT - 4,
    }


def _labelled(payouts: Iterable[Payout]) -> list[Payout]:
    payouts = list(payouts)
    for payout in payouts:
        payout.status_label = selectors_payouts.payout_status_label(payout.status)
    return payouts


class SellerBalanceView(SellerRequiredMixin, View):
    template_name = "seller/payments/balance.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        seller_id = request.seller.id
        account = selectors_payouts.seller_payout_account_get(seller_id=seller_id)
        earnings = selectors_payouts.seller_earnings_by_day(
            seller_id=seller_id, today=timezone.localdate(), days=CHART_DAYS
        )
        balances = ledger.seller_balances(seller_id=seller_id)
        minimum = settings.PAYOUT_MINIMUM_AMOUNT
        context = {
            "balances": balances,
            "charts": [
                {
                    "currency": currency,
                    "total_display": format_money(sum(day.amount for day in days), currency),
                    **earnings_chart(days),
                }
                for currency, days in earnings.items()
            ],
            "recent_payouts": _labelled(
                selectors_payouts.seller_payout_list(seller_id=seller_id)[:RECENT_PAYOUTS]
            ),
            "payout_account": account,
            "bank_account_masked": selectors_payouts.bank_account_masked(account.bank_account)
            if account
            else "",
            "statement_form": StatementForm(),
            "hold_days": settings.SELLER_FUNDS_HOLD_DAYS,
            # The minimum is in minor units of whatever currency is paid out: shown in the seller's ones.
            "minimum_amounts": " / ".join(format_money(minimum, b.currency) for b in balances),
        }
        return TemplateResponse(request, self.template_name, context)


class SellerPayoutListView(SellerRequiredMixin, View):
    template_name = "seller/payments/payout_list.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        payouts = selectors_payouts.seller_payout_list(seller_id=request.seller.id)
        page = Paginator(payouts, PAGE_SIZE).get_page(request.GET.get("page"))
        return TemplateResponse(
            request, self.template_name, {"page": page, "payouts": _labelled(page.object_list)}
        )


class SellerPayoutDetailView(SellerRequiredMixin, View):
    template_name = "seller/payments/payout_detail.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        payout = selectors_payouts.seller_payout_get(seller_id=request.seller.id, payout_id=pk)
        if payout is None:
            raise Http404
        return TemplateResponse(request, self.template_name, {"payout": _labelled([payout])[0]})


class SellerPayoutAccountView(SellerRequiredMixin, View):
    """Where payouts go. The marketplace's payout method (``PAYOUT_PROVIDER``) decides which details are
    asked for; a saved bank account is only ever shown masked."""

    template_name = "seller/payments/payout_account.html"

    def _form(self, account: SellerPayoutAccount | None, data: Any = None) -> PayoutAccountForm:
        provider = settings.PAYOUT_PROVIDER
        same_method = account is not None and account.provider == provider
        initial = {}
        if same_method:
            initial = {
                "account_holder": account.account_holder,
                "stripe_account_id": account.stripe_account_id,
            }
        return PayoutAccountForm(
            data,
            initial=initial,
            provider=provider,
            saved_bank_account=account.bank_account if same_method and provider == MANUAL else "",
        )

    def _render(
        self,
        request: HttpRequest,
        form: PayoutAccountForm,
        account: SellerPayoutAccount | None,
        status: int = 200,
    ) -> HttpResponse:
        context = {
            "form": form,
            "payout_account": account,
            "bank_account_masked": selectors_payouts.bank_account_masked(account.bank_account)
            if account
            else "",
        }
        return TemplateResponse(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest) -> HttpResponse:
        account = selectors_payouts.seller_payout_account_get(seller_id=request.seller.id)
        return self._render(request, self._form(account), account)

    def post(self, request: HttpRequest) -> HttpResponse:
        account = selectors_payouts.seller_payout_account_get(seller_id=request.seller.id)
        form = self._form(account, request.POST)
        if form.is_valid():
            try:
                services_payouts.seller_payout_account_update(
                    seller_id=request.seller.id, provider=form.provider, **form.service_data()
                )
            except ApplicationError as exc:
                form.add_service_error(exc)
            else:
                messages.success(request, _("Your payout details are saved."))
                return redirect("seller:payout-account")
        return self._render(request, form, account, status=400)


class _Echo:
    """A file-like object whose write returns the line, for ``csv.writer`` feeding a streaming response."""

    def write(self, value: str) -> str:
        return value


def _statement_lines(rows: Iterator[StatementRow], *, language: str, tz: tzinfo) -> Iterator[str]:
    """Runs while the response streams, after the view returned: the request's language and time zone
    are set again for the labels, the formatted amounts and the dates."""
    writer = csv.writer(_Echo())
    yield writer.writerow(STATEMENT_COLUMNS)
    with translation.override(language), timezone.override(tz):
        for row in rows:
            yield writer.writerow(
                [
                    timezone.localtime(row.created_at).isoformat(timespec="seconds"),
                    row.currency,
                    row.account_label,
                    row.kind,
                    row.kind_label,
                    row.order_number,
                    row.payout_id or "",
                    row.amount,
                    format_money(row.amount, row.currency),
                    row.balance,
                    format_money(row.balance, row.currency),
                ]
            )


class SellerStatementExportView(SellerRequiredMixin, View):
    """``?date_from=YYYY-MM-DD&date_to=YYYY-MM-DD`` (both optional, both included): every movement of
    the seller's money as CSV, streamed. Amounts are exact integer minor units, plus formatted text."""

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        form = StatementForm(request.GET)
        if not form.is_valid():
            messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
            return redirect("seller:balance")
        date_from, date_to = form.cleaned_data["date_from"], form.cleaned_data["date_to"]
        rows = selectors_payouts.seller_statement_rows(
            seller_id=request.seller.id, date_from=date_from, date_to=date_to
        )
        name = f"statement-{date_from or 'start'}-to-{date_to or timezone.localdate()}.csv"
        lines = _statement_lines(
            rows,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            tz=timezone.get_current_timezone(),
        )
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
        response["Cache-Control"] = "private, no-store"
        return response
