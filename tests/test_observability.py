"""Health check, request ids and JSON logs."""

import json
import logging

from django.urls import reverse

from config.observability import JsonFormatter, RequestIdFilter


def test_healthz_needs_no_login_and_checks_database_and_storage(client, db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client.get("/healthz")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "storage": "ok"}}
    assert list(tmp_path.rglob("*.txt")) == []  # the probe file is removed again


def test_healthz_says_which_part_is_down(client, db, settings, tmp_path):
    blocker = tmp_path / "tep-chan"
    blocker.write_text("không phải thư mục")
    settings.MEDIA_ROOT = blocker  # storage cannot write under a file
    response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "lỗi" and data["checks"]["database"] == "ok" and data["checks"]["storage"].startswith("lỗi")


def test_every_response_and_log_line_carries_the_request_id(client, db, caplog):
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID="ma-yeu-cau-123")
    assert response["X-Request-ID"] == "ma-yeu-cau-123"
    generated = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>")["X-Request-ID"]
    assert generated != "<script>" and len(generated) == 32
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/khong-co-trang-nay/", HTTP_X_REQUEST_ID="ma-404")
    record = next(r for r in caplog.records if r.name == "django.request")
    RequestIdFilter().filter(record)
    line = json.loads(JsonFormatter().format(record))
    assert line["request_id"] == "ma-404" and line["level"] == "WARNING" and line["status"] == 404
    assert line["path"] == "/khong-co-trang-nay/" and "Not Found" in line["message"]
