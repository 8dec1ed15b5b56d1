"""The organisation lists belong to in tests: the identity today's settings defaults describe, unless a test asks
for another."""

from __future__ import annotations

import itertools

from organisations.models import Organisation

_seq = itertools.count(1)

DEFAULTS = {
    "name": "Make Mothers Matter",
    "postal_address": "Make Mothers Matter, 5 rue de l'Université, 75007 Paris, France",
    "feedback_sender_id": "mmm",
}


def default_organisation() -> Organisation:
    """The one organisation most tests need, made on first use in each test's database."""
    organisation, _ = Organisation.objects.get_or_create(feedback_sender_id=DEFAULTS["feedback_sender_id"],
                                                         defaults=DEFAULTS)
    return organisation


def make_organisation(**fields) -> Organisation:
    n = next(_seq)
    values = {"name": f"Organisation {n}", "postal_address": f"{n} Example Street, Example City",
              "feedback_sender_id": f"org{n}"}
    values.update(fields)
    return Organisation.objects.create(**values)


def unsaved_organisation(**fields) -> Organisation:
    """For lists built in memory (never saved), as the worker builds them from one row."""
    return Organisation(**{**DEFAULTS, **fields})
