"""The job page (progress, result, failure message), its JSON for polling, and the
administrators' list of jobs."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import render

from assessment.roles import is_admin
from criteria.numbers import vn

from .models import Job


def job_for(user, pk):
    """A job is seen by whoever asked for it and by administrators; for anyone else it does not exist."""
    job = Job.objects.filter(pk=pk).select_related("created_by").first()
    if job is None or not (is_admin(user) or (job.created_by_id and job.created_by_id == user.pk)):
        raise Http404("Không tìm thấy công việc.")
    return job


def describe(job):
    """What the page says about the job now, in Vietnamese."""
    if job.status == Job.Status.QUEUED:
        text = "Đang chờ đến lượt chạy" + (f" ({job.step.lower()})" if job.attempts else "")
    elif job.status == Job.Status.RUNNING:
        text = job.step or "Đang chạy"
        if job.total:
            text += f": {vn(job.done)} / {vn(job.total)}" + (f" {job.unit_label}" if job.unit_label else "")
    elif job.status == Job.Status.SUCCEEDED:
        text = (job.result or {}).get("message") or "Hoàn thành."
    else:
        text = job.message or "Không thành công."
    return text


def as_json(job):
    result = job.result or {}
    return {"id": job.pk, "status": job.status, "status_label": job.get_status_display(), "percent": job.percent,
            "done": job.done, "total": job.total, "text": describe(job), "finished": job.finished,
            "url": result.get("url") if job.status == Job.Status.SUCCEEDED else None,
            "label": result.get("label") if job.status == Job.Status.SUCCEEDED else None}


@login_required
def detail(request, pk):
    job = job_for(request.user, pk)
    return render(request, "jobs/job.html", {"job": job, "state": as_json(job)})


@login_required
def status(request, pk):
    return JsonResponse(as_json(job_for(request.user, pk)), json_dumps_params={"ensure_ascii": False})


@login_required
def job_list(request):
    if not is_admin(request.user):
        raise Http404("Không tìm thấy trang.")
    chosen = request.GET.get("trang-thai", "")
    jobs = Job.objects.select_related("created_by")
    if chosen in Job.Status.values:
        jobs = jobs.filter(status=chosen)
    return render(request, "jobs/list.html", {"jobs": [(j, describe(j)) for j in jobs[:200]],
                                              "statuses": Job.Status.choices, "chosen": chosen})


def follow(request, job, *, failed_to):
    """Where to go right after asking for a job: its result if it already finished (a job asked
    for twice, or run in the request by the immediate backend), else its progress page."""
    from django.contrib import messages
    from django.shortcuts import redirect

    if job.status == Job.Status.SUCCEEDED:
        result = job.result or {}
        if result.get("message"):
            messages.success(request, result["message"])
        return redirect(result.get("url") or "jobs:detail", *([] if result.get("url") else [job.pk]))
    if job.status == Job.Status.FAILED:
        messages.error(request, job.message)
        return redirect(failed_to)
    return redirect("jobs:detail", job.pk)
