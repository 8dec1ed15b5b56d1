"""`make run`'s last process (Procfile.dev `ready`) waits until /healthz says the web process, database, Redis and
the workers answer, then prints the logins and addresses again below everything the others printed at start,
and keeps running (honcho stops every process when one ends). Its workers, run as root in a dev container, do
not print Celery's superuser warning."""

from __future__ import annotations

import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.config.test_first_start import _procfile
from tests.support.organisations import default_organisation
from tests.support.processes import ManagedProcess, _wait_for_ping, child_env, wait_until


class FakeHealth:
    """A /healthz that says "down" until told everything is up, counting the requests it answered."""

    def __init__(self):
        self.up, self.requests = False, 0
        health = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server's name
                health.requests += 1
                body = json.dumps({"ok": health.up, "database": {"ok": True}, "redis": {"ok": True},
                                   "workers": {"ok": health.up, "count": 3 if health.up else 0}}).encode()
                self.send_response(200 if health.up else 503)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.mark.django_db(transaction=True)
def test_it_prints_the_logins_and_addresses_once_everything_answers_and_keeps_running(tmp_path):
    organisation = default_organisation()
    health = FakeHealth()
    var_dir, log = tmp_path / "var", tmp_path / "ready.log"
    var_dir.mkdir()
    ready = ManagedProcess(["/bin/sh", "-c", _procfile()["ready"]],
                           child_env(WEB_PORT=str(health.port), PORT="1", VAR_DIR=str(var_dir), SITE_URL="http://127.0.0.1:8000"),
                           log)
    ready.start()
    try:
        wait_until(lambda: health.requests >= 2, timeout=60, what="the ready process to ask /healthz")
        before = log.read_text()
        health.up = True
        wait_until(lambda: "Ctrl-C stops everything." in log.read_text() or ready.proc.poll() is not None,
                   timeout=60, what="the logins to be printed")
        still_running = ready.proc.poll() is None
    finally:
        ready.stop()
        health.close()
    output = log.read_text()

    assert "Admin login" not in before  # nothing printed while something is still down
    assert still_running, output
    password = (var_dir / "admin-password.txt").read_text().strip()
    assert "Ready: web, database, Redis and 3 workers answer." in output
    assert f"Admin login: http://127.0.0.1:8000/admin/  user: admin  password: {password}" in output
    assert f"Editor of {organisation.name}: user: {organisation.feedback_sender_id}-editor  password: " in output
    assert "http://127.0.0.1:8000/desk/" in output and "http://127.0.0.1:8000/outbox/" in output
    assert "Subscribe page: http://127.0.0.1:8000/ " in output


@pytest.mark.integration
@pytest.mark.skipif(os.geteuid() != 0, reason="Celery warns about superuser privileges only to root")
def test_it_starts_the_workers_as_root_without_celery_s_superuser_warning(tmp_path):
    log = tmp_path / "worker.log"
    worker = ManagedProcess(["/bin/sh", "-c", _procfile()["feeds"]], child_env(), log).start()
    try:
        _wait_for_ping(worker, "feeds@")
    finally:
        worker.stop()

    assert "superuser privileges" not in log.read_text()
