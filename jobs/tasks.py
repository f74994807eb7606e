"""The one task on the queue: run a job by its id. Written against the django.tasks API
(the ``django_tasks`` backport until Django 6.0, then only the import changes)."""

from django_tasks import task


@task()
def run_job(job_id):
    from .runner import run

    result = run(job_id)
    return result if isinstance(result, dict) else None
