"""A deadlock victim is re-run transparently outside a transaction, and never inside one."""

import pytest
from django.db import OperationalError, transaction

from common.retry import ATTEMPTS, retry_on_deadlock


class _PgError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


def _victim(sqlstate: str = "40P01") -> OperationalError:
    try:
        raise OperationalError("deadlock detected") from _PgError(sqlstate)
    except OperationalError as exc:
        return exc


def _flaky(failures: int, sqlstate: str = "40P01"):
    calls = {"n": 0}

    @retry_on_deadlock
    def work() -> str:
        calls["n"] += 1
        if calls["n"] <= failures:
            raise _victim(sqlstate)
        return "done"

    return work, calls


def test_a_deadlock_victim_is_retried_until_it_succeeds():
    work, calls = _flaky(failures=2)

    assert work() == "done"
    assert calls["n"] == 3


def test_a_serialization_failure_is_retried_too():
    work, calls = _flaky(failures=1, sqlstate="40001")

    assert work() == "done"
    assert calls["n"] == 2


def test_it_gives_up_after_the_last_attempt():
    work, calls = _flaky(failures=ATTEMPTS)

    with pytest.raises(OperationalError):
        work()
    assert calls["n"] == ATTEMPTS


def test_other_database_errors_are_not_retried():
    work, calls = _flaky(failures=1, sqlstate="23505")

    with pytest.raises(OperationalError):
        work()
    assert calls["n"] == 1


@pytest.mark.django_db(transaction=True)
def test_inside_an_outer_transaction_the_outer_one_owns_the_retry():
    work, calls = _flaky(failures=1)

    with pytest.raises(OperationalError), transaction.atomic():
        work()
    assert calls["n"] == 1
