"""Migration operations for PostgreSQL-only schema (GIN, tsvector and trigram indexes), and for adding a
column to a table that has such indexes.

Elsewhere (SQLite) only the model state changes, so ``makemigrations --check`` stays clean on both."""

from typing import Any, cast

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import ProjectState
from django.db.models import Field


class AddIndexOnPostgreSQL(migrations.AddIndex):
    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class RemoveIndexOnPostgreSQL(migrations.RemoveIndex):
    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class AddFieldInPlace(migrations.AddField):
    """``AddField`` for a NOT NULL column with a constant default that, on SQLite, adds the column with
    ``ALTER TABLE ... ADD COLUMN`` (the database keeps the default) instead of rebuilding the table.

    Django rebuilds an SQLite table for such a column, and the rebuild re-creates every index of the
    model's state, the PostgreSQL-only ones (``NULLS LAST``, GIN) included, which SQLite refuses.
    Elsewhere it is a plain ``AddField``; going back drops the column (SQLite >= 3.35: no rebuild)."""

    def database_forwards(
        self,
        app_label: str,
        schema_editor: BaseDatabaseSchemaEditor,
        from_state: ProjectState,
        to_state: ProjectState,
    ) -> None:
        if schema_editor.connection.vendor != "sqlite":
            super().database_forwards(app_label, schema_editor, from_state, to_state)
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        field = cast("Field[Any, Any]", model._meta.get_field(self.name))
        definition, params = schema_editor.column_sql(model, field, include_default=True)
        schema_editor.execute(
            schema_editor.sql_create_column
            % {
                "table": schema_editor.quote_name(model._meta.db_table),
                "column": schema_editor.quote_name(cast(str, field.column)),
                "definition": definition,
            },
            params,
        )
