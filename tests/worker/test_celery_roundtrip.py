import uuid

import pytest

from operations.models import WorkerHeartbeat
from tests.support.processes import wait_until
from worker.tasks import record_heartbeat

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_it_runs_a_task_through_redis_in_a_real_worker_and_writes_postgresql(celery_worker_process):
    marker = uuid.uuid4().hex

    record_heartbeat.delay(marker)

    row = wait_until(
        lambda: WorkerHeartbeat.objects.filter(marker=marker).first(),
        timeout=30,
        what="the worker to record the heartbeat",
    )
    assert row.hostname
    assert celery_worker_process.proc.poll() is None
