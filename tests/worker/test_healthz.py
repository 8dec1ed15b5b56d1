import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_it_reports_database_redis_and_a_worker_up(client, celery_worker_process):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["database"]["ok"] and body["redis"]["ok"] and body["workers"]["ok"]
    assert any(name.startswith("w1@") for name in body["workers"]["workers"])


def test_it_answers_503_and_names_the_missing_part_when_no_worker_runs(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["redis"]["ok"] is True
    assert body["workers"] == {"ok": False, "error": "no worker answered the ping", "workers": []}
