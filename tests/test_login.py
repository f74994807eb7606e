"""Login with lock-out after repeated failures (django-axes), and sessions that end."""

from django.conf import settings
from django.urls import reverse

from .world import PASSWORD


def test_login_then_lock_out_after_repeated_failures(world, client):
    url = reverse("login")
    response = client.post(url, {"username": "canbo.a", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "canbo.a", "password": "sai"})
        assert response.status_code == 200
        assert "Tên đăng nhập hoặc mật khẩu không đúng" in response.content.decode()
    response = client.post(url, {"username": "canbo.a", "password": "sai"})
    assert response.status_code == 429
    assert "tạm khoá" in response.content.decode()
    # Even the right password is refused while locked out.
    response = client.post(url, {"username": "canbo.a", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_sessions_expire(world):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600 and settings.SESSION_SAVE_EVERY_REQUEST
