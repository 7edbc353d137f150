"""``manage.py analytics_rebuild --from YYYY-MM-DD --to YYYY-MM-DD``: rebuild the analytics rollups of a
span of platform days (both included) and of the months they fall in, with a progress bar. Safe to run
at any time and as often as wanted: each day is replaced whole (``analytics.rollups.services``)."""

from __future__ import annotations

import argparse
import time
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from analytics.rollups.services import rollup_span


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


def _as_day(value: object) -> date:
    """call_command() hands keyword options over as given, without the parser's type conversion."""
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a date (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = (
        "Rebuild the analytics facts (traffic, sales, categories, products, searches, landing pages, "
        "visits) of every platform day from --from to --to, both included, and their months."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        # dest "from"/"to" (argparse's own) so call_command(..., **{"from": ..., "to": ...}) works too.
        parser.add_argument("--from", type=_day, required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", type=_day, required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--no-progress", action="store_true", help="no progress bar (logs, cron)")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _as_day(options["from"]), _as_day(options["to"])
        if end < start:
            raise CommandError(f"--to {end} is before --from {start}")
        began = time.monotonic()
        count = rollup_span(start=start, end=end, progress=not options["no_progress"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Rebuilt the analytics of {count} day(s), {start} to {end}, in {time.monotonic() - began:.1f} s."
            )
        )
