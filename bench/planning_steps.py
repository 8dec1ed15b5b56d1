"""Per-step times of worker.planning.audience_plan, taken from outside the product.

`connection.execute_wrapper` sees every statement the plan runs; each is charged to the step its SQL belongs
to, together with the time since the previous charge (the Python work that prepared it, such as building a
VALUES list). The steps, in order: count the audience per language, create the batch rows, the INSERT ...
SELECT of the deliveries, then the batches' sizes and subscriber ranges (and whatever cleans up after it).
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STEPS = ("count", "batches", "insert", "spans")


def step_of(sql: str, previous: str | None) -> str:
    """The step of audience_plan a statement belongs to, given the step of the statement before it."""
    from worker.models import Batch, Delivery

    if previous in ("insert", "spans"):
        return "spans"
    plain = " ".join(sql.replace('"', "").split())
    if f"INSERT INTO {Delivery._meta.db_table} " in plain:
        return "insert"
    if plain.startswith(f"INSERT INTO {Batch._meta.db_table} "):
        return "batches"
    return previous or "count"


class PlanningSteps:
    """Wall and CPU seconds per step (`steps`), and the statements each step ran (`statements`).

    `cpu()` reads the CPU seconds to charge (the bench: the PostgreSQL backend's, from /proc). `charge(step)`
    charges the time since the last charge to `step` (the bench's own steps around the plan: lock, commit).
    """

    def __init__(self, cpu: Callable[[], float]):
        self._cpu = cpu
        self.steps: dict[str, tuple[float, float]] = {}
        self.statements: dict[str, int] = {}
        self._step: str | None = None
        self._mark = (time.perf_counter(), cpu())

    def charge(self, step: str) -> None:
        now, cpu = time.perf_counter(), self._cpu()
        wall, used = self.steps.get(step, (0.0, 0.0))
        self.steps[step] = (wall + now - self._mark[0], used + cpu - self._mark[1])
        self._mark = (now, cpu)

    @contextmanager
    def of_audience_plan(self, connection) -> Iterator[PlanningSteps]:
        """Charge the statements run inside the block (one audience_plan call) to their steps."""
        self._step = None

        def wrapper(execute, sql, params, many, context):
            try:
                return execute(sql, params, many, context)
            finally:
                self._step = step_of(sql, self._step)
                self.statements[self._step] = self.statements.get(self._step, 0) + 1
                self.charge(self._step)

        with connection.execute_wrapper(wrapper):
            yield self
        if self._step is not None:
            self.charge(self._step)  # the Python work after the last statement, until the plan returned
