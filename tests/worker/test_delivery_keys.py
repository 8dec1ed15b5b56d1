"""Deliveries keep their digest and batch: the database refuses an orphan, whoever writes it
(docs/decisions/0008-delivery-foreign-keys.md)."""

import pytest
from django.db import IntegrityError, connection, transaction

from newsletter.models import Digest
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.models import Batch, Delivery
from worker.planning import audience_plan

pytestmark = [pytest.mark.django_db]


def _planned():
    mailing_list = make_list()
    make_audience(mailing_list, 3)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING)
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=2)
    return digest


def _raw(statement: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # checked now rather than at the test's commit
        cursor.execute(statement, params)


def test_it_refuses_to_delete_a_digest_behind_its_deliveries_back():
    digest = _planned()

    with pytest.raises(IntegrityError):
        _raw(f"DELETE FROM {Digest._meta.db_table} WHERE id = %s", [digest.id])

    assert Delivery.objects.filter(digest=digest).count() == 3


def test_it_refuses_to_delete_a_batch_that_deliveries_still_name():
    digest = _planned()
    batch = Batch.objects.filter(digest=digest).first()

    with pytest.raises(IntegrityError):
        _raw(f"DELETE FROM {Batch._meta.db_table} WHERE id = %s", [batch.id])

    assert Delivery.objects.filter(batch=batch).exists()

