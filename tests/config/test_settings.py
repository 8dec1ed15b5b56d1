import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from config import env
from tests.support.processes import ROOT

_BASE_ENV = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": "/tmp/publisher-settings-test"}


def _load_settings(**overrides: str) -> subprocess.CompletedProcess:
    environment = dict(_BASE_ENV, **overrides)
    code = "import django; django.setup(); from django.conf import settings; print(settings.EMAIL_BACKEND)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("DEBUG", "maybe"),
        ("REDIS_URL", "http://127.0.0.1:6379"),
        ("SITE_URL", "example.org"),
        ("EMAIL_PROVIDER", "carrier-pigeon"),
        ("EMAIL_PORT", "twenty-five"),
        ("DATABASE_URL", "nonsense://"),
    ],
)
def test_it_refuses_to_start_with_a_bad_value_and_names_the_variable(variable, value):
    result = _load_settings(**{variable: value})

    assert result.returncode != 0
    assert variable in result.stderr
    assert "ImproperlyConfigured" in result.stderr


def test_it_starts_with_safe_local_defaults():
    result = _load_settings()

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "operations.outbox.OutboxEmailBackend"


def test_it_maps_a_provider_name_to_its_anymail_backend_and_settings():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.EMAIL_BACKEND); print(settings.ANYMAIL['MAILGUN_API_URL'])"
    )
    environment = dict(
        _BASE_ENV, EMAIL_PROVIDER="mailgun", MAILGUN_API_URL="http://127.0.0.1:9/v3", MAILGUN_API_KEY="key-test"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60)

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["anymail.backends.mailgun.EmailBackend", "http://127.0.0.1:9/v3"]


def test_it_reads_booleans_numbers_and_lists_strictly(monkeypatch):
    monkeypatch.setenv("X_BOOL", "yes")
    monkeypatch.setenv("X_INT", "7")
    monkeypatch.setenv("X_LIST", " a.org, b.org ,,")
    assert env.env_bool("X_BOOL", False) is True
    assert env.env_int("X_INT", 0, minimum=1) == 7
    assert env.env_list("X_LIST", []) == ["a.org", "b.org"]

    monkeypatch.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be at least 1"):
        env.env_int("X_INT", 5, minimum=1)
