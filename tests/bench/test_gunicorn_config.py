"""config/gunicorn.py is what production runs and what the bench measures: valid for gunicorn, used by both."""

from pathlib import Path

import pytest
from gunicorn.config import Config

from bench import web

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config" / "gunicorn.py"


def _load(monkeypatch, **environ) -> dict:
    for name in ("WEB_CONCURRENCY", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS", "GUNICORN_ACCESS_LOG"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    namespace: dict = {}
    exec(compile(CONFIG.read_text(), str(CONFIG), "exec"), namespace)
    return {name: value for name, value in namespace.items() if not name.startswith("_") and not callable(value)
            and name not in {"annotations", "os"}}


def test_it_holds_only_gunicorn_settings_that_gunicorn_accepts(monkeypatch):
    settings = _load(monkeypatch)
    config = Config()
    for name, value in settings.items():
        assert name in config.settings, f"{name} is not a gunicorn setting"
        config.set(name, value)  # gunicorn's own validation
    assert config.worker_class_str == "gthread" and config.threads >= 2
    assert config.workers >= 2 and config.accesslog == "-"


def test_it_takes_the_worker_count_threads_and_class_from_the_environment(monkeypatch):
    settings = _load(monkeypatch, WEB_CONCURRENCY="7", GUNICORN_THREADS="3", GUNICORN_WORKER_CLASS="sync")
    assert (settings["workers"], settings["threads"], settings["worker_class"]) == (7, 3, "sync")


@pytest.mark.parametrize("path", ["Dockerfile", "docker-compose.yml"])
def test_it_is_the_file_production_starts_gunicorn_with(path):
    text = (ROOT / path).read_text()
    assert "gunicorn config.wsgi:application --config config/gunicorn.py" in text.replace('", "', " ").replace('"', "")


def test_it_is_the_file_the_bench_starts_gunicorn_with():
    assert web.GUNICORN_CONFIG == CONFIG
