"""Lock-out per account and per address on top of django-axes.

Axes counts failures per (user name, address) and locks that pair at ``AXES_FAILURE_LIMIT``.
Password spraying stays under that limit for every account, so this handler also sums the
failures of every account from one address and locks the address at
``AXES_ADDRESS_FAILURE_LIMIT``; and guessing one account's password from many addresses is
stopped by the sum over all addresses, ``AXES_ACCOUNT_FAILURE_LIMIT``. A successful login
resets only its own pair (axes's ``AXES_RESET_ON_SUCCESS``), so an attacker who knows one
password cannot clear the address.
"""


from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def address_failures(ip_address):
    return _failures(ip_address=ip_address) if ip_address else 0


def account_failures(username):
    return _failures(username=username) if username else 0


def _failures(**lookup):
    attempts = AccessAttempt.objects.filter(**lookup)
    cool_off = get_cool_off()
    if cool_off:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class AccountAndAddressHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        if (address_failures(getattr(request, "axes_ip_address", None)) >= settings.AXES_ADDRESS_FAILURE_LIMIT
                or account_failures(get_client_username(request, credentials)) >= settings.AXES_ACCOUNT_FAILURE_LIMIT):
            return max(failures, get_failure_limit(request, credentials))
        return failures


