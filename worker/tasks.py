"""Thin tasks: ids and plain values in, one service call each."""

from celery import shared_task

from worker import services


@shared_task(time_limit=30, soft_time_limit=25)
def record_heartbeat(marker: str = "") -> None:
    services.heartbeat_record(marker=marker)
