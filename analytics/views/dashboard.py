"""What every analytics page shares: tables that render as HTML and export as CSV from one definition,
KPI cards, the charts' data, and the view that parses the range, answers ``?export=<table>`` with a CSV
file and renders the page otherwise.

A page defines its tables as builders (``key -> builder(limit)``): the page builds each with a small
limit, an export builds only the table asked for with ``EXPORT_LIMIT``. A table's cells are formatted
here once: money with ``common.money.format_money`` (what the ``money`` template tag uses), rates as
"12.5 %", counts with the active language's grouping; CSV cells hold the plain values (money in major
units next to a currency column) and text that a spreadsheet would run as a formula is quoted.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import formats
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics import charts
from analytics.forms import DateRangeForm
from analytics.selectors import (
    Bucket,
    DateRange,
    Kpi,
    KpiKind,
    Preset,
    SeriesPoint,
    rollup_updated_at,
    sales_series,
    series_bucket,
)
from common.money import Money, format_money

PAGE_LIMIT = 20
EXPORT_LIMIT = 5000
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
DASH = "—"

KPI_LABELS = {
    "gmv": gettext_lazy("GMV"),
    "net_revenue": gettext_lazy("Net revenue"),
    "orders": gettext_lazy("Orders"),
    "aov": gettext_lazy("Average order value"),
    "conversion_rate": gettext_lazy("Conversion rate"),
    "new_customers": gettext_lazy("New customers"),
    "refund_rate": gettext_lazy("Refund rate"),
    "commission": gettext_lazy("Commission"),
    "visitors": gettext_lazy("Visitors"),
    "sessions": gettext_lazy("Sessions"),
    "product_views": gettext_lazy("Product views"),
    "repeat_customer_rate": gettext_lazy("Repeat-customer rate"),
}
KPI_HELP = {
    "gmv": gettext_lazy("Paid orders' totals incl. shipping, after discounts, on the day they were placed."),
    "net_revenue": gettext_lazy("GMV minus refunds."),
    "orders": gettext_lazy("Paid orders, on the day they were placed."),
    "aov": gettext_lazy("GMV per paid order."),
    "conversion_rate": gettext_lazy("Sessions with an order placed, per 100 sessions."),
    "new_customers": gettext_lazy("Customers whose first paid order was in the period."),
    "refund_rate": gettext_lazy("Orders refunded in the period per 100 paid orders."),
    "commission": gettext_lazy("The platform's commission, net of reversals."),
    "visitors": gettext_lazy("Visitors by day summed: someone who came on two days counts twice."),
    "sessions": gettext_lazy("Visits: a visitor's page views with no gap over 30 minutes."),
    "product_views": gettext_lazy("Views of product pages."),
    "repeat_customer_rate": gettext_lazy("Paid orders from returning customers, per 100 paid orders."),
}


# --- cells and tables -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Amount:
    """Money in a cell: minor units (None: nothing to show) and a currency."""

    amount: int | None
    currency: str


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    href: str


class Kind:
    TEXT = "text"
    COUNT = "count"
    PERCENT = "percent"
    DECIMAL = "decimal"
    MONEY = "money"
    DATE = "date"


@dataclass(frozen=True, slots=True)
class Column:
    label: str
    kind: str = Kind.TEXT
    help: str = ""

    @property
    def numeric(self) -> bool:
        return self.kind not in (Kind.TEXT, Kind.DATE)


@dataclass(frozen=True, slots=True)
class Cell:
    text: str
    csv: str
    href: str = ""
    numeric: bool = False


@dataclass(frozen=True, slots=True)
class Header:
    label: str
    help: str = ""
    numeric: bool = False
    sort_query: str = ""  # the page's query string sorted by this column ("" when it does not sort)
    sorted: str = ""  # "ascending" / "descending" when the table is sorted by it


@dataclass
class Table:
    """A table of a page: its ``key`` names it in ``?export=``; ``chart`` is the SVG drawn from its rows
    (the table is the chart's numbers); ``export_query`` is filled in by the view."""

    key: str
    title: str
    columns: Sequence[Column]
    rows: list[list[Cell]] = field(default_factory=list)
    empty: str = ""
    note: str = ""
    chart: Any = ""
    # Rows shown behind a "Show the numbers" toggle (a long series under its chart).
    collapsed: bool = False
    export_query: str = ""
    headers: list[Header] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.headers:
            self.headers = [Header(c.label, c.help, c.numeric) for c in self.columns]


def csv_safe(text: str) -> str:
    """Text a spreadsheet shows as text: a leading formula character gets an apostrophe before it."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _number(value: int | Decimal) -> str:
    return formats.number_format(value, force_grouping=True)


def cell(value: object, kind: str) -> Cell:
    """One table cell in the active language (``text``) and for the CSV file (``csv``)."""
    if value is None:
        return Cell(DASH, "")
    if isinstance(value, Link):
        return Cell(value.text or DASH, csv_safe(value.text), value.href)
    if isinstance(value, Amount):
        if value.amount is None:
            return Cell(DASH, "")
        major = Money(value.amount, value.currency).to_decimal()
        return Cell(format_money(value.amount, value.currency), str(major))
    if isinstance(value, dt.date):
        return Cell(formats.date_format(value, "SHORT_DATE_FORMAT"), value.isoformat())
    if kind == Kind.PERCENT and isinstance(value, Decimal):
        return Cell(_("%(value)s %%") % {"value": _number(value)}, str(value))
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return Cell(_number(value), str(value))
    return Cell(str(value) or DASH, csv_safe(str(value)))


def table(
    key: str,
    title: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
    *,
    empty: str = "",
    note: str = "",
) -> Table:
    built = [
        [
            replace(cell(value, column.kind), numeric=column.numeric)
            for value, column in zip(row, columns, strict=True)
        ]
        for row in rows
    ]
    return Table(key, title, columns, built, empty or _("Nothing in this period."), note)


def with_bar_chart(
    built: Table, *, bars: Sequence[charts.Point], description: str, format_value: Callable[[int], str] = str
) -> Table:
    """``built`` with a bar chart of ``bars`` above its rows (the table holds the chart's numbers)."""
    built.chart = charts.bar_chart(
        chart_id=f"chart-{built.key}",
        title=built.title,
        description=description,
        bars=bars,
        format_value=format_value,
    )
    return built


def csv_response(built: Table, *, filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response.write("\ufeff")  # so a spreadsheet reads the file as UTF-8 (Chinese names)
    writer = csv.writer(response)
    writer.writerow([csv_safe(str(column.label)) for column in built.columns])
    for row in built.rows:
        writer.writerow([value.csv for value in row])
    return response


# --- KPI cards and the chart ----------------------------------------------------------------------------


def kpi_value_text(kind: str, value: int | Decimal | None, currency: str) -> str:
    if value is None:
        return DASH
    if kind == KpiKind.MONEY:
        return format_money(int(value), currency)
    return cell(value, Kind.PERCENT if kind == KpiKind.PERCENT else Kind.COUNT).text


def kpi_cards(kpis: Iterable[Kpi]) -> list[dict[str, Any]]:
    """What a KPI card shows: label (with the currency when money comes in several), value, the previous
    period's value and the change in %."""
    kpis = list(kpis)
    currencies = {kpi.currency for kpi in kpis if kpi.kind == KpiKind.MONEY}
    cards = []
    for kpi in kpis:
        label = str(KPI_LABELS[kpi.key])
        if kpi.currency and len(currencies) > 1:
            label = f"{label} ({kpi.currency})"
        change = kpi.change
        cards.append(
            {
                "key": kpi.key,
                "label": label,
                "help": KPI_HELP[kpi.key],
                "value": kpi_value_text(kpi.kind, kpi.value, kpi.currency),
                "previous": kpi_value_text(kpi.kind, kpi.previous, kpi.currency),
                "change": None if change is None else _number(abs(change)),
                "direction": "none"
                if change is None
                else ("up" if change > 0 else "down" if change < 0 else "flat"),
                "currency": kpi.currency,
            }
        )
    return cards


def _bucket_label(point: SeriesPoint, bucket: str) -> str:
    """A point's x label: "Mar 2026" for a month, "Mar 9" for a day or the week starting then."""
    return formats.date_format(
        point.start, "YEAR_MONTH_FORMAT" if bucket == Bucket.MONTH else "MONTH_DAY_FORMAT"
    )


def sales_chart_table(*, seller_id: int, date_range: DateRange) -> Table:
    """The table of GMV and paid orders per day, week or month in the default currency, with the line
    chart of its GMV."""
    currency = settings.DEFAULT_CURRENCY
    bucket = series_bucket(date_range)
    points = sales_series(seller_id=seller_id, date_range=date_range, currency=currency)
    titles = {
        Bucket.DAY: _("GMV per day (%(currency)s)"),
        Bucket.WEEK: _("GMV per week (%(currency)s)"),
        Bucket.MONTH: _("GMV per month (%(currency)s)"),
    }
    title = titles[bucket] % {"currency": currency}
    total = sum(point.gmv_amount for point in points)
    description = _("From %(start)s to %(end)s: %(total)s in total, %(orders)s paid orders.") % {
        "start": formats.date_format(date_range.start, "SHORT_DATE_FORMAT"),
        "end": formats.date_format(date_range.end, "SHORT_DATE_FORMAT"),
        "total": format_money(total, currency),
        "orders": _number(sum(point.orders_paid for point in points)),
    }
    svg = charts.line_chart(
        chart_id="chart-series",
        title=title,
        description=description,
        points=[charts.Point(_bucket_label(point, bucket), point.gmv_amount) for point in points],
        format_value=lambda amount: format_money(amount, currency),
    )
    columns = [
        Column(_("From"), Kind.DATE),
        Column(_("To"), Kind.DATE),
        Column(_("GMV"), Kind.MONEY),
        Column(_("Paid orders"), Kind.COUNT),
    ]
    rows = [(p.start, p.end, Amount(p.gmv_amount, currency), p.orders_paid) for p in points]
    built = table("series", title, columns, rows)
    built.chart, built.collapsed = svg, len(rows) > 14
    return built


# --- the view -------------------------------------------------------------------------------------------

TableBuilders = dict[str, Callable[[int], Table]]


class DashboardView(View):
    """GET only. Subclasses set ``template_name``, ``export_prefix`` and implement ``tables`` (and
    ``extra_context``); the audience's mixin comes first in their bases."""

    template_name = ""
    export_prefix = "analytics"
    form_class: type[DateRangeForm] = DateRangeForm
    page_limit = PAGE_LIMIT

    def tables(self, form: DateRangeForm) -> TableBuilders:
        raise NotImplementedError

    def extra_context(self, form: DateRangeForm, built: dict[str, Table]) -> dict[str, Any]:
        return {}

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        form = self.form_class(request.GET)
        base = {"form": form, "presets": Preset.CHOICES[:-1], "updated_at": rollup_updated_at()}
        if not form.is_valid():
            return TemplateResponse(request, self.template_name, {**base, "invalid": True}, status=400)
        builders = self.tables(form)
        export = request.GET.get("export")
        if export is not None:
            if export not in builders:
                raise Http404
            date_range = form.date_range
            name = f"{self.export_prefix}-{export}-{date_range.start:%Y%m%d}-{date_range.end:%Y%m%d}.csv"
            return csv_response(builders[export](EXPORT_LIMIT), filename=name)
        built = {key: builder(self.page_limit) for key, builder in builders.items()}
        for key, each in built.items():
            each.export_query = export_query(request, key)
        context = {
            **base,
            "date_range": form.date_range,
            "previous_range": form.date_range.previous(),
            "preset": form.cleaned_data["preset"],
            "built": built,
            **self.extra_context(form, built),
        }
        return TemplateResponse(request, self.template_name, context)


def export_query(request: HttpRequest, key: str) -> str:
    """The query string of this page with ``export=<key>`` (the range and parameters kept)."""
    query = request.GET.copy()
    query["export"] = key
    query.pop("page", None)
    return query.urlencode()
