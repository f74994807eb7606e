"""Django's ``flush``, allowed past the append-only triggers: emptying every table is a
deliberate reset of the whole database (test teardown uses it), not an edit of the log."""

from django.core.management.commands.flush import Command as FlushCommand

from accounts.append_only import bypass


class Command(FlushCommand):
    def handle(self, **options):
        with bypass():
            return super().handle(**options)
