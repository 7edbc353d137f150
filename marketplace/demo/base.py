"""What the demo seeders share: the demo keys, progress reporting, one run's state and result, the
reproducible random streams, the people names, and the clock of the 12 months of history."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

DEMO_DOMAIN = "demo.marketplace"
SKU_PREFIX = "DEMO-"
ORDER_PREFIX = "DEMO-"
# Valid ``mp_vid`` cookie values (alphanumeric, 32 characters) that still say where they came from.
VISITOR_PREFIX = "demo"

BATCH_SIZE = 2000
HISTORY_DAYS = 365
CATALOG_DAYS = 548  # products were published over the past 18 months


def words(text: str) -> tuple[str, ...]:
    return tuple(text.split("|"))


# fmt: off
FIRST_NAMES = words(
    "Olivia|Liam|Emma|Noah|Ava|Elijah|Sophia|James|Isabella|Lucas|Mia|Mason|Amelia|Ethan|Harper|Logan|Evelyn|"
    "Aiden|Abigail|Jackson|Emily|Sebastian|Ella|Mateo|Chloe|Daniel|Grace|Henry|Zoe|Leo|Nora|Owen|Priya|Arjun|"
    "Mei|Hiro|Fatima|Omar|Sofia|Diego"
)
LAST_NAMES = words(
    "Smith|Johnson|Williams|Brown|Jones|Garcia|Miller|Davis|Rodriguez|Martinez|Hernandez|Lopez|Wilson|Anderson|"
    "Thomas|Taylor|Moore|Jackson|Martin|Lee|Perez|Thompson|White|Harris|Clark|Lewis|Walker|Young|Allen|King|"
    "Wright|Scott|Nguyen|Patel|Kim|Chen|Okafor|Cohen|Rossi|Novak"
)
_WEEKDAY_FACTOR = (0.95, 0.92, 0.94, 0.98, 1.05, 1.18, 1.22)  # Monday first
_HOUR_FACTOR = (
    0.30, 0.20, 0.15, 0.10, 0.10, 0.15, 0.30, 0.50, 0.70, 0.85, 0.95, 1.00,
    1.10, 1.05, 1.00, 1.00, 1.05, 1.15, 1.30, 1.45, 1.50, 1.35, 1.00, 0.60,
)
# fmt: on


# --- progress ---------------------------------------------------------------------------------------
class ProgressBar(Protocol):
    def update(self, n: int = 1) -> object: ...


ProgressFactory = Callable[[str, int], AbstractContextManager[ProgressBar]]


class _SilentBar:
    def update(self, n: int = 1) -> None:
        return None


@contextmanager
def no_progress(description: str, total: int) -> Iterator[ProgressBar]:
    yield _SilentBar()


# --- one run ----------------------------------------------------------------------------------------
@dataclass
class DemoSeedResult:
    """How many rows of each kind this run created (zero everywhere on a repeated run)."""

    categories: int = 0
    attribute_definitions: int = 0
    tags: int = 0
    sellers: int = 0
    shoppers: int = 0
    addresses: int = 0
    products: int = 0
    variants: int = 0
    orders: int = 0
    events: int = 0
    reviews: int = 0
    seller_ratings: int = 0
    history_skipped: bool = False


@dataclass
class DemoRun:
    """One seeding run: its seed, the moment it calls "now", how it reports progress, and what it has
    created so far."""

    seed: int
    now: datetime
    progress: ProgressFactory
    result: DemoSeedResult = field(default_factory=DemoSeedResult)


# --- helpers ----------------------------------------------------------------------------------------
def rng_for(seed: int, *parts: object) -> random.Random:
    """One reproducible stream per generated thing, so product 4,001 comes out the same whether it is
    created by the first run or by a later one that tops the catalog up."""
    return random.Random(":".join(str(part) for part in (seed, *parts)))


def chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def accumulate(values: Sequence[float]) -> Iterator[float]:
    total = 0.0
    for value in values:
        total += value
        yield total


# --- the rhythm of the history ----------------------------------------------------------------------
def _day_weight(day: date, days_ago: int) -> float:
    """Relative traffic of one day: steady growth, busier weekends, Black Friday and the holidays."""
    weight = (0.55 + 0.45 * (HISTORY_DAYS - days_ago) / HISTORY_DAYS) * _WEEKDAY_FACTOR[day.weekday()]
    november_first = date(day.year, 11, 1)
    thanksgiving = november_first + timedelta(days=(3 - november_first.weekday()) % 7 + 21)
    if thanksgiving <= day <= thanksgiving + timedelta(days=4):
        weight *= 2.2
    elif (day.month == 11 and day.day >= 15) or (day.month == 12 and day.day <= 22):
        weight *= 1.45
    elif day.month == 1 and day.day <= 20:
        weight *= 0.85
    return weight


class Clock:
    """Draws moments of the past 12 months with the marketplace's daily, weekly and yearly rhythm."""

    def __init__(self, now: datetime) -> None:
        self.now = now
        self.midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
        today = self.midnight.date()
        weights = [_day_weight(today - timedelta(days=ago), ago) for ago in range(HISTORY_DAYS)]
        self._day_cum = list(accumulate(weights))
        self._hour_cum = list(accumulate(_HOUR_FACTOR))

    def moment(self, rng: random.Random) -> datetime:
        while True:
            days_ago = rng.choices(range(HISTORY_DAYS), cum_weights=self._day_cum)[0]
            hour = rng.choices(range(24), cum_weights=self._hour_cum)[0]
            moment = (
                self.midnight - timedelta(days=days_ago) + timedelta(hours=hour, seconds=rng.randrange(3600))
            )
            if moment < self.now:
                return moment
