"""What the browser tests share: Debian's chromium started headless, where screenshots go, and a way to touch the
database from a test while Playwright's event loop runs in its thread (Django refuses the database inside it)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

from tests.support.processes import ROOT

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]

T = TypeVar("T")


def in_a_thread(step: Callable[[], T]) -> T:
    """Run a database step in a thread of its own, on its own connection, and hand back its result or error."""
    outcome: dict[str, object] = {}

    def run() -> None:
        try:
            outcome["value"] = step()
        except BaseException as exc:  # noqa: BLE001 - handed back to the caller below
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def desk_sign_in(page, base_url: str, *, username: str = "edith", password: str = "pw-edith", next_path: str = "") -> None:
    """Sign in through the desk's own form (the editor of tests/editorial/conftest.py by default), then land on
    `next_path` (the desk's home when empty)."""
    page.goto(f"{base_url}/desk/login/" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.click("main button[type=submit]")
