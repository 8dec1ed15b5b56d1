"""The Celery app. JSON only, late acks with prefetch 1, explicit time limits (see config.settings)."""

import os

from celery import Celery
from celery.signals import setup_logging, worker_process_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("publisher")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def _use_django_logging(**kwargs: object) -> None:
    """Celery would add its own handlers beside Django's and print every line twice."""
    from logging.config import dictConfig

    from django.conf import settings

    dictConfig(settings.LOGGING)


@app.on_after_finalize.connect
def _install_beat_schedule(sender: Celery, **kwargs: object) -> None:
    from worker.beat import BEAT_SCHEDULE

    sender.conf.beat_schedule = BEAT_SCHEDULE


@worker_process_init.connect
@worker_ready.connect
def _process_ready(**kwargs: object) -> None:
    """Prefork children at start (worker_process_init) and the main process once the pool is up (worker_ready:
    with the solo or threads pool it runs the tasks itself)."""
    from worker.process import worker_process_ready

    worker_process_ready()
