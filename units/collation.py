"""The ``vi`` collation on both databases, so ``ORDER BY name`` is Vietnamese alphabetical order.

PostgreSQL gets it from ICU (a migration creates ``vi`` from the ``vi`` ICU locale); SQLite has no
ICU, so every SQLite connection registers ``vi`` as a Python comparison built on
:func:`units.naming.sort_key`. tests/test_collation.py checks that both give the same order.
"""

from django.db.backends.signals import connection_created

from .naming import compare

NAME = "vi"


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(NAME, compare)


def connect():
    connection_created.connect(register_sqlite_collation, dispatch_uid="units.collation.vi")
