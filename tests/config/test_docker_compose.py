import shutil
import subprocess

import yaml

from tests.support.processes import ROOT


def _compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_it_defines_web_worker_bulk_worker_feed_worker_beat_postgres_and_redis():
    services = _compose()["services"]

    assert set(services) == {"web", "worker", "bulk-worker", "feed-worker", "beat", "postgres", "redis"}


def test_it_builds_web_worker_and_beat_from_one_image_with_one_environment():
    services = _compose()["services"]
    app = [services[name] for name in ("web", "worker", "feed-worker", "beat")]

    assert {s["build"] for s in app} == {"."}
    assert {s["image"] for s in app} == {"publisher:latest"}
    assert all(s["environment"] == app[0]["environment"] for s in app)
    environment = app[0]["environment"]
    assert environment["DATABASE_URL"].startswith("postgres://") and "@postgres:5432/" in environment["DATABASE_URL"]
    assert environment["REDIS_URL"] == "redis://redis:6379/0"
    assert "SECRET_KEY" in environment and "EMAIL_PROVIDER" in environment


def test_it_has_no_default_email_provider_so_nobody_runs_on_the_outbox_by_accident():
    environment = _compose()["services"]["web"]["environment"]

    assert environment["EMAIL_PROVIDER"].startswith("${EMAIL_PROVIDER:?")
    assert environment["ALLOW_LOCAL_EMAIL_PROVIDER"] == "${ALLOW_LOCAL_EMAIL_PROVIDER:-0}"


def test_it_has_no_default_site_url_so_no_email_goes_out_with_http_links():
    environment = _compose()["services"]["web"]["environment"]

    assert environment["SITE_URL"].startswith("${SITE_URL:?")
    assert "https" in environment["SITE_URL"]


def test_it_runs_gunicorn_a_celery_worker_and_celery_beat():
    services = _compose()["services"]

    assert "gunicorn config.wsgi:application" in services["web"]["command"]
    assert services["worker"]["command"].startswith("celery -A worker worker -Q mail ")
    assert services["bulk-worker"]["command"].startswith("celery -A worker worker -Q bulk ")
    assert services["feed-worker"]["command"].startswith("celery -A worker worker -Q feeds ")
    assert services["beat"]["command"].startswith("celery -A worker beat")
    for name in ("web", "worker", "feed-worker", "beat"):
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert services[name]["depends_on"]["redis"]["condition"] == "service_healthy"


def test_it_is_accepted_by_docker_compose_where_the_plugin_is_installed():
    docker = shutil.which("docker")
    has_plugin = docker and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    if not has_plugin:
        # Without the compose plugin the YAML checks above are the whole proof; nothing to run.
        assert yaml.safe_load((ROOT / "docker-compose.yml").read_text())
        return
    result = subprocess.run(
        [docker, "compose", "-f", str(ROOT / "docker-compose.yml"), "config", "--quiet"],
        capture_output=True, text=True,
        env={"SECRET_KEY": "x" * 50, "ADDRESS_HASH_KEY": "y" * 50, "EMAIL_PROVIDER": "mailgun",
             "SITE_URL": "https://news.example.org", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr


def test_it_ships_a_dockerfile_that_serves_with_gunicorn():
    dockerfile = (ROOT / "Dockerfile").read_text()

    assert dockerfile.startswith("#") and "FROM python:3.11" in dockerfile
    assert "gunicorn" in dockerfile
