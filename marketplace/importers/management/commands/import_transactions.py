"""``manage.py import_transactions``: load a real sales file (UCI Online Retail, or Online Retail II) as
marketplace history — shoppers, a seller's catalog, paid and completed orders with their payments,
commission and ledger entries, refunds of the cancellations — then rebuild the analytics of its span
(``marketplace.importers.services``; the mapping rules are in ``marketplace.importers.online_retail``)."""

from __future__ import annotations

import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from common.money import Money
from marketplace.importers.online_retail import FileFormatError
from marketplace.importers.services import ImportReport, online_retail_import

DEFAULT_FILE = Path("/work/shared/data/online-retail/online_retail.csv.gz")
ROLLUP_COMMAND = "analytics_rebuild"


class Command(BaseCommand):
    help = (
        "Import an Online Retail CSV (gzip or plain; Online Retail II columns too) as marketplace history: "
        "one paid, completed order per invoice, refunds for cancellations. Idempotent: a second run adds "
        "nothing. Then rebuilds the analytics of the imported days (unless --no-rollup)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--file", type=Path, default=DEFAULT_FILE, help=f"default {DEFAULT_FILE}")
        parser.add_argument(
            "--limit", type=int, help="read only the first N rows (whole invoices), for trials"
        )
        parser.add_argument("--currency", default="GBP", help="currency of the file's prices (default GBP)")
        parser.add_argument("--batch", type=int, default=2000, help="invoices per transaction (default 2000)")
        parser.add_argument(
            "--no-rollup", action="store_true", help=f"do not run {ROLLUP_COMMAND} afterwards"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs, cron)")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        currency = options["currency"].upper()
        if not path.is_file():
            raise CommandError(f"{path}: no such file")
        if options["limit"] is not None and options["limit"] < 1:
            raise CommandError("--limit must be at least 1")
        if currency != settings.DEFAULT_CURRENCY:
            self.stderr.write(
                self.style.WARNING(
                    f"The file is in {currency} and DEFAULT_CURRENCY is {settings.DEFAULT_CURRENCY}: the orders "
                    f"and reports are right, but the cart sells only {settings.DEFAULT_CURRENCY} listings "
                    f"(set DEFAULT_CURRENCY={currency} to sell the imported products)."
                )
            )
        began = time.monotonic()
        bar = tqdm(total=0, unit="row", desc="import", disable=options["no_progress"] or None)

        def scanned(report: ImportReport) -> None:
            self.stdout.write(
                f"{path.name}: {report.file_format}, {report.rows} rows, {report.invoices} invoices"
            )
            bar.reset(total=report.rows)

        try:
            report = online_retail_import(
                path=path,
                limit=options["limit"],
                currency=currency,
                batch_invoices=options["batch"],
                progress=bar.update,
                on_scanned=scanned,
            )
        except FileFormatError as exc:
            raise CommandError(str(exc)) from exc
        finally:
            bar.close()
        self._summary(report, seconds=time.monotonic() - began)
        self._rollup(report, no_rollup=options["no_rollup"], no_progress=options["no_progress"])

    def _summary(self, report: ImportReport, *, seconds: float) -> None:
        def money(amount: int) -> str:
            return Money(amount, report.currency).format("en")

        lines = [
            f"Imported in {seconds:.1f} s: {report.products_created} products, {report.customers_created} "
            f"shoppers, {report.orders_created} orders ({money(report.gmv_amount)}), "
            f"{report.refunds_created} refunds ({money(report.refund_amount)}).",
            f"Already there: {report.orders_existing} orders, {report.cancellations_existing} cancellations.",
            f"Not orders: {report.stock_corrections} invoices of stock corrections only, "
            f"{report.adjustments} bad-debt adjustments.",
        ]
        for reason, rows in sorted(report.unmatched_rows.items()):
            lines.append(
                f"Cancellation rows not refunded ({reason}): {rows}, {money(report.unmatched_amount[reason])}."
            )
        for line in lines:
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Done." if report.added else "Done: nothing new to import."))

    def _rollup(self, report: ImportReport, *, no_rollup: bool, no_progress: bool) -> None:
        if no_rollup or report.first_day is None or report.last_day is None:
            return
        if not report.added:
            self.stdout.write("Analytics rollups left as they are (nothing was added).")
            return
        if ROLLUP_COMMAND not in get_commands():
            self.stderr.write(
                self.style.WARNING(
                    f"No {ROLLUP_COMMAND} command here: the analytics of {report.first_day} to "
                    f"{report.last_day} were not rebuilt (run it once it exists, or use --no-rollup)."
                )
            )
            return
        # The file's days are London days; the reports' may be another timezone's: a day either side.
        start, end = report.first_day - timedelta(days=1), report.last_day + timedelta(days=1)
        self.stdout.write(f"Rebuilding the analytics of {start} to {end}:")
        rollup_options: dict[str, Any] = {"from": start.isoformat(), "to": end.isoformat()}
        if no_progress:
            rollup_options["no_progress"] = True
        call_command(ROLLUP_COMMAND, **rollup_options, stdout=self.stdout, stderr=self.stderr)
