from functools import partial

from django.contrib import admin, messages
from django.utils.html import escape, format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from editorial.admin_scoping import ScopedAdmin
from newsletter.lifecycle import Actor
from worker.control import (
    SendControlError,
    digest_cancel,
    digest_pause,
    digest_resend_uncertain,
    digest_resume,
    digest_schedule_send,
)
from worker.models import Batch, Delivery, Send
from worker.selectors import digest_account, digest_cost, digest_statistics, failed_batches, uncertain_batches

# The report's names for the figures that are not plain provider event types.
_ACCOUNT_LABELS = {
    "total": gettext_lazy("total"), "sent": gettext_lazy("sent"), "failed": pgettext_lazy("send account", "failed"),
    "uncertain": gettext_lazy("uncertain"), "skipped": pgettext_lazy("send account", "skipped"),
    "pending": gettext_lazy("pending"),
}
_STATISTIC_LABELS = {
    "complained": gettext_lazy("events: complained (spam reports)"),
    "unsubscribed": gettext_lazy("events: unsubscribed at the provider"),
    "left_via_links": gettext_lazy("left through its unsubscribe links"),
}


@admin.register(Send)
class SendAdmin(ScopedAdmin, admin.ModelAdmin):
    """Digests seen from the delivery side: progress, the final account, and the editor's levers."""

    list_display = ["subject", "mailing_list", "status", "send_at", "progress", "uncertain_count"]
    list_filter = ["status", "mailing_list"]
    search_fields = ["subject"]
    ordering = ["-send_at", "-id"]
    # Every action needs the "change send" permission: someone who may only view sends sees no lever.
    actions = ["send_now", "pause", "resume", "cancel", "resend_uncertain"]
    fields = ["subject", "mailing_list", "segment", "status", "status_detail", "send_at", "started_at", "finished_at",
              "report"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("Progress"))
    def progress(self, obj: Send) -> str:
        account = digest_account(digest_id=obj.pk)
        return _("%(sent)d/%(total)d sent") % {"sent": account["sent"], "total": account["total"]} if account["total"] else "-"

    @admin.display(description=gettext_lazy("Uncertain"))
    def uncertain_count(self, obj: Send) -> int:
        return digest_account(digest_id=obj.pk)["uncertain"]

    @admin.display(description=gettext_lazy("Report"))
    def report(self, obj: Send) -> str:
        account = digest_account(digest_id=obj.pk)
        cost = digest_cost(digest_id=obj.pk)
        stats = digest_statistics(digest_id=obj.pk)
        rows = format_html_join("", "<tr><th>{}</th><td>{}</td></tr>", [
            *((_ACCOUNT_LABELS[key], account[key]) for key in ("total", "sent", "failed", "uncertain", "skipped", "pending")),
            (_("provider calls"), cost["provider_calls"]),
            *((_STATISTIC_LABELS.get(name) or _("events: %(name)s") % {"name": name}, count) for name, count in stats.items()),
        ])
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
        return format_html(
            "<table>{}</table>{}{}", rows,
            format_html("<p>{}</p><ul>{}</ul>", _("Uncertain (never resent by themselves):"), uncertain) if uncertain else "",
            format_html("<p>{}</p><ul>{}</ul>", _("Failed batches:"), failed) if failed else "",
        )

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
