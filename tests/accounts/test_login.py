import datetime
import subprocess
import sys

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import LoginEvent, LoginOutcome
from tests import factories

PASSWORD = "test-pass-2026"
LOGIN = "/accounts/login/"

pytestmark = pytest.mark.django_db


def _login(client, username, password, ip="203.0.113.1", url=LOGIN, **extra):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra)


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def user(secretary):
    return secretary


def test_login_is_locked_for_a_username_after_five_failures_from_any_address(client, user):
    for n in range(4):
        assert _login(client, user.username, "wrong", ip=f"203.0.113.{n + 10}").status_code == 200
    assert _login(client, user.username, "wrong", ip="203.0.113.20").status_code == 429

    response = _login(client, user.username, PASSWORD, ip="198.51.100.7")

    assert response.status_code == 429
    assert not _logged_in(client)


def test_four_failures_do_not_lock_the_login(client, user):
    for _ in range(4):
        _login(client, user.username, "wrong")

    response = _login(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert _logged_in(client)


def test_logging_in_with_ones_own_account_does_not_clear_the_count_for_another(client, user):
    attacker = factories.UserFactory()
    for _ in range(4):
        _login(client, user.username, "wrong", ip="203.0.113.9")
    _login(client, attacker.username, PASSWORD, ip="203.0.113.9")
    client.logout()

    _login(client, user.username, "wrong", ip="198.51.100.7")

    assert _login(client, user.username, PASSWORD, ip="198.51.100.8").status_code == 429


def test_an_address_is_locked_after_five_failures_whatever_the_usernames(client, user):
    for n in range(5):
        _login(client, f"guess{n}", "wrong", ip="203.0.113.66")

    refused = _login(client, user.username, PASSWORD, ip="203.0.113.66")
    assert refused.status_code == 429
    assert not _logged_in(client)

    elsewhere = _login(client, user.username, PASSWORD, ip="198.51.100.7")
    assert elsewhere.status_code == 302
    assert _logged_in(client)


def test_the_lockout_ends_after_the_cool_off(client, user):
    for _ in range(5):
        _login(client, user.username, "wrong")
    assert _login(client, user.username, PASSWORD).status_code == 429

    # Fifteen minutes and a second pass.
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    )

    assert _login(client, user.username, PASSWORD).status_code == 302
    assert _logged_in(client)


def test_the_lockout_still_holds_just_before_the_cool_off_ends(client, user):
    for _ in range(5):
        _login(client, user.username, "wrong")
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=30)
    )

    assert _login(client, user.username, PASSWORD).status_code == 429


