"""Append-only tables: UPDATE and DELETE refused by the database itself.

PostgreSQL: a row trigger calling a function that raises. SQLite: BEFORE UPDATE/DELETE triggers
that ``RAISE(ABORT)`` unless ``append_only_bypass()`` returns 1. That SQL function exists only
on connections this application opens and returns 1 only inside :func:`bypass`, which only
``manage.py flush`` uses (test teardown empties every table; on PostgreSQL flush truncates,
which row triggers do not see). A connection opened by any other program does not know the
function at all, so its UPDATE or DELETE fails too.

Written so that the table can move to the project's shared append-only helper unchanged:
``install``/``uninstall`` take the table name only.
"""

import contextvars
from contextlib import contextmanager

from django.db.backends.signals import connection_created

_bypass = contextvars.ContextVar("append_only_bypass", default=False)


@contextmanager
def bypass():
    token = _bypass.set(True)
    try:
        yield
    finally:
        _bypass.reset(token)


def _register(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("append_only_bypass", 0, lambda: 1 if _bypass.get() else 0)


def connect():
    connection_created.connect(_register, dispatch_uid="append_only_bypass")


def install(schema_editor, table):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        _register(None, connection)
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f'CREATE TRIGGER "{table}_no_{op.lower()}" BEFORE {op} ON "{table}" '
                f"WHEN append_only_bypass() = 0 "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {op} refused'); END"
            )
    elif connection.vendor == "postgresql":
        schema_editor.execute(
            f'CREATE OR REPLACE FUNCTION "{table}_append_only"() RETURNS trigger AS $$ '
            f"BEGIN RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP "
            f"USING ERRCODE = 'insufficient_privilege'; END $$ LANGUAGE plpgsql",
            None,
        )
        schema_editor.execute(
            f'CREATE TRIGGER "{table}_append_only" BEFORE UPDATE OR DELETE ON "{table}" '
            f'FOR EACH ROW EXECUTE FUNCTION "{table}_append_only"()'
        )
    else:
        raise NotImplementedError(f"append-only triggers for {connection.vendor}")


def uninstall(schema_editor, table):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        for op in ("update", "delete"):
            schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_no_{op}"')
    elif connection.vendor == "postgresql":
        schema_editor.execute(f'DROP TRIGGER IF EXISTS "{table}_append_only" ON "{table}"')
        schema_editor.execute(f'DROP FUNCTION IF EXISTS "{table}_append_only"()')
