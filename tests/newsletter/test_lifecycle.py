"""The digest's life cycle: each step only from its source statuses, one conditional UPDATE, its audit entry
with it, and no other module writing a digest's status."""

import ast
from pathlib import Path

import pytest

from editorial.models import AuditEntry
from newsletter.lifecycle import STEPS, Actor, digest_step, step_allowed, step_refusal
from newsletter.models import Digest
from tests.newsletter.factories import make_digest, make_list

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCT = ("config", "editorial", "newsletter", "operations", "subscribers", "worker")


def _single_target_steps():
    for step in STEPS.values():
        for source, targets in step.moves.items():
            if len(targets) == 1:
                yield step.name, source, targets[0]


@pytest.mark.parametrize(("step", "source", "target"), list(_single_target_steps()))
def test_it_takes_each_step_from_each_of_its_sources(step, source, target):
    digest = make_digest(mailing_list=make_list(), status=source)

    assert digest_step(digest_id=digest.pk, step=step) is True

    digest.refresh_from_db()
    assert digest.status == target


@pytest.mark.parametrize("step", sorted(STEPS))
def test_it_refuses_each_step_from_every_other_status_and_changes_nothing(step):
    for status in sorted(set(Digest.Status.values) - STEPS[step].sources):
        digest = make_digest(mailing_list=make_list(), status=status)
        to = STEPS[step].moves[next(iter(STEPS[step].moves))][0]

        assert digest_step(digest_id=digest.pk, step=step, to=to, actor=Actor(user_id=None)) is False, (step, status)

        digest.refresh_from_db()
        assert digest.status == status
    assert not AuditEntry.objects.exists()


def test_it_reaches_every_status_and_only_a_cancelled_digest_stays_for_good():
    reached = {target for step in STEPS.values() for targets in step.moves.values() for target in targets}
    left = {source for step in STEPS.values() for source in step.moves}

    assert reached == set(Digest.Status.values)
    assert left == set(Digest.Status.values) - {Digest.Status.CANCELLED}


def test_it_stamps_the_start_and_the_finish_and_clears_the_finish_when_a_finished_send_sends_again():
    digest = make_digest(mailing_list=make_list(), status=Digest.Status.SCHEDULED)

    digest_step(digest_id=digest.pk, step="claim")
    digest.refresh_from_db()
    assert digest.started_at is not None and digest.finished_at is None
    digest_step(digest_id=digest.pk, step="planned")
    digest_step(digest_id=digest.pk, step="finish", to=Digest.Status.SENT, detail="3 sent")
    digest.refresh_from_db()
    assert (digest.status, digest.status_detail) == (Digest.Status.SENT, "3 sent") and digest.finished_at is not None
    digest_step(digest_id=digest.pk, step="resend_uncertain")
    digest.refresh_from_db()
    assert (digest.status, digest.finished_at) == (Digest.Status.SENDING, None)


def test_it_keeps_a_paused_send_paused_when_its_uncertain_recipients_are_resent():
    digest = make_digest(mailing_list=make_list(), status=Digest.Status.PAUSED)

    assert digest_step(digest_id=digest.pk, step="resend_uncertain") is True

    digest.refresh_from_db()
    assert digest.status == Digest.Status.PAUSED


def test_it_lets_only_one_of_two_conflicting_steps_happen():
    digest = make_digest(mailing_list=make_list(), status=Digest.Status.SENDING)

    paused = digest_step(digest_id=digest.pk, step="pause")
    finished = digest_step(digest_id=digest.pk, step="finish", to=Digest.Status.SENT)

    assert (paused, finished) == (True, False)
    digest.refresh_from_db()
    assert digest.status == Digest.Status.PAUSED and digest.finished_at is None


def test_it_writes_the_audit_entry_of_a_persons_step_with_the_step_and_none_for_the_systems_steps(django_user_model):
    edith = django_user_model.objects.create_user("edith", "edith@example.org", "pw", is_staff=True)
    digest = make_digest(mailing_list=make_list(), status=Digest.Status.SENDING)

    digest_step(digest_id=digest.pk, step="pause", actor=Actor(user_id=edith.pk, where="the dashboard"))
    digest_step(digest_id=digest.pk, step="pause", actor=Actor(user_id=edith.pk))  # refused: already paused
    digest_step(digest_id=digest.pk, step="resume", actor=Actor(command="send_digest"))
    digest_step(digest_id=digest.pk, step="finish", to=Digest.Status.SENT)

    entries = list(AuditEntry.objects.order_by("id").values_list("actor_name", "action", "description", "extra"))
    assert [entry[:3] for entry in entries] == [
        ("edith", "digest_paused", "From the dashboard."), ("", "digest_resumed", "")]
    assert entries[1][3]["command"] == "manage.py send_digest"


def test_it_tells_the_editor_when_a_step_applies():
    digest = make_digest(mailing_list=make_list(), status=Digest.Status.SENT)

    assert not step_allowed(digest.status, "pause")
    assert step_refusal(digest, "pause") == "This digest is sent; it can be paused only when it is sending."
    assert step_refusal(digest, "unschedule") == (
        "This digest is sent; it can be unscheduled only when it is scheduled or waiting for confirmation.")


def test_it_refuses_a_target_the_step_does_not_have():
    digest = make_digest(mailing_list=make_list(), status=Digest.Status.SENDING)

    with pytest.raises(ValueError, match="needs to="):
        digest_step(digest_id=digest.pk, step="finish")
    with pytest.raises(ValueError, match="cannot go to 'draft'"):
        digest_step(digest_id=digest.pk, step="finish", to=Digest.Status.DRAFT)


def _status_writes(path: Path) -> list[int]:
    """Lines where a Digest queryset's update() sets status, or a digest instance's status is assigned."""
    tree = ast.parse(path.read_text(), filename=str(path))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "update":
            receiver = ast.unparse(node.func.value)
            if "Digest.objects" in receiver and any(keyword.arg == "status" for keyword in node.keywords):
                lines.append(node.lineno)
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Attribute) and target.attr == "status" and "digest" in ast.unparse(target.value):
                    lines.append(node.lineno)
    return lines


def test_it_leaves_every_change_of_a_digests_status_to_the_life_cycle():
    writers = {}
    for package in PRODUCT:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts or path.name == "lifecycle.py":
                continue
            if lines := _status_writes(path):
                writers[str(path.relative_to(ROOT))] = lines

    assert writers == {}, f"these change a digest's status outside newsletter/lifecycle.py: {writers}"