def test_the_admin_login_shares_the_lockout(client, street_staff):
    for _ in range(5):
        _login(client, street_staff.username, "wrong", url="/admin/login/")

    response = _login(client, street_staff.username, PASSWORD, url="/admin/login/")

    assert response.status_code == 429
    assert not _logged_in(client)
    assert _login(client, street_staff.username, PASSWORD).status_code == 429


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_lockout_page_says_when_to_try_again(client, user, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    for _ in range(5):
        response = _login(client, user.username, "wrong")

    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    try_again_at = response.context["try_again_at"]
    expected = timezone.localtime() + datetime.timedelta(minutes=15)
    assert abs((try_again_at - expected).total_seconds()) < 60
    content = response.content.decode()
    assert try_again_at.strftime("%H:%M") in content
    assert f'lang="{language}"' in content


def test_behind_a_proxy_the_address_comes_from_the_proxy_header(client, user, settings):
    settings.RATELIMIT_IP_META_KEY = "HTTP_X_REAL_IP"
    for n in range(5):
        _login(client, f"guess{n}", "wrong", ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.66")

    locked = _login(client, user.username, PASSWORD, ip="10.0.0.1", HTTP_X_REAL_IP="203.0.113.66")
    assert locked.status_code == 429
    # Same proxy, another client: not locked out.
    other = _login(client, user.username, PASSWORD, ip="10.0.0.1", HTTP_X_REAL_IP="198.51.100.7")
    assert other.status_code == 302
    # Five failures and the refusal during the lockout, all under the client's own address.
    assert LoginEvent.objects.filter(ip_address="203.0.113.66").count() == 6
    assert not LoginEvent.objects.filter(ip_address="10.0.0.1").exists()


def test_a_successful_login_is_audited(client, user):
    _login(client, user.username, PASSWORD, ip="198.51.100.7")

    event = LoginEvent.objects.get()
    assert event.outcome == LoginOutcome.SUCCESS
    assert (event.username, event.user, event.ip_address) == (
        user.username,
        user,
        "198.51.100.7",
    )
    assert abs((timezone.now() - event.at).total_seconds()) < 60


def test_a_failed_login_is_audited_without_the_password(client, user):
    _login(client, user.username, "my-secret-guess-77", ip="198.51.100.7")
    _login(client, "nobody-by-this-name", "another-secret-88", ip="198.51.100.8")

    known, unknown = LoginEvent.objects.order_by("pk")
    assert (known.outcome, known.user, known.username) == (
        LoginOutcome.FAILURE,
        user,
        user.username,
    )
    assert (unknown.outcome, unknown.user, unknown.username) == (
        LoginOutcome.FAILURE,
        None,
        "nobody-by-this-name",
    )
    stored = [str(value) for value in LoginEvent.objects.values_list()]
    assert not any("secret" in value for value in stored)
    assert {f.name for f in LoginEvent._meta.get_fields()} == {
        "id",
        "at",
        "username",
        "user",
        "ip_address",
        "outcome",
    }


@pytest.mark.parametrize("url", [LOGIN, "/admin/login/"])
def test_a_username_longer_than_any_login_is_refused_before_it_is_checked(client, url):
    response = _login(client, "x" * 5000, "wrong", url=url)

    assert response.status_code == 200
    assert response.context["form"].has_error("username", "max_length")
    assert not AccessAttempt.objects.exists()
    assert not LoginEvent.objects.exists()


def test_the_lockout_keeps_no_secret_of_the_refused_form(client, user):
    client.post(
        LOGIN,
        {"username": user.username, "password": "my-secret-guess-77", "otp_token": "845213"},
        REMOTE_ADDR="203.0.113.1",
    )

    attempt = AccessAttempt.objects.get()
    assert "my-secret-guess-77" not in attempt.post_data
    assert "845213" not in attempt.post_data


def test_the_admin_login_is_audited(client, street_staff):
    _login(client, street_staff.username, PASSWORD, url="/admin/login/")

    assert LoginEvent.objects.get().outcome == LoginOutcome.SUCCESS


def test_street_staff_read_their_streets_login_audit_and_cannot_change_it(client, street_staff):
    own = factories.secretary(factories.AreaFactory(street=street_staff.street))
    foreign = factories.secretary(factories.AreaFactory())
    _login(client, own.username, "wrong")
    _login(client, foreign.username, "wrong")
    _login(client, "nobody-by-this-name", "wrong")
    client.force_login(street_staff)

    changelist = client.get(reverse("admin:accounts_loginevent_changelist"))

    assert changelist.status_code == 200
    shown = {event.username for event in changelist.context["cl"].result_list}
    assert shown == {own.username, street_staff.username}  # their own login is audited too
    event = LoginEvent.objects.get(user=own)
    change_url = reverse("admin:accounts_loginevent_change", args=[event.pk])
    delete_url = reverse("admin:accounts_loginevent_delete", args=[event.pk])
    assert client.get(change_url).status_code == 200
    assert client.get(reverse("admin:accounts_loginevent_add")).status_code == 403
    delete = client.post(delete_url, {"post": "yes"})
    assert delete.status_code == 403
    assert LoginEvent.objects.filter(pk=event.pk).exists()


def test_a_superuser_reads_every_login_attempt(client):
    _login(client, "nobody-by-this-name", "wrong")
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin)

    changelist = client.get(reverse("admin:accounts_loginevent_changelist"))

    shown = {e.username for e in changelist.context["cl"].result_list}
    assert shown == {"nobody-by-this-name", admin.username}


def test_a_secretary_has_no_login_audit(client, secretary):
    client.force_login(secretary)

    response = client.get(reverse("admin:accounts_loginevent_changelist"))

    assert response.status_code == 302  # to the admin's login: no admin for secretaries


def test_forget_logins_deletes_attempts_past_the_retention(user):
    old = LoginEvent.objects.create(username=user.username, outcome=LoginOutcome.FAILURE)
    LoginEvent.objects.filter(pk=old.pk).update(
        at=timezone.now() - datetime.timedelta(days=settings.LOGIN_AUDIT_RETENTION_DAYS + 1)
    )
    recent = LoginEvent.objects.create(username=user.username, outcome=LoginOutcome.SUCCESS)

    call_command("forget_logins", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert list(LoginEvent.objects.all()) == [recent]


def test_with_debug_off_the_session_cookie_is_secure_and_http_only(tmp_path):
    environment = {
        "PATH": "/usr/bin:/bin",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "production-key-" + "x7Qp2Lm9" * 8,
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'prod.sqlite3'}",
    }
    script = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE)"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", script],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.stdout.split() == ["True", "True", "True"], result.stderr


def test_the_session_cookie_of_a_login_carries_the_secure_and_httponly_flags(
    client, user, settings
):
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True

    response = _login(client, user.username, PASSWORD, secure=True)

    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["secure"] is True
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("Ab3-x9", "password_too_short"),
        ("short-pw9", "password_too_short"),
        ("password123", "password_too_common"),
        ("4817302956", "password_entirely_numeric"),
        ("zhaozizheng", "password_too_similar"),
    ],
)
def test_weak_passwords_are_refused(password, code):
    person = factories.UserFactory.build(username="zhaozizheng", first_name="Zizheng")

    with pytest.raises(ValidationError) as refused:
        validate_password(password, user=person)

    assert code in {error.code for error in refused.value.error_list}


def test_a_long_uncommon_password_is_accepted():
    person = factories.UserFactory.build(username="zhaozizheng")

    assert validate_password("lpg-cylinders-cleared-2026", user=person) is None
