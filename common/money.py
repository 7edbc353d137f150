"""Money as integer minor units plus an ISO 4217 code; the one place that formats and allocates it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_currency, get_currency_precision
from django.utils import translation


def currency_exponent(currency: str) -> int:
    """Digits after the decimal point for a currency (USD 2, JPY 0, BHD 3), from CLDR via Babel."""
    return get_currency_precision(currency.upper())


@dataclass(frozen=True, slots=True)
class Money:
    amount: int  # minor units (cents, fen, ...)
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, int) or isinstance(self.amount, bool):
            raise TypeError("Money.amount must be an int number of minor units")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValueError(f"Money.currency must be a 3-letter upper-case ISO code, got {self.currency!r}")

    def _same(self, other: Money) -> None:
        if not isinstance(other, Money):
            raise TypeError("Money arithmetic needs Money on both sides")
        if other.currency != self.currency:
            raise ValueError(f"currency mismatch: {self.currency} vs {other.currency}")

    def __add__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount + other.amount, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same(other)
        return Money(self.amount - other.amount, self.currency)

    def __mul__(self, quantity: int) -> Money:
        if not isinstance(quantity, int):
            raise TypeError("multiply Money by an int quantity; use .percent() for rates")
        return Money(self.amount * quantity, self.currency)

    def __lt__(self, other: Money) -> bool:
        self._same(other)
        return self.amount < other.amount

    def __le__(self, other: Money) -> bool:
        self._same(other)
        return self.amount <= other.amount

    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(0, currency)

    @classmethod
    def from_decimal(cls, value: Decimal | str, currency: str) -> Money:
        """Parse a major-unit amount ("12.34") exactly; refuses more precision than the currency has."""
        value = Decimal(value)
        minor = value.scaleb(currency_exponent(currency))
        if minor != minor.to_integral_value():
            raise ValueError(f"{value} has more decimal places than {currency} allows")
        return cls(int(minor), currency)

    def to_decimal(self) -> Decimal:
        return Decimal(self.amount).scaleb(-currency_exponent(self.currency))

    def percent(self, rate: Decimal) -> Money:
        """``rate`` percent of this amount, rounded half-up to the minor unit (the one rounding rule)."""
        from decimal import ROUND_HALF_UP

        value = (Decimal(self.amount) * Decimal(rate) / Decimal(100)).quantize(Decimal(1), ROUND_HALF_UP)
        return Money(int(value), self.currency)

    def allocate(self, weights: list[int]) -> list[Money]:
        """Split proportionally to integer weights; the remainder goes to the last share (never lost)."""
        total = sum(weights)
        if total <= 0:
            raise ValueError("allocate needs positive total weight")
        shares = [self.amount * w // total for w in weights]
        shares[-1] += self.amount - sum(shares)
        return [Money(s, self.currency) for s in shares]

    def format(self, locale: str | None = None) -> str:
        return format_money(self.amount, self.currency, locale=locale)

    def __str__(self) -> str:
        return self.format()


def format_money(amount: int, currency: str, *, locale: str | None = None) -> str:
    """Human text for ``amount`` minor units in the active (or given) language: ``$1,234.50``, ``US$1,234.50``."""
    if locale is None:
        locale = translation.to_locale(translation.get_language() or "en")
    babel_locale = {"zh_Hans": "zh_Hans_CN", "zh-hans": "zh_Hans_CN"}.get(locale, locale)
    value = Decimal(amount).scaleb(-currency_exponent(currency))
    return format_currency(value, currency, locale=babel_locale)
