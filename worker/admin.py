from functools import partial

from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from editorial import charts
from editorial.admin_scoping import ScopedAdmin
from editorial.selectors import ZONE_STATE_LABELS, status_label
from newsletter.audience import zone_label
from newsletter.lifecycle import Actor
from subscribers.bounces import BOUNCE_LABELS
from worker.control import (
    SendControlError,
    digest_cancel,
    digest_pause,
    digest_resend_uncertain,
    digest_resume,
    digest_schedule_send,
)
from worker.models import Batch, Delivery, Send
from worker.results import (
    RESULT_LABELS,
    digest_activity,
    digest_bounce_classes,
    digest_clicks_per_link,
    digest_has_provider_reports,
    digest_results_per_language,
    digest_statistics,
    result_figures,
)
from worker.selectors import (
    digest_account,
    digest_cost,
    failed_batches,
    skipped_no_match,
    uncertain_batches,
    zone_progress,
)


def _table(head: list[str], rows: list[list]) -> str:
    return format_html(
        "<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "<th>{}</th>", ((h,) for h in head)),
        format_html_join("", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((c,) for c in row)),) for row in rows)),
    )


@admin.register(Send)
class SendAdmin(ScopedAdmin, admin.ModelAdmin):
    """Digests seen from the delivery side: a read-only results page, progress, and the editor's levers (the list's
    actions). Nothing internal for editors: the technical figures are a superuser's, folded away."""

    list_display = ["subject", "mailing_list", "status_text", "send_at", "progress", "uncertain_count"]
    list_filter = ["status", "mailing_list"]
    search_fields = ["subject"]
    ordering = ["-send_at", "-id"]
    # Every action needs the "change send" permission: someone who may only view sends sees no lever.
    actions = ["send_now", "pause", "resume", "cancel", "resend_uncertain"]
    readonly_fields = ["subject", "mailing_list", "segment", "status_text", "planned_for", "started", "finished",
                       "results", "per_zone", "per_language", "bounce_classes", "activity", "clicks_per_link", "problems",
                       "status_detail", "technical"]

    def get_fieldsets(self, request, obj=None):
        fieldsets = [
            (None, {"fields": ["subject", "mailing_list", "segment", "status_text", "planned_for", "started", "finished"]}),
            (_("Results"), {"fields": ["results", "per_zone", "per_language", "bounce_classes", "activity", "clicks_per_link"]}),
            (_("Problems"), {"fields": ["problems"]}),
        ]
        if request.user.is_superuser:
            fieldsets.append((_("Technical"), {"classes": ["collapse"], "fields": ["status_detail", "technical"]}))
        return fieldsets

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # A send's page is its results, never a form: the "change" permission stands for the list's levers only.
        return obj is None and super().has_change_permission(request, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "title": _("Results")})

    @admin.display(description=gettext_lazy("Status"), ordering="status")
    def status_text(self, obj: Send) -> str:
        return status_label(obj.status)

    @admin.display(description=gettext_lazy("Planned for"))
    def planned_for(self, obj: Send):
        return obj.send_at

    @admin.display(description=gettext_lazy("Started"))
    def started(self, obj: Send):
        return obj.started_at

    @admin.display(description=gettext_lazy("Finished"))
    def finished(self, obj: Send):
        return obj.finished_at

    @admin.display(description=gettext_lazy("Progress"))
    def progress(self, obj: Send) -> str:
        account = digest_account(digest_id=obj.pk)
        return _("%(sent)d/%(total)d sent") % {"sent": account["sent"], "total": account["total"]} if account["total"] else "-"

    @admin.display(description=gettext_lazy("Uncertain"))
    def uncertain_count(self, obj: Send) -> int:
        return digest_account(digest_id=obj.pk)["uncertain"]

    @admin.display(description=gettext_lazy("Figures"))
    def results(self, obj: Send) -> str:
        account = digest_account(digest_id=obj.pk)
        stats = digest_statistics(digest_id=obj.pk)
        figures = result_figures(account=account, statistics=stats, reports=digest_has_provider_reports(digest_id=obj.pk),
                                 no_match=skipped_no_match(digest_id=obj.pk))
        waiting = format_html('<span class="waiting">{}</span>', _("waiting for provider reports"))
        table = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>",
                                 ((f.label, waiting if f.waiting else f.count) for f in figures))
        note = ("" if "opened" in stats else
                format_html('<p class="help">{}</p>', _("Opens and clicks are not tracked on this list.")))
        return format_html('<table class="send-results">{}</table>{}', table, note)

    @admin.display(description=gettext_lazy("Per time zone"))
    def per_zone(self, obj: Send) -> str:
        zones = zone_progress(digest_id=obj.pk)
        if not zones:
            return _("At one moment for everybody.")
        return _table([_("Time zone"), _("Starts (UTC)"), _("Readers"), _("State")],
                      [[f"{zone_label(z.zone)} ({z.zone})", f"{z.starts_at:%Y-%m-%d %H:%M}", z.readers,
                        ZONE_STATE_LABELS[z.state]] for z in zones])

    @admin.display(description=gettext_lazy("Per language"))
    def per_language(self, obj: Send) -> str:
        rows = digest_results_per_language(digest_id=obj.pk)
        if not rows:
            return "-"
        names = dict(settings.LANGUAGES)
        tracking = rows[0]["opened"] is not None
        keys = ["total", "sent", "delivered", "bounced", "complained", *(["opened", "clicked"] if tracking else [])]
        return _table([_("Language"), *(RESULT_LABELS[key] for key in keys)],
                      [[names.get(row["language"], row["language"]), *(row[key] for key in keys)] for row in rows])

    @admin.display(description=gettext_lazy("Bounces by kind"))
    def bounce_classes(self, obj: Send) -> str:
        counts = digest_bounce_classes(digest_id=obj.pk)
        if not any(counts.values()):
            return _("None reported.")
        return format_html('<table>{}</table>', format_html_join(
            "", "<tr><th>{}</th><td>{}</td></tr>", ((BOUNCE_LABELS[key], n) for key, n in counts.items() if n)))

    @admin.display(description=gettext_lazy("Opens and clicks over time"))
    def activity(self, obj: Send) -> str:
        buckets = digest_activity(digest_id=obj.pk)
        if not buckets:
            return "-"
        return format_html('<div dir="ltr">{}</div>', charts.activity_columns(buckets=buckets, title=str(obj)))

    @admin.display(description=gettext_lazy("Clicks per link"))
    def clicks_per_link(self, obj: Send) -> str:
        links = digest_clicks_per_link(digest_id=obj.pk)
        if not links:
            return "-"
        return _table([_("Link"), _("Readers"), _("Clicks")], [[link["url"], link["readers"], link["clicks"]] for link in links])

    @admin.display(description=gettext_lazy("Batches"))
    def problems(self, obj: Send) -> str:
        batch_line = ("<li>" + escape(_("batch %(id)s (%(size)s recipients): %(error)s"))
                      % {"id": "{}", "size": "{}", "error": "{}"} + "</li>")
        uncertain = format_html_join(
            "", batch_line,
            [(b.id, b.uncertain, b.error[:200]) for b in uncertain_batches(digest_id=obj.pk)],
        )
        failed = format_html_join(
            "", batch_line,
            [(b.id, b.size, b.error[:300]) for b in failed_batches(digest_id=obj.pk)],
        )
        if not uncertain and not failed:
            return _("No problem.")
        return format_html(
            "{}{}",
            format_html("<p>{}</p><ul>{}</ul>", _("Uncertain (never resent by themselves):"), uncertain) if uncertain else "",
            format_html("<p>{}</p><ul>{}</ul>", _("Failed batches:"), failed) if failed else "",
        )

    @admin.display(description=gettext_lazy("Delivery engine"))
    def technical(self, obj: Send) -> str:
        return format_html("<table><tr><th>{}</th><td>{}</td></tr></table>", _("provider calls"),
                           digest_cost(digest_id=obj.pk)["provider_calls"])

    def _each(self, request, queryset, action, done) -> None:
        actor = Actor(user_id=request.user.pk, where="the Sends admin")
        for digest in queryset:
            try:
                action(digest_id=digest.pk, actor=actor)
            except SendControlError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                self.message_user(request, _("%(digest)s: %(done)s.") % {"digest": digest, "done": done}, messages.SUCCESS)

    @admin.action(description=gettext_lazy("Send now (or confirm a send that waits for confirmation)"), permissions=["change"])
    def send_now(self, request, queryset):
        self._each(request, queryset, partial(digest_schedule_send, now=True), _("scheduled to send now"))

    @admin.action(description=gettext_lazy("Pause sending"), permissions=["change"])
    def pause(self, request, queryset):
        self._each(request, queryset, digest_pause, pgettext("send action result", "paused"))

    @admin.action(description=gettext_lazy("Resume sending"), permissions=["change"])
    def resume(self, request, queryset):
        self._each(request, queryset, digest_resume, pgettext("send action result", "resumed"))

    @admin.action(description=gettext_lazy("Cancel sending"), permissions=["change"])
    def cancel(self, request, queryset):
        self._each(request, queryset, digest_cancel, pgettext("send action result", "cancelled"))

    @admin.action(description=gettext_lazy("Resend to uncertain recipients (they may get a second copy)"), permissions=["change"])
    def resend_uncertain(self, request, queryset):
        actor = Actor(user_id=request.user.pk, where="the Sends admin")
        for digest in queryset:
            try:
                count = digest_resend_uncertain(digest_id=digest.pk, actor=actor)
            except SendControlError as exc:
                self.message_user(request, str(exc), messages.WARNING)
            else:
                self.message_user(request, ngettext("%(digest)s: %(count)d uncertain recipient queued again.",
                                                    "%(digest)s: %(count)d uncertain recipients queued again.", count)
                                  % {"digest": digest, "count": count}, messages.SUCCESS)


@admin.register(Batch)
class BatchAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["id", "digest", "language", "status", "size", "attempts", "crashes", "provider_calls", "claimed_at",
                    "error"]
    list_filter = ["status", "language"]
    search_fields = ["digest__subject", "error"]
    list_select_related = ["digest"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Batch._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["id", "digest", "subscriber", "language", "status", "sent_at", "provider_message_id", "error"]
    list_filter = ["status", "language"]
    search_fields = ["subscriber__email", "provider_message_id"]
    list_select_related = ["digest", "subscriber"]
    raw_id_fields = ["digest", "subscriber", "batch"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False
