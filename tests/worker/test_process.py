import gc

import pytest
from celery.signals import worker_process_init, worker_ready

import worker.celery_app  # noqa: F401  (connects the signal handlers)


@pytest.fixture
def unfrozen():
    gc.unfreeze()
    yield
    gc.unfreeze()


@pytest.mark.parametrize("signal", [worker_process_init, worker_ready], ids=["prefork child", "main process"])
def test_it_puts_startup_objects_out_of_the_collectors_reach_when_a_worker_process_starts(unfrozen, signal):
    assert gc.get_freeze_count() == 0
    signal.send(sender=None)
    assert gc.get_freeze_count() > 10_000  # Django and the apps are loaded by now
    gc.collect()  # and collection still works for what tasks create afterwards
    cycle = []
    cycle.append(cycle)
    del cycle
    assert gc.collect() >= 1
