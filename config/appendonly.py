"""Append-only tables, enforced by the database itself.

``protect(Model)`` declares that rows of ``Model`` are never updated or deleted: a
trigger refuses it, whether the statement comes from the ORM, ``QuerySet.update()``
or hand-written SQL. On PostgreSQL the trigger is a django-pgtrigger ``Protect``
(its migration is written by ``makemigrations``, like any Meta option); on SQLite it
is ``CREATE TRIGGER … RAISE(ABORT, …)``, installed by a migration of the app
(``sqlite_triggers``) and re-installed after every ``migrate``, because
SQLite drops a table's triggers whenever Django rebuilds that table.

``protect(Model, mutable=[...], mutable_while="OLD.… SQL")`` lets the listed columns
change while a condition on the old row holds (a publication's signature, which may
be attached once and replaced only while untrusted); every other column stays frozen.

Use it right after the model class (and for a simple-history model, on
``Model.history.model``)::

    appendonly.protect(Publication, mutable=[...], mutable_while="...")
    appendonly.protect(Period.history.model)

then ``makemigrations`` (PostgreSQL triggers) and add
``appendonly.sqlite_triggers("<app label>")`` to the same migration (SQLite).

``unprotected()`` switches the triggers off for the current thread only. It exists for
``flush`` (test teardown empties every table) and for tests that play a database
administrator; application code never uses it.
"""

import contextlib
import threading

import pgtrigger
from django.db import connections
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate

MESSAGE = "Bảng {table} chỉ được ghi thêm: dữ liệu đã công bố và lịch sử không sửa, không xoá được."
SQLITE_FUNCTION = "appendonly_unprotected"

_specs = {}  # model label -> (model, mutable column names, SQL condition on OLD)
_state = threading.local()


class AppendOnly(pgtrigger.Protect):
    """pgtrigger's Protect with the Vietnamese message the SQLite trigger gives too."""

    def get_func(self, model):
        text = MESSAGE.replace("{table}", "%").replace("'", "''")
        return self.format_sql(f"RAISE EXCEPTION '{text}', TG_TABLE_NAME;")


def _changed(columns, vendor):
    op = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return " OR ".join(f'OLD."{c}" {op} NEW."{c}"' for c in columns)


def _frozen_columns(model, mutable):
    return [f.column for f in model._meta.concrete_fields if f.name not in mutable and f.column not in mutable]


def _update_condition(model, mutable, mutable_while, vendor):
    """SQL that is true when an UPDATE must be refused; None when every UPDATE is."""
    if not mutable:
        return None
    frozen = _changed(_frozen_columns(model, mutable), vendor)
    columns = [model._meta.get_field(name).column for name in mutable]
    return f"(({frozen}) OR (NOT ({mutable_while}) AND ({_changed(columns, vendor)})))"


def protect(model, *, mutable=(), mutable_while="FALSE"):
    """Make ``model``'s table append-only in the database (see the module docstring)."""
    mutable = tuple(mutable)
    condition = _update_condition(model, mutable, mutable_while, "postgresql")
    if condition is None:
        triggers = [AppendOnly(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)]
    else:
        triggers = [AppendOnly(name="append_only", operation=pgtrigger.Delete),
                    AppendOnly(name="append_only_update", operation=pgtrigger.Update,
                               condition=pgtrigger.Condition(condition))]
    existing = [t for t in getattr(model._meta, "triggers", None) or [] if not t.name.startswith("append_only")]
    model._meta.triggers = existing + triggers
    model._meta.original_attrs["triggers"] = model._meta.triggers  # what makemigrations reads
    for trigger in triggers:
        trigger.register(model)
    _specs[model._meta.label_lower] = (model, mutable, mutable_while)
    return model


def is_protected(model):
    return model._meta.label_lower in _specs


# --- SQLite ----------------------------------------------------------------

def _sqlite_statements(model, mutable, mutable_while):
    table = model._meta.db_table
    message = MESSAGE.format(table=table).replace("'", "''")
    guard = f"NOT {SQLITE_FUNCTION}()"
    condition = _update_condition(model, mutable, mutable_while.replace("FALSE", "0"), "sqlite")
    update_when = guard + (f" AND ({condition})" if condition else "")
    body = f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
    return [
        f'DROP TRIGGER IF EXISTS "{table}_append_only_update"',
        f'DROP TRIGGER IF EXISTS "{table}_append_only_delete"',
        f'CREATE TRIGGER "{table}_append_only_update" BEFORE UPDATE ON "{table}" FOR EACH ROW '
        f"WHEN {update_when} {body}",
        f'CREATE TRIGGER "{table}_append_only_delete" BEFORE DELETE ON "{table}" FOR EACH ROW '
        f"WHEN {guard} {body}",
    ]


def install_sqlite_triggers(app_label=None, *, using="default", connection=None):
    """(Re)create the SQLite triggers of the protected models (of ``app_label``, or all);
    nothing on other databases. A model whose table lacks some of its columns (a later
    migration adds them) is left to the reinstall after ``migrate``."""
    connection = connection or connections[using]
    if connection.vendor != "sqlite":
        return
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for model, mutable, mutable_while in _specs.values():
            table = model._meta.db_table
            if table not in tables or (app_label and model._meta.app_label != app_label):
                continue
            columns = {c.name for c in connection.introspection.get_table_description(cursor, table)}
            if not {f.column for f in model._meta.concrete_fields} <= columns:
                continue
            for statement in _sqlite_statements(model, mutable, mutable_while):
                cursor.execute(statement)


def remove_sqlite_triggers(app_label=None, *, connection):
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for model, _mutable, _while in _specs.values():
            if app_label is None or model._meta.app_label == app_label:
                for kind in ("update", "delete"):
                    cursor.execute(f'DROP TRIGGER IF EXISTS "{model._meta.db_table}_append_only_{kind}"')


def sqlite_triggers(app_label):
    """The migration operation that installs the SQLite triggers of ``app_label``'s protected models."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        install_sqlite_triggers(app_label, connection=schema_editor.connection)

    def backwards(apps, schema_editor):
        remove_sqlite_triggers(app_label, connection=schema_editor.connection)

    return migrations.RunPython(forwards, backwards)


def _register_function(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_FUNCTION, 0, lambda: int(getattr(_state, "depth", 0) > 0))


def _reinstall_after_migrate(sender, using="default", **kwargs):
    if sender.label == "assessment":  # once per migrate, after every app's migrations
        install_sqlite_triggers(using=using)


connection_created.connect(_register_function, dispatch_uid="appendonly-sqlite-function")
post_migrate.connect(_reinstall_after_migrate, dispatch_uid="appendonly-reinstall")


@contextlib.contextmanager
def unprotected():
    """Let this thread update and delete protected rows (flush, tests playing a DBA)."""
    _state.depth = getattr(_state, "depth", 0) + 1
    try:
        uris = [trigger.get_uri(model) for model, *_ in _specs.values()
                for trigger in model._meta.triggers if trigger.name.startswith("append_only")]
        postgres = [alias for alias in connections if connections[alias].vendor == "postgresql"]
        with pgtrigger.ignore(*uris, databases=postgres) if postgres else contextlib.nullcontext():
            yield
    finally:
        _state.depth -= 1
