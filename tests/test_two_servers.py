"""Two app servers behind one database and one media store, as behind a load balancer: a unit
saves on one, the reviewer reviews on the other, a worker publishes. Real gunicorn processes on
free ports, real HTTP; the database is the suite's (PostgreSQL in CI's second run)."""

import http.cookiejar
import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from jobs.models import Job
from reports.models import Publication

from .jobs_helpers import DATABASE_BACKEND, ROOT, run_worker_batch, worker_env
from .world import FULL_FORM, PASSWORD, build_world


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Forms(HTMLParser):
    """The page's forms as a browser would submit them: action and every named field's value."""

    def __init__(self):
        super().__init__()
        self.forms, self._select, self._textarea = [], None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}})
        elif not self.forms:
            return
        fields = self.forms[-1]["fields"]
        if tag == "input" and a.get("name") and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            fields[a["name"]] = a.get("value") or ""
        elif tag == "select" and a.get("name"):
            self._select = a["name"]
        elif tag == "option" and self._select and ("selected" in a or self._select not in fields):
            fields[self._select] = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            fields[a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1]["fields"][self._textarea] += data


class Browser:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, url):
        with self.opener.open(url, timeout=60) as response:
            return response.geturl(), response.read().decode(), response.headers

    def post(self, url, data):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        request = urllib.request.Request(url, urllib.parse.urlencode(data).encode(), headers={"Referer": url})
        request.add_header("X-CSRFToken", token)
        with self.opener.open(request, timeout=120) as response:
            return response.geturl(), response.read().decode()

    def upload(self, url, fields, name, content):
        token = next(c.value for c in self.jar if c.name == "csrftoken")
        boundary = "ranh-gioi-tep-tai-len"
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
                 for k, v in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
                     "Content-Type: application/pdf\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        request = urllib.request.Request(url, body, headers={
            "Referer": url, "X-CSRFToken": token, "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with self.opener.open(request, timeout=120) as response:
            return response.geturl(), response.read().decode()

    def form(self, url, containing):
        _, html, _ = self.get(url)
        parser = Forms()
        parser.feed(html)
        return next(f["fields"] for f in parser.forms if containing in f["fields"])

    def login(self, base, username):
        fields = self.form(f"{base}/dang-nhap/", "username")
        return self.post(f"{base}/dang-nhap/", {**fields, "username": username, "password": PASSWORD})


@pytest.fixture
def servers(django_db_serialized_rollback, transactional_db, settings, tmp_path):
    settings.TASKS = DATABASE_BACKEND
    settings.MEDIA_ROOT = tmp_path
    env = worker_env(SECRET_KEY="hai-may-chu-dung-chung-khoa-bi-mat-thu", ALLOWED_HOSTS="127.0.0.1", DEBUG="0",
                     LOG_FORMAT="json", LOG_LEVEL="INFO")
    processes, bases = [], []
    for _ in range(2):
        port = free_port()
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
             "--workers", "1", "--timeout", "120", "--graceful-timeout", "5"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base, process in zip(bases, processes, strict=True):
            deadline = time.monotonic() + 60
            while True:
                try:
                    with urllib.request.urlopen(f"{base}/healthz", timeout=30) as response:
                        assert json.loads(response.read()) == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
                        break
                except OSError:
                    assert process.poll() is None, process.stderr.read()
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.3)
        yield bases
    finally:
        for process in processes:
            process.terminate()  # SIGTERM: gunicorn finishes the requests in flight, then exits
        for process in processes:
            assert process.wait(30) == 0


def test_two_servers_one_database_one_media_store(servers, django_user_model, profile):
    one, two = servers
    world = build_world(django_user_model)
    hasher = PBKDF2PasswordHasher()
    for user in world.users.values():  # the servers use the production hasher, not the tests' fast one
        user.password = hasher.encode(PASSWORD, hasher.salt())
        user.save()
    form_url = f"/phieu/{world.form_a.pk}/"

    unit = Browser()
    unit.login(one, "canbo.a")
    evidence = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
    _, html = unit.upload(f"{one}{form_url}tep/", {"criterion": "I.1"}, "bao-cao-van-ban-den.pdf", evidence)
    assert "Đã tải lên “bao-cao-van-ban-den.pdf”." in html
    fields = unit.form(f"{one}{form_url}", "v__I.1")
    url, html = unit.post(f"{one}{form_url}", {**fields, **FULL_FORM, "action": "submit"})
    assert "Đã nộp phiếu. Phiếu chờ Sở TTTT thẩm định." in html
    # The session lives in the database: the other server knows the unit's user.
    url, html, headers = unit.get(f"{two}{form_url}")
    assert url == f"{two}{form_url}" and "Sở Thông tin và Truyền thông" in html
    assert len(headers["X-Request-ID"]) == 32
    # The file saved through server one is served by server two (one media store).
    from assessment.models import EvidenceFile

    record = EvidenceFile.objects.get(assessment=world.form_a)
    with unit.opener.open(f"{two}/tep/{record.pk}/", timeout=60) as response:
        assert response.read() == evidence

    reviewer = Browser()
    reviewer.login(two, "thamdinh.a")
    fields = reviewer.form(f"{two}{form_url}tham-dinh/", "v__I.1")
    _, html = reviewer.post(f"{two}{form_url}tham-dinh/", {**fields, "action": "accept"})
    assert "Đã hoàn thành thẩm định phiếu." in html

    leader = Browser()
    leader.login(one, "lanhdao")
    leader.get(f"{one}{form_url}")
    _, html = leader.post(f"{one}{form_url}phe-duyet/", {})
    assert "Đã phê duyệt kết quả." in html
    leader.get(f"{two}/")
    url, html = leader.post(f"{two}/ky-danh-gia/{world.period.pk}/cong-bo/",
                            {"profile": profile.pk, "number": "20/QĐ-STTTT", "date": "2026-12-10"})
    job = Job.objects.get(kind="publish")
    assert url.endswith(f"/cong-viec/{job.pk}/") and "Đang chờ" in html
    run_worker_batch()
    _, body, _ = leader.get(f"{one}/cong-viec/{job.pk}/trang-thai.json")
    state = json.loads(body)
    publication = Publication.objects.get()
    assert state["status"] == "succeeded" and state["url"] == f"/cong-bo/{publication.pk}/"
    _, html, _ = leader.get(f"{two}{state['url']}")
    assert "Phụ lục công bố lần 1" in html
    rows = publication.document["blocks"][0]["rows"]
    assert [(r["unit_name"], r["total"]) for r in rows] == [("Sở Thông tin và Truyền thông", "19.00")]
