"""Desk-only reads for the results pages: the list of digests that went out, with their headline figures.

The figures themselves come from worker.results (the one home of their rules); this module only chooses which
digests a person sees (editorial.access) and in what order."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Q

from editorial.access import visible
from editorial.selectors import FINISHED_STATUSES, SENDING_STATUSES, status_label
from newsletter.models import Digest
from worker.results import Figure, digest_has_provider_reports, digest_statistics, result_figures
from worker.selectors import digest_account, skipped_no_match

# The figures the list shows for each digest (the digest's own page shows them all).
HEADLINE_KEYS = ("total", "sent", "delivered", "bounced", "opened", "clicked")
PER_PAGE = 25


@dataclass
class ResultsRow:
    digest: Digest
    figures: dict[str, Figure]
    waiting: bool  # copies went out and the provider has not reported on any yet
    tracking: bool

    @property
    def status_label(self) -> str:
        return status_label(self.digest.status)

    @property
    def ended(self) -> bool:
        return self.digest.status in FINISHED_STATUSES


def sent_digests(*, user):
    """The digests `user` may see that are going out or went out (a cancelled one only if it had started),
    newest first."""
    return (visible(Digest.objects.all(), user)
            .filter(Q(status__in=SENDING_STATUSES) | Q(status__in=FINISHED_STATUSES, started_at__isnull=False))
            .select_related("mailing_list", "mailing_list__organisation", "segment")
            .order_by("-started_at", "-id"))


def results_overview(*, user, page: int | str | None = 1) -> tuple[Page, list[ResultsRow]]:
    """One page of sent_digests with their headline figures."""
    current = Paginator(sent_digests(user=user), PER_PAGE).get_page(page)
    rows = []
    for digest in current.object_list:
        account = digest_account(digest_id=digest.pk)
        reports = digest_has_provider_reports(digest_id=digest.pk)
        figures = result_figures(account=account, statistics=digest_statistics(digest_id=digest.pk), reports=reports,
                                 no_match=skipped_no_match(digest_id=digest.pk) if account["skipped"] else 0)
        rows.append(ResultsRow(digest=digest, figures={f.key: f for f in figures if f.key in HEADLINE_KEYS},
                               waiting=not reports and account["sent"] > 0,
                               tracking=digest.mailing_list.tracking_enabled))
    return current, rows
