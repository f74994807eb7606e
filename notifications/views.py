from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import Preference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = Preference
        fields = ["optional_email"]


@login_required
def notification_list(request):
    items = list(request.user.notifications.all()[:100])
    preference, _ = Preference.objects.get_or_create(user=request.user)
    return render(request, "notifications/list.html", {"items": items, "form": PreferenceForm(instance=preference)})


@login_required
@require_POST
def mark_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    messages.success(request, "Đã đánh dấu mọi thông báo là đã đọc.")
    return redirect("notifications:list")


@login_required
def open_notice(request, pk):
    notice = request.user.notifications.filter(pk=pk).first()
    if notice is None:
        return redirect("notifications:list")
    if notice.read_at is None:
        request.user.notifications.filter(pk=pk).update(read_at=timezone.now())
    return redirect(notice.link or "notifications:list")


@login_required
@require_POST
def preferences(request):
    preference, _ = Preference.objects.get_or_create(user=request.user)
    form = PreferenceForm(request.POST, instance=preference)
    if form.is_valid():
        form.save()
        messages.success(request, "Đã lưu: " + ("nhận" if preference.optional_email else "không nhận")
                         + " thư điện tử cho thông báo không bắt buộc.")
    return redirect("notifications:list")
