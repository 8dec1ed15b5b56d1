import pytest

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_it_reports_database_redis_and_a_worker_up(client, celery_worker_process):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "database": {"ok": True},
        "redis": {"ok": True},
        "workers": {"ok": True, "count": 1},
    }


def test_it_shows_worker_host_names_to_staff_only(client, admin_client, celery_worker_process):
    anonymous = client.get("/healthz").json()
    staff = admin_client.get("/healthz").json()

    assert "w1@" not in str(anonymous)
    assert "vendor" not in anonymous["database"]
    assert any(name.startswith("w1@") for name in staff["workers"]["workers"])
    assert staff["database"]["vendor"] == "postgresql"


def test_it_answers_503_and_names_the_missing_part_when_no_worker_runs(client, admin_client):
    anonymous = client.get("/healthz")
    staff = admin_client.get("/healthz")

    assert anonymous.status_code == staff.status_code == 503
    assert anonymous.json()["workers"] == {"ok": False, "count": 0}
    assert anonymous.json()["database"] == {"ok": True}
    assert staff.json()["workers"] == {"ok": False, "error": "no worker answered the ping", "workers": []}


def test_it_keeps_error_texts_from_anonymous_callers(client, admin_client, settings):
    settings.REDIS_URL = "redis://10.255.255.1:1/0"

    anonymous = client.get("/healthz").json()
    staff = admin_client.get("/healthz").json()

    assert anonymous["redis"] == {"ok": False}
    assert "10.255.255.1" not in str(anonymous)
    assert staff["redis"]["ok"] is False and staff["redis"]["error"]
