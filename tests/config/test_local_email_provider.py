"""A production start (REQUIRE_SECRET_KEY=1) refuses a provider that sends nothing, unless told it is wanted."""

import pytest
from django.core.checks import run_checks


def _errors() -> set[str]:
    return {m.id for m in run_checks() if m.id == "subscribers.E005"}


@pytest.mark.parametrize("provider", ["outbox", "console", "locmem"])
def test_it_refuses_a_provider_that_sends_nothing_in_production(settings, provider):
    settings.DEBUG, settings.REQUIRE_SECRET_KEY, settings.EMAIL_PROVIDER = False, True, provider
    settings.ALLOW_LOCAL_EMAIL_PROVIDER = False

    errors = [m for m in run_checks() if m.id == "subscribers.E005"]

    assert len(errors) == 1 and errors[0].is_serious()
    assert f"EMAIL_PROVIDER={provider} sends no email" in errors[0].msg
    assert "ALLOW_LOCAL_EMAIL_PROVIDER=1" in errors[0].hint


@pytest.mark.parametrize(
    ("provider", "require_secret_key", "allow"),
    [
        ("mailgun", True, False),  # a real provider
        ("smtp", True, False),  # may be a real relay
        ("outbox", True, True),  # a staging copy that says it wants to send nothing
        ("outbox", False, False),  # make run
        ("locmem", False, False),  # make test
    ],
)
def test_it_accepts_real_providers_local_runs_and_an_explicit_allowance(settings, provider, require_secret_key, allow):
    settings.DEBUG, settings.REQUIRE_SECRET_KEY, settings.EMAIL_PROVIDER = False, require_secret_key, provider
    settings.ALLOW_LOCAL_EMAIL_PROVIDER = allow

    assert _errors() == set()


def test_it_refuses_the_outbox_when_a_production_process_starts(tmp_path):
    import subprocess
    import sys

    from tests.support.processes import ROOT

    environment = {
        "PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "config.settings", "VAR_DIR": str(tmp_path),
        "REQUIRE_SECRET_KEY": "1", "SECRET_KEY": "s" * 50, "ADDRESS_HASH_KEY": "a" * 50, "EMAIL_PROVIDER": "outbox",
    }
    refused = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=environment,
                             capture_output=True, text=True, timeout=120)
    allowed = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, capture_output=True, text=True,
                             env={**environment, "ALLOW_LOCAL_EMAIL_PROVIDER": "1"}, timeout=120)

    assert refused.returncode != 0 and "subscribers.E005" in refused.stderr
    assert allowed.returncode == 0, allowed.stderr
