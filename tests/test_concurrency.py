"""Two reviewers save the same answer at the same moment, through a real server.

Both opened the review page (the same answer version); their saves reach the
server together. One is written; the other is refused with a clear message and
writes nothing, never silently overwriting the first.
"""

import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest
from django.conf import settings

from assessment.models import Assessment
from tests.pages import page_fields, session_for

from .world import answer, build_world, submitted


class Browser:
    """A logged-in user agent with its own cookies, speaking HTTP to the live server."""

    def __init__(self, base, user):
        self.base = base
        self.cookies = {settings.SESSION_COOKIE_NAME: session_for(user)}
        self.opener = urllib.request.build_opener(NoRedirect)

    def open(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        request = urllib.request.Request(self.base + path, data=body,
                                         headers={"Referer": self.base + path, "Cookie": cookie})
        try:
            response = self.opener.open(request, timeout=30)
        except urllib.error.HTTPError as error:
            response = error
        with response:
            for header in response.headers.get_all("Set-Cookie") or []:
                name, value = header.split(";", 1)[0].split("=", 1)
                self.cookies[name.strip()] = value.strip()
            return response.status, response.read().decode()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_second_of_two_concurrent_saves_is_refused(live_server, django_user_model):
    world = build_world(django_user_model)
    form = submitted(world)
    second_reviewer = world.reviewer_b
    from assessment.models import ReviewerAssignment

    ReviewerAssignment.objects.create(period=world.period, reviewer=second_reviewer, unit=form.unit)
    path = f"/phieu/{form.pk}/tham-dinh/"
    browsers = [Browser(live_server.url, world.reviewer_a), Browser(live_server.url, second_reviewer)]
    pages = [b.open(path) for b in browsers]
    assert [status for status, _ in pages] == [200, 200]
    posts = []
    for (_, html), figure, reason in zip(pages, ("900", "700"), ("Theo báo cáo quý IV", "Theo sổ văn thư"),
                                         strict=True):
        data = page_fields(html)
        data.update({"rf__docs_sw": figure, "rr__I.1": reason, "action": "save"})
        posts.append(data)
    assert posts[0]["v__I.1"] == posts[1]["v__I.1"]  # both read the same version

    start = threading.Barrier(2)
    results = [None, None]

    def save(i):
        start.wait()
        results[i] = browsers[i].open(path, posts[i])

    threads = [threading.Thread(target=save, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    statuses = sorted(status for status, _ in results)
    assert statuses == [302, 400], statuses
    winner = 0 if results[0][0] == 302 else 1
    loser_html = results[1 - winner][1]
    assert "Tiêu chí I.1: người khác đã lưu thay đổi trước bạn" in loser_html
    assert "thay đổi của bạn chưa được lưu" in loser_html
    saved = answer(Assessment.objects.get(pk=form.pk), "I.1")
    assert saved.reviewed_values["docs_sw"] == ("900", "700")[winner]
    history = list(saved.history.filter(history_change_reason__startswith="Theo"))
    assert len(history) == 1  # the refused save left no trace but its refusal
