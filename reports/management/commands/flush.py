"""Django's ``flush``, allowed to empty the append-only tables.

Emptying the whole database (what test teardown does between transactional tests) is
not an edit of what was published: on SQLite the flush deletes row by row, which the
append-only triggers would refuse, so it runs with them switched off for this thread.
"""

from django.core.management.commands import flush

from config.appendonly import unprotected


class Command(flush.Command):
    def handle(self, **options):
        with unprotected():
            return super().handle(**options)
