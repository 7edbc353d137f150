"""Rollup time of one busy platform day: about 14,000 events (3,000 visitors), 1,400 orders with 4,000
lines from 40 sellers, their ledger commission, 50 refunds and 20 cancellations, written in bulk
(``tests/analytics/rollups/volume.py``), then ``rollup_day`` (three runs: the first writes the rows, the
next replace them) and ``rollup_hourly`` timed.

    DJANGO_SETTINGS_MODULE=marketplace.settings python benchmarks/analytics_rollup.py [DAYS_OF_HISTORY]

Runs against the database of ``DATABASE_URL`` (migrated) inside one transaction that is rolled back at
the end, so it leaves nothing behind. ``DAYS_OF_HISTORY`` busy days are written before the measured one
(default 0), to see that a day's rollup does not slow down as the tables grow.
"""

import os
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "marketplace.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402

from analytics.rollups.services import rollup_day, rollup_hourly  # noqa: E402
from tests.analytics.rollups.volume import day_seed  # noqa: E402

DAY = date(2026, 3, 10)


def main() -> None:
    history = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    with transaction.atomic():
        for n in range(history, 0, -1):
            day_seed(DAY - timedelta(days=n), tag=f"h{n}", seed=n)
        started = time.monotonic()
        volume = day_seed(DAY)
        print(
            f"{connection.vendor}: seeded {volume} (+{history} days before) in {time.monotonic() - started:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE") if connection.vendor == "postgresql" else None
        for run in range(1, 4):
            started = time.monotonic()
            rollup_day(day=DAY)
            print(f"rollup_day run {run}: {time.monotonic() - started:.2f} s")
        started = time.monotonic()
        rows = rollup_hourly(day=DAY)
        print(f"rollup_hourly: {time.monotonic() - started:.2f} s ({rows} rows)")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
