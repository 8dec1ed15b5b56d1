"""The beat schedule, in code. Beat only pokes: every scheduled task is a short scan whose real
state lives in the database, so a lost or doubled poke changes nothing."""

from datetime import timedelta

BEAT_SCHEDULE: dict[str, dict] = {
    "worker-heartbeat": {
        "task": "worker.tasks.record_heartbeat",
        "schedule": timedelta(seconds=30),
        "options": {"expires": 25},
    },
}
