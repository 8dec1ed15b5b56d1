"""Run the same work in several threads released at once, as concurrent web requests or workers would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def run_together(work: Callable[[], T], *, times: int) -> list[T]:
    """Call `work` in `times` threads that start together; returns their results in the order they finished.

    Each thread has its own database connection (closed at its end), so the calls race in the database
    as separate processes would. An exception in a thread is raised here, not lost in the thread.
    """
    results: list[T] = []
    errors: list[BaseException] = []
    start = threading.Barrier(times)

    def run() -> None:
        try:
            start.wait(timeout=10)
            results.append(work())
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    if errors:
        raise errors[0]
    if len(results) != times:
        raise AssertionError(f"{times - len(results)} of {times} threads did not finish in time")
    return results
