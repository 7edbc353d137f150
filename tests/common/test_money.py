from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from common.money import Money, format_money


def test_from_decimal_parses_major_units_exactly():
    assert Money.from_decimal("12.34", "USD") == Money(1234, "USD")
    assert Money.from_decimal("1500", "JPY") == Money(1500, "JPY")


def test_from_decimal_refuses_more_precision_than_the_currency_has():
    with pytest.raises(ValueError, match="decimal places"):
        Money.from_decimal("1.234", "USD")


def test_money_refuses_floats_and_bad_currency_codes():
    with pytest.raises(TypeError):
        Money(12.5, "USD")
    with pytest.raises(ValueError, match="ISO"):
        Money(100, "usd")


def test_arithmetic_refuses_mixed_currencies():
    with pytest.raises(ValueError, match="currency mismatch"):
        Money(100, "USD") + Money(100, "EUR")


def test_percent_rounds_half_up_once():
    assert Money(1005, "USD").percent(Decimal("10")) == Money(101, "USD")  # 100.5 -> 101
    assert Money(1004, "USD").percent(Decimal("10")) == Money(100, "USD")  # 100.4 -> 100


def test_allocate_gives_the_remainder_to_the_last_share():
    assert Money(100, "USD").allocate([1, 1, 1]) == [Money(33, "USD"), Money(33, "USD"), Money(34, "USD")]


@given(amount=st.integers(min_value=0, max_value=10**12), weights=st.lists(st.integers(1, 1000), min_size=1))
def test_allocate_never_loses_or_creates_a_minor_unit(amount, weights):
    shares = Money(amount, "USD").allocate(weights)

    assert sum(s.amount for s in shares) == amount
    assert all(s.amount >= 0 for s in shares)


def test_format_money_follows_the_active_language():
    with translation.override("en"):
        assert format_money(123450, "USD") == "$1,234.50"
    with translation.override("zh-hans"):
        assert format_money(123450, "CNY") == "¥1,234.50"
        assert format_money(123450, "USD") == "US$1,234.50"
    assert format_money(1500, "JPY", locale="en") == "¥1,500"
