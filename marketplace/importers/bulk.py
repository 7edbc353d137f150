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
from typing import Any

from django.db import connection
from django.db.models import DateTimeField, Field, JSONField, Model


class BulkTable:
    """One model's table: ``ids(n)`` hands out ``n`` new primary keys, ``insert(rows)`` writes rows."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.table = model._meta.db_table
        self.fields: list[Field[Any, Any]] = list(model._meta.concrete_fields)
        self._next_id = 0
        self._converters: dict[int, Callable[[Any], Any]] = {}
        for position, field in enumerate(self.fields):
            if isinstance(field, JSONField):
                self._converters[position] = _json_dump
            elif isinstance(field, DateTimeField) and connection.vendor != "postgresql":
                self._converters[position] = connection.ops.adapt_datetimefield_value

    def _defaults(self) -> dict[str, Any]:
        defaults: dict[str, Any] = {}
        for field in self.fields:
            if field.primary_key:
                continue
            # A default, NULL, or an empty string for text columns; anything else the caller gives.
            if field.has_default() or field.null or field.empty_strings_allowed:
                defaults[field.attname] = field.get_default()
        return defaults

    def ids(self, count: int) -> list[int]:
        if count <= 0:
            return []
        pk = self.model._meta.pk
        assert pk is not None  # noqa: S101 - every concrete model has one
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                # Only names from model metadata are interpolated; the count is a parameter.
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                    [self.table, pk.column, count],
                )
                return [row[0] for row in cursor.fetchall()]
            cursor.execute(f'SELECT MAX("{pk.column}") FROM "{self.table}"')  # noqa: S608
            first = max(self._next_id, (cursor.fetchone()[0] or 0) + 1)
        self._next_id = first + count
        return list(range(first, first + count))

    def insert(self, rows: Sequence[Mapping[str, Any]]) -> int:
        """Write ``rows`` (values by field attname; without the primary key the database numbers them)."""
        if not rows:
            return 0
        fields = [f for f in self.fields if not f.primary_key or f.attname in rows[0]]
        defaults = self._defaults()
        missing = [f.attname for f in fields if f.attname not in rows[0] and f.attname not in defaults]
        if missing:
            raise ValueError(f"{self.table}: no value and no default for {', '.join(missing)}")
        converters = [
            (position, self._converters[self.fields.index(f)])
            for position, f in enumerate(fields)
            if self.fields.index(f) in self._converters
        ]
        values = [_values(defaults | dict(row), fields, converters) for row in rows]
        columns = ", ".join(f'"{f.column}"' for f in fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f'COPY "{self.table}" ({columns}) FROM STDIN') as copy:
                    for row in values:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(fields))
                cursor.executemany(f'INSERT INTO "{self.table}" ({columns}) VALUES ({marks})', values)  # noqa: S608
        return len(values)


def _values(
    row: dict[str, Any], fields: list[Field[Any, Any]], converters: list[tuple[int, Callable[[Any], Any]]]
) -> tuple[Any, ...]:
    values = [row[f.attname] for f in fields]
    for position, convert in converters:
        if values[position] is not None:
            values[position] = convert(values[position])
    return tuple(values)


def _json_dump(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"))
