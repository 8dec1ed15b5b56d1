"""Admin for the audience: lists (with the embeddable form and CSV import/export), subscribers (with
data export and erasure), subscriptions, topics, segments (with a live count), consents, suppressions
and provider events."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from editorial.access import sees_all_of_subscriber, visible, visible_list_slugs
from editorial.admin_scoping import ScopedAdmin, ScopedInline, SharedRowsAdmin
from newsletter.models import validate_time_zone
from organisations.sending import alignment_problem
from subscribers import queued_emails, services
from subscribers.admin_texts import PerLanguageTextsAdmin
from subscribers.emails import email_hash, normalise_email
from subscribers.embed import embed_snippet
from subscribers.exports import audience_csv, subscriber_data
from subscribers.imports import ImportFailed, subscribers_import
from subscribers.models import (
    ConsentRecord,
    EmailEvent,
    MailingList,
    QueuedEmail,
    Segment,
    Subscriber,
    SubscribeRequest,
    Subscription,
    Suppression,
    Topic,
)
from subscribers.segment_forms import SegmentFiltersForm, SegmentForm
from subscribers.segments import SegmentFilterError
from subscribers.selectors import audience_count


def _may_read_subscribers(request: HttpRequest) -> bool:
    """Exports reveal addresses: they need the right to read subscriber rows, not just lists or segments."""
    return request.user.has_perm("subscribers.view_subscriber")


def _audit(request: HttpRequest, action: str, target=None, description: str = "", extra: dict | None = None) -> None:
    # The audit trail (editorial app) records who exported, imported or erased what.
    from editorial.services import audit_record

    audit_record(actor_id=request.user.pk, action=action, target=target, description=description, extra=extra)


def _csv_response(lines, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class ImportForm(forms.Form):
    mailing_list = forms.ModelChoiceField(MailingList.objects.all(), label=gettext_lazy("List"))
    file = forms.FileField(label=gettext_lazy("File"), help_text=gettext_lazy(
        "UTF-8 CSV with an 'email' column; optional name, language, country, topics (a;b) and any custom attribute columns."))
    consent_source = forms.CharField(max_length=2000, required=False, label=gettext_lazy("Consent source"),
                                     help_text=gettext_lazy("Where and how these people agreed to receive the newsletter."))
    skip_invalid = forms.BooleanField(required=False, label=gettext_lazy("Skip invalid rows"),
                                      help_text=gettext_lazy("Import the valid rows even if some rows are invalid."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mailing_list"].queryset = visible(self.fields["mailing_list"].queryset, user)


@admin.register(MailingList)
class MailingListAdmin(ScopedAdmin, PerLanguageTextsAdmin):
    list_display = ("name", "organisation", "slug", "is_public", "tracking_enabled", "welcome_enabled", "active_subscribers")
    list_filter = ("organisation", "is_public", "tracking_enabled", "default_language")
    list_select_related = ("organisation",)
    search_fields = ("name", "slug", "from_email")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("embed_code",)
    actions = ("export_csv",)
    change_list_template = "admin/subscribers/mailinglist_changelist.html"

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Saved all the same (the organisation may be setting its domain up): the pre-send check refuses the send.
        if reason := alignment_problem(from_email=obj.from_email, organisation=obj.organisation):
            messages.warning(request, reason)

    @admin.display(description=gettext_lazy("active subscribers"))
    def active_subscribers(self, obj: MailingList) -> int:
        return obj.subscriptions.filter(status=Subscription.Status.ACTIVE).count()

    @admin.display(description=gettext_lazy("Embeddable subscribe form"))
    def embed_code(self, obj: MailingList) -> str:
        if not obj.pk:
            return _("Save the list first.")
        return format_html(
            '<textarea readonly rows="14" dir="ltr" style="width:100%;font-family:monospace">{}</textarea>'
            '<p class="help">{}</p>',
            embed_snippet(obj),
            _("Paste this into the organisation's website. Its origin must be listed in SUBSCRIBE_CORS_ORIGINS."),
        )

    def has_export_permission(self, request: HttpRequest) -> bool:
        return _may_read_subscribers(request)

    @admin.action(description=gettext_lazy("Export the audience (active, not suppressed) as CSV"), permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one list to export."), messages.ERROR)
            return None
        mailing_list = queryset.get()
        _audit(request, "subscribers_exported", mailing_list, _("Audience of the list %(list)s exported as CSV.")
               % {"list": mailing_list.name})
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        return _csv_response(audience_csv(list_id=mailing_list.pk), f"{mailing_list.slug}-{stamp}.csv")

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="subscribers_mailinglist_import"),
        ] + super().get_urls()

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_change_permission(request) or not request.user.has_perm("subscribers.add_subscriber"):
            return HttpResponse(_("You may not import subscribers."), status=403)
        report = None
        error = ""
        form = ImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            try:
                report = subscribers_import(
                    data=form.cleaned_data["file"].read(),
                    list_slug=form.cleaned_data["mailing_list"].slug,
                    consent_source=form.cleaned_data["consent_source"],
                    skip_invalid=form.cleaned_data["skip_invalid"],
                )
                self.message_user(request, report.summary(), messages.SUCCESS)
                _audit(request, "subscribers_imported", form.cleaned_data["mailing_list"], report.summary(),
                       {outcome: report.count(outcome) for outcome in ("added", "updated", "skipped", "invalid")})
            except ImportFailed as failure:
                error = str(failure)
                report = failure.report
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import subscribers from CSV"),
            "form": form,
            "report": report,
            "error": error,
        }
        return TemplateResponse(request, "admin/subscribers/import.html", context, status=400 if error else 200)


@admin.register(Topic)
class TopicAdmin(SharedRowsAdmin, ScopedAdmin, PerLanguageTextsAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class SubscriberForm(forms.ModelForm):
    class Meta:
        model = Subscriber
        fields = ("email", "name", "language", "country", "time_zone", "attributes", "topics")

    def clean_email(self) -> str:
        # Normalise before the uniqueness check, so A@x.org is found to be the existing a@x.org.
        return normalise_email(self.cleaned_data["email"])

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()

    def clean_time_zone(self) -> str:
        # Blank is allowed (her list's zone); anything else must be a zone a local-time send can use.
        value = self.cleaned_data["time_zone"].strip()
        if value:
            validate_time_zone(value)
        return value


class SubscriptionStatusFilter(admin.SimpleListFilter):
    """By the status of her subscriptions to the lists the person sees: a status on another organisation's list is
    not hers to filter on (it would say that someone who left ours is still on theirs)."""

    title = gettext_lazy("subscription status")
    parameter_name = "subscription_status"

    def lookups(self, request, model_admin):
        return Subscription.Status.choices

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        mine = visible(Subscription.objects.filter(status=self.value()), request.user)
        return queryset.filter(pk__in=mine.values("subscriber_id"))


class SubscriptionInline(ScopedInline, admin.TabularInline):
    """Read-only: only she starts a subscription (subscribers.transitions); deleting one would forget that she left."""

    model = Subscription
    extra = 0
    fields = ("mailing_list", "status", "created_at", "confirmed_at", "unsubscribed_at", "unsubscribe_source")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class ConsentInline(ScopedInline, admin.TabularInline):
    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = ("mailing_list", "source", "version", "ip_address", "created_at", "text")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Subscriber)
class SubscriberAdmin(ScopedAdmin, admin.ModelAdmin):
    form = SubscriberForm
    list_display = ("email", "name", "language", "country", "created_at")
    list_filter = ("language", "country", SubscriptionStatusFilter, "subscriptions__mailing_list", "topics")
    search_fields = ("email", "name")
    filter_horizontal = ("topics",)
    inlines = (SubscriptionInline, ConsentInline)
    actions = ("export_personal_data", "erase")
    date_hierarchy = "created_at"

    def has_export_permission(self, request: HttpRequest) -> bool:
        return _may_read_subscribers(request)

    # Her address, name and topics, her erasure and a full export of her data are hers across organisations: they
    # are for someone who sees every list she is on (editorial.access.sees_all_of_subscriber, decision 0015). An
    # organisation's administrator ends its own subscriptions of her (Subscriptions admin).
    def has_add_permission(self, request: HttpRequest) -> bool:
        # Someone on no list belongs to no organisation: only a superuser would see her after saving.
        return super().has_add_permission(request) and request.user.is_superuser

    def has_change_permission(self, request: HttpRequest, obj: Subscriber | None = None) -> bool:
        return super().has_change_permission(request, obj) and (obj is None or sees_all_of_subscriber(request.user, obj.pk))

    def has_delete_permission(self, request: HttpRequest, obj: Subscriber | None = None) -> bool:
        return super().has_delete_permission(request, obj) and (obj is None or sees_all_of_subscriber(request.user, obj.pk))

    def _wholly_visible(self, request: HttpRequest, queryset) -> list[Subscriber]:
        chosen = list(queryset)
        mine = [s for s in chosen if sees_all_of_subscriber(request.user, s.pk)]
        if len(mine) < len(chosen):
            self.message_user(
                request,
                gettext("%(count)d subscriber(s) left out: they are also on lists of organisations you do not belong "
                        "to, so only a superuser may export or erase all their data. You can end your lists' "
                        "subscriptions of them in Subscriptions.") % {"count": len(chosen) - len(mine)},
                messages.WARNING,
            )
        return mine

    @admin.action(description=gettext_lazy("Export personal data as JSON (access request)"), permissions=["export"])
    def export_personal_data(self, request: HttpRequest, queryset):
        chosen = self._wholly_visible(request, queryset)
        if not chosen:
            return None
        queryset = queryset.filter(pk__in=[s.pk for s in chosen])
        data = [subscriber_data(subscriber_id=pk) for pk in queryset.values_list("pk", flat=True)]
        for subscriber in queryset:
            _audit(request, "subscriber_data_exported", subscriber, _("Personal data exported (access request)."))
        body = json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2)
        response = HttpResponse(body, content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="subscriber-data.json"'
        return response

    @admin.action(description=gettext_lazy("Erase (delete personal data, keep only a hashed suppression)"),
                  permissions=["delete"])
    def erase(self, request: HttpRequest, queryset):
        erased = 0
        for subscriber in self._wholly_visible(request, queryset):
            # Recorded first, by id only: after the erasure there is no address left to name.
            _audit(request, "subscriber_erased", subscriber, _("Subscriber erased; only a hashed suppression is kept."))
            erased += services.subscriber_erase(subscriber_id=subscriber.pk) is not None
        self.message_user(request, ngettext(
            "Erased %(count)d subscriber. The address can no longer be imported.",
            "Erased %(count)d subscribers. Their addresses can no longer be imported.", erased) % {"count": erased},
            messages.SUCCESS)

    # A plain delete would keep no suppression and leave her address in the history: every delete is an erasure.
    def get_actions(self, request: HttpRequest):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request: HttpRequest, obj: Subscriber) -> None:
        _audit(request, "subscriber_erased", obj, _("Subscriber erased (from her page); only a hashed suppression is kept."))
        services.subscriber_erase(subscriber_id=obj.pk)

    def delete_queryset(self, request: HttpRequest, queryset) -> None:
        for subscriber in list(queryset):
            self.delete_model(request, subscriber)


@admin.register(Subscription)
class SubscriptionAdmin(ScopedAdmin, admin.ModelAdmin):
    """Subscriptions are hers: an administrator can end one (on her request), never start or revive one."""

    list_display = ("subscriber", "mailing_list", "status", "created_at", "confirmed_at", "unsubscribed_at")
    list_filter = ("status", "mailing_list", "unsubscribe_source")
    search_fields = ("subscriber__email", "subscriber__name")
    list_select_related = ("subscriber", "mailing_list")
    readonly_fields = ("subscriber", "mailing_list", "status", "created_at", "confirmed_at", "unsubscribed_at",
                       "unsubscribe_source", "unsubscribed_via_digest_id")
    actions = ("unsubscribe",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Unsubscribe (at the person's request)"), permissions=["change"])
    def unsubscribe(self, request: HttpRequest, queryset) -> None:
        ended = sum(
            services.subscription_unsubscribe(subscriber_id=subscriber_id, list_id=list_id, source="admin")
            for subscriber_id, list_id in queryset.values_list("subscriber_id", "mailing_list_id")
        )
        self.message_user(request, ngettext("Unsubscribed %(count)d subscription.",
                                            "Unsubscribed %(count)d subscriptions.", ended)
                          % {"count": ended}, messages.SUCCESS)


def _lists_any_visible(form: SegmentFiltersForm, user) -> SegmentFiltersForm:
    """'Also on one of these lists' offers only the lists she sees: a count per list of another organisation
    would tell her who is on it."""
    form.fields["lists_any"].queryset = visible(form.fields["lists_any"].queryset, user)
    return form


@admin.register(Segment)
class SegmentAdmin(ScopedAdmin, admin.ModelAdmin):
    form = SegmentForm
    list_display = ("name", "mailing_list", "audience", "created_by", "created_at")
    list_filter = ("mailing_list",)
    search_fields = ("name",)
    readonly_fields = ("live_count",)
    actions = ("export_csv",)
    fieldsets = (
        (None, {"fields": ("mailing_list", "name", "live_count")}),
        ("Who is in it (every condition must hold; leave empty to ignore)", {"fields": SegmentFiltersForm.FILTER_FIELDS}),
    )

    class Media:
        js = ("subscribers/segment_count.js",)

    @admin.display(description=gettext_lazy("audience now"))
    def audience(self, obj: Segment) -> str:
        try:
            return str(audience_count(list_id=obj.mailing_list_id, filters=obj.filters))
        except SegmentFilterError as exc:
            return _("invalid: %(error)s") % {"error": exc}

    @admin.display(description=gettext_lazy("Live count"))
    def live_count(self, obj: Segment | None) -> str:
        return format_html(
            '<span id="segment-live-count" data-url="{}" data-choose="{}" data-would="{}" data-unavailable="{}">{}</span>',
            reverse("admin:subscribers_segment_count"),
            _("Choose a list to see the count."),
            _("%(count)s subscriber(s) would receive it now."),
            _("The count is not available right now."),
            _("%(count)s subscriber(s)") % {"count": self.audience(obj)} if obj and obj.pk
            else _("Choose a list and type filters."),
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        user = request.user

        class ScopedSegmentForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                _lists_any_visible(self, user)

        return ScopedSegmentForm

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path("count/", self.admin_site.admin_view(self.count_view), name="subscribers_segment_count"),
        ] + super().get_urls()

    def count_view(self, request: HttpRequest) -> JsonResponse:
        """Count for unsaved filters: {"count": N} or {"error": "..."} (status 400).

        Takes the segment form's own fields (mailing_list, language, country, ...), or `list` and a
        `filters` JSON object.
        """
        if not self.has_view_permission(request):
            return JsonResponse({"error": _("You may not view segments.")}, status=403)
        try:
            if "filters" in request.GET:
                list_id = int(request.GET.get("list", ""))
                filters = json.loads(request.GET["filters"] or "{}")
                if not isinstance(filters, dict) or not visible_list_slugs(request.user, filters.get("lists_any") or []):
                    raise MailingList.DoesNotExist
            else:
                list_id = int(request.GET.get("mailing_list", ""))
                fields = _lists_any_visible(SegmentFiltersForm(request.GET), request.user)
                if not fields.is_valid():
                    problems = [f"{name}: {' '.join(errors)}" for name, errors in fields.errors.items()]
                    return JsonResponse({"error": " ".join(problems)}, status=400)
                filters = fields.filters_from_fields()
            # Another organisation's list answers like a missing one: its audience is not hers to count.
            if not visible(MailingList.objects.filter(pk=list_id), request.user).exists():
                raise MailingList.DoesNotExist
            return JsonResponse({"count": audience_count(list_id=list_id, filters=filters)})
        except ValueError as exc:  # SegmentFilterError and JSON errors are ValueErrors
            message = str(exc) if isinstance(exc, SegmentFilterError) else _("Filters must be valid JSON and a list chosen.")
            return JsonResponse({"error": message}, status=400)
        except MailingList.DoesNotExist:
            return JsonResponse({"error": _("No such list.")}, status=400)

    def has_export_permission(self, request: HttpRequest) -> bool:
        return _may_read_subscribers(request)

    @admin.action(description=gettext_lazy("Export the segment's audience as CSV"), permissions=["export"])
    def export_csv(self, request: HttpRequest, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Choose exactly one segment to export."), messages.ERROR)
            return None
        segment = queryset.get()
        _audit(request, "subscribers_exported", segment, _("Audience of the segment %(segment)s exported as CSV.")
               % {"segment": segment})
        stamp = timezone.now().strftime("%Y%m%d-%H%M")
        return _csv_response(
            audience_csv(list_id=segment.mailing_list_id, segment_id=segment.pk), f"segment-{segment.pk}-{stamp}.csv"
        )


@admin.register(ConsentRecord)
class ConsentRecordAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ("subscriber", "mailing_list", "source", "version", "ip_address", "created_at")
    list_filter = ("source", "version", "mailing_list")
    search_fields = ("subscriber__email",)
    list_select_related = ("subscriber", "mailing_list")

    def has_change_permission(self, request, obj=None) -> bool:
        return False  # evidence is never edited


class SuppressionAddForm(forms.ModelForm):
    email = forms.EmailField(label=gettext_lazy("Email address"),
                             help_text=gettext_lazy("Only a keyed hash of the address is stored."))

    class Meta:
        model = Suppression
        fields = ("email", "reason", "detail")


@admin.register(Suppression)
class SuppressionAdmin(SharedRowsAdmin, ScopedAdmin, admin.ModelAdmin):
    list_display = ("short_hash", "reason", "detail", "created_at")
    list_filter = ("reason",)
    search_fields = ("email_hash",)
    search_help_text = "Type a full email address: it is hashed and looked up."

    @admin.display(description=gettext_lazy("address hash"))
    def short_hash(self, obj: Suppression) -> str:
        return obj.email_hash[:16] + "…"

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = SuppressionAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return ("email_hash", "created_at") if obj else ()

    def save_model(self, request, obj, form, change):
        if not change:
            obj.email_hash = email_hash(form.cleaned_data["email"])
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        if "@" in search_term:
            return queryset.filter(email_hash=email_hash(search_term)), False
        return super().get_search_results(request, queryset, search_term)


@admin.register(EmailEvent)
class EmailEventAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ("event_type", "esp_name", "digest_id", "delivery_id", "reject_reason", "occurred_at", "received_at")
    list_filter = ("event_type", "esp_name", "reject_reason")
    search_fields = ("event_id", "message_id")
    date_hierarchy = "received_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QueuedEmail)
class QueuedEmailAdmin(ScopedAdmin, admin.ModelAdmin):
    """Confirmation and welcome emails not sent yet: normally empty or nearly so; a row with an error is being
    retried, one with the maximum attempts was given up (the action sends it again)."""

    list_display = ("kind", "subscriber", "list_ids", "created_at", "attempts", "send_after", "last_error")
    list_filter = ("kind", "attempts")
    search_fields = ("subscriber__email",)
    list_select_related = ("subscriber",)
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        # Rows are never edited here; sending one again is a change to the person's subscription process.
        return request.user.has_perm("subscribers.change_subscription")

    @admin.action(description=gettext_lazy("Try the selected failed emails again now"), permissions=["retry"])
    def retry_now(self, request, queryset) -> None:
        count = queued_emails.queued_emails_retry(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, ngettext(
            "%(count)d email will be sent again now; emails that have not failed are left as they are.",
            "%(count)d emails will be sent again now; emails that have not failed are left as they are.", count)
            % {"count": count}, messages.SUCCESS)


@admin.register(SubscribeRequest)
class SubscribeRequestAdmin(ScopedAdmin, admin.ModelAdmin):
    """Subscribe requests a worker has not decided yet (subscribers.subscribe_requests): normally empty. The
    address is not shown: a request is anyone's claim, not a subscriber."""

    list_display = ("created_at", "list_slugs", "consent_source", "attempts", "send_after", "last_error")
    list_filter = ("consent_source", "attempts")
    fields = list_display
    actions = ["retry_now"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("subscribers.change_subscription")

    @admin.action(description=gettext_lazy("Try the selected failed requests again now"), permissions=["retry"])
    def retry_now(self, request, queryset) -> None:
        count = queued_emails.queued_emails_retry(ids=list(queryset.values_list("pk", flat=True)), model=SubscribeRequest)
        self.message_user(request, ngettext("%(count)d request will be tried again now.",
                                            "%(count)d requests will be tried again now.", count)
                          % {"count": count}, messages.SUCCESS)
