"""Bulk inserts of whole rows for imports: ``COPY ... FROM STDIN`` on PostgreSQL, one ``executemany``
elsewhere (SQLite in the embedded mode and the tests), with primary keys allocated before the insert so
the rows of several tables can point at each other without reading anything back.

Every concrete column is written: values the caller gives (by field ``attname``) and the field's default
for the others, so ``auto_now``/``auto_now_add`` fields take the time the caller gives (history keeps its
own dates). Constraints are the database's: a row that breaks one fails the insert and its transaction.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, Field, JSONField, Model


class BulkTable:
    """One model's table: ``ids(n)`` hands out ``n`` new primary keys, ``insert(rows)`` writes rows."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.fields: dict[str, Field[Any, Any]] = {
            field.attname: field for field in model._meta.concrete_fields
        }
        self._next_id = 0  # SQLite: ids handed out, perhaps not inserted yet

    def _convert(self, field: Field[Any, Any]) -> Callable[[Any], Any] | None:
        if isinstance(field, JSONField):
            return _json_dump
        if isinstance(field, DateTimeField) and connection.vendor != "postgresql":
            return connection.ops.adapt_datetimefield_value
        return None

    def _defaults(self, given: Sequence[str]) -> tuple[list[str], tuple[Any, ...]]:
        """The columns the rows leave out and their values: the field's default, NULL, or an empty string
        for text; the caller gives anything else (``auto_now`` times included)."""
        names, values = [], []
        for name, field in self.fields.items():
            if name in given or field.primary_key:
                continue
            if not (field.has_default() or field.null or field.empty_strings_allowed):
                raise ValueError(f"{self.table}: no value and no default for {name}")
            value = field.get_default()
            convert = self._convert(field)
            names.append(name)
            values.append(convert(value) if convert is not None and value is not None else value)
        return names, tuple(values)

    def ids(self, count: int) -> list[int]:
        if count <= 0:
            return []
        pk = self.model._meta.pk
        assert pk is not None  # noqa: S101 - every concrete model has one
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, pk.column, count],
                )
                return [row[0] for row in cursor.fetchall()]
            # Only names from model metadata are interpolated.
            cursor.execute(f'SELECT MAX("{pk.column}") FROM "{self.table}"')  # noqa: S608
            first = max(self._next_id, (cursor.fetchone()[0] or 0) + 1)
        self._next_id = first + count
        return list(range(first, first + count))

    def insert(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Write ``rows``: dicts of values by field attname, every row with the same keys (without the
        primary key the database numbers the rows)."""
        if not rows:
            return 0
        given = list(rows[0])
        unknown = [name for name in given if name not in self.fields]
        if unknown:
            raise ValueError(f"{self.table}: no field {', '.join(unknown)}")
        left_out, defaults = self._defaults(given)
        converters = [
            (position, convert)
            for position, name in enumerate(given)
            if (convert := self._convert(self.fields[name])) is not None
        ]
        pick = _picker(given)
        values = [_converted(pick(row), converters) + defaults for row in rows]
        columns = ", ".join(f'"{self.fields[name].column}"' for name in [*given, *left_out])
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * (len(given) + len(left_out)))
                cursor.executemany(f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})', values)  # noqa: S608
        return len(values)


def _picker(names: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """The row's values of ``names`` as a tuple, picked in C (``itemgetter``) for speed."""
    if len(names) == 1:
        name = names[0]
        return lambda row: (row[name],)
    return itemgetter(*names)


def _converted(
    values: tuple[Any, ...], converters: list[tuple[int, Callable[[Any], Any]]]
) -> tuple[Any, ...]:
    if not converters:
        return values
    converted = list(values)
    for position, convert in converters:
        if converted[position] is not None:
            converted[position] = convert(converted[position])
    return tuple(converted)


def _json_dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
