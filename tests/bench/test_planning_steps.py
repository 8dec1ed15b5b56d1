import pytest
from django.db import connection

from bench.planning_steps import STEPS, PlanningSteps
from newsletter.models import Digest
from tests.worker.factories import make_audience, make_digest, make_list, make_variant
from worker.planning import audience_plan

pytestmark = pytest.mark.django_db


def test_it_charges_each_statement_of_audience_plan_to_its_step():
    mailing_list = make_list()
    make_audience(mailing_list, 5)
    digest = make_digest(mailing_list, status=Digest.Status.PREPARING)
    variants = [make_variant(digest)]
    clock = PlanningSteps(cpu=lambda: 0.0)

    with clock.of_audience_plan(connection):
        plan = audience_plan(digest=digest, variants=variants, batch_size=2)
    clock.charge("commit")

    assert plan.total == 5
    # The bench reports one row per step: a change to the plan's statements that leaves a step empty shows here.
    assert set(clock.statements) == set(STEPS)
    assert (clock.statements["batches"], clock.statements["insert"], clock.statements["spans"]) == (1, 1, 2)
    assert set(clock.steps) == {*STEPS, "commit"}
    assert all(wall >= 0 and cpu == 0 for wall, cpu in clock.steps.values())
