"""The notification jobs: one move of one form; the day's deadline reminders."""

from jobs.runner import handler

from . import events


@handler("notify", atomic=False, max_attempts=3, priority=-10)
def notify(job):
    params = job.params
    if params.get("publication"):
        from reports.models import Publication

        created = events.notify_published(Publication.objects.select_related("period").get(pk=params["publication"]))
    else:
        created = events.handle_event(params["event"], params["assessment"], params["marker"])
    sent = events.send_pending(created)
    return {"message": f"Đã tạo {len(created)} thông báo, gửi {sent} thư."}


@handler("reminders", atomic=False, max_attempts=3, priority=-10)
def reminders(job):
    sent = events.send_due_reminders()
    mailed = events.send_pending()
    return {"message": f"Đã nhắc hạn {len(sent)} phiếu, gửi {mailed} thư."}
