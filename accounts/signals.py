"""Signal handlers that feed the security log and start the absolute session clock."""

import time

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_save, pre_save

from .models import SecurityEvent
from .security import current_request, record

Kind = SecurityEvent.Kind
SESSION_STARTED_KEY = "accounts_login_at"


def on_login(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = int(time.time())
    record(Kind.LOGIN, user=user, request=request)


def on_login_failed(sender, credentials, request=None, **kwargs):
    username = (credentials or {}).get("username") or ""
    record(Kind.LOGIN_FAILED, username=str(username), request=request)


def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    record(Kind.LOCKED_OUT, username=str(username or ""), request=request)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        record(Kind.LOGOUT, user=user, request=request)


def on_user_saved(sender, instance, created, **kwargs):
    # AbstractBaseUser.set_password() leaves the raw password in _password until save() has run;
    # a hash upgrade at login clears it first, so only real changes arrive here.
    if created or getattr(instance, "_password", None) is None:
        return
    request = current_request()
    match = getattr(request, "resolver_match", None)
    kind = Kind.PASSWORD_RESET if match and match.url_name == "password_reset_confirm" else Kind.PASSWORD_CHANGED
    record(kind, user=instance, request=request)


FLAGS = {"is_superuser": "quản trị tối cao", "is_staff": "vào trang quản trị", "is_active": "đang hoạt động"}


def on_user_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and not set(FLAGS) & set(update_fields)):
        return
    old = sender.objects.filter(pk=instance.pk).values(*FLAGS).first()
    if old is None:
        return
    changed = {FLAGS[f]: getattr(instance, f) for f in FLAGS if old[f] != getattr(instance, f)}
    if changed:
        record(Kind.ROLE_CHANGED, user=instance, flags=changed)


def on_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    User = get_user_model()
    verb = {"post_add": "added", "post_remove": "removed", "pre_clear": "removed"}[action]
    if not reverse:
        groups = instance.groups.all() if action == "pre_clear" else model.objects.filter(pk__in=pk_set or ())
        names = sorted(g.name for g in groups)
        if names:
            record(Kind.ROLE_CHANGED, user=instance, **{verb: names})
    else:
        users = instance.user_set.all() if action == "pre_clear" else User.objects.filter(pk__in=pk_set or ())
        for user in users:
            record(Kind.ROLE_CHANGED, user=user, **{verb: [instance.name]})


def connect():
    User = get_user_model()
    user_logged_in.connect(on_login, dispatch_uid="security_login")
    user_login_failed.connect(on_login_failed, dispatch_uid="security_login_failed")
    user_logged_out.connect(on_logout, dispatch_uid="security_logout")
    user_locked_out.connect(on_locked_out, dispatch_uid="security_locked_out")
    post_save.connect(on_user_saved, sender=User, dispatch_uid="security_password")
    pre_save.connect(on_user_saving, sender=User, dispatch_uid="security_flags")
    m2m_changed.connect(on_groups_changed, sender=User.groups.through, dispatch_uid="security_groups")
