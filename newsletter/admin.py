"""The editor's screens: news items, feeds, digests (compose, preview, test, schedule), recurring digests."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from editorial.access import visible, visible_or_404, visible_organisation_ids
from editorial.admin_scoping import ScopedAdmin, ScopedInline
from editorial.models import AuditEntry
from editorial.services import audit_record
from newsletter import tasks
from newsletter.audience import SendReview, digest_send_review, plan_spread_sentence, typed_local_time
from newsletter.forms import ComposeForm, CsvImportForm, DigestForm, NewsItemForm, ScheduleForm, TestSendForm
from newsletter.importing import csv_import
from newsletter.lifecycle import Actor, digest_is_editable, step_allowed
from newsletter.media_images import MediaImageError, media_image_delete, media_image_users
from newsletter.models import (
    Digest,
    DigestItem,
    DigestVariant,
    EditorSettings,
    Feed,
    ImportProblem,
    MediaImage,
    NewsItem,
    RecurringDigest,
)
from newsletter.previews import PREVIEW_CSP, editor_preview_html
from newsletter.selectors import feed_import_counts
from newsletter.services import (
    ChecksFailed,
    NewsletterError,
    SendPlan,
    digest_compose,
    digest_reschedule,
    digest_schedule,
    digest_send_test,
    digest_unschedule,
    editor_time_zone,
    news_item_sanitise,
    send_plan,
)
from subscribers.admin_texts import PerLanguageTextsAdmin
from subscribers.texts import languages
from worker.control import SendControlError, digest_cancel, digest_schedule_send


@admin.register(NewsItem)
class NewsItemAdmin(ScopedAdmin, admin.ModelAdmin):
    form = NewsItemForm
    list_display = ["title", "published_at", "dateline", "language", "source"]
    list_filter = ["language", "source", "mailing_lists", "topics", ("published_at", admin.DateFieldListFilter)]
    search_fields = ["title", "summary", "dateline", "source_id", "translation_key"]
    date_hierarchy = "published_at"
    filter_horizontal = ["topics", "mailing_lists"]
    readonly_fields = ["created_at", "updated_at"]
    change_list_template = "admin/newsletter/newsitem/change_list.html"

    def save_model(self, request, obj, form, change):
        news_item_sanitise(obj)  # every write path sanitises, the admin included
        super().save_model(request, obj, form, change)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name == "mailing_lists" and visible_organisation_ids(request.user) is not None:
            # An item on no list is every organisation's (decision 0015): only a superuser makes one.
            field.required = True
        return field

    def _shared_and_scoped(self, request, obj) -> bool:
        """An item on no list is suggested to every organisation's digests: a member reads it, a superuser changes it."""
        return (obj is not None and obj.pk is not None and visible_organisation_ids(request.user) is not None
                and not obj.mailing_lists.exists())

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and not self._shared_and_scoped(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and not self._shared_and_scoped(request, obj)

    def get_urls(self):
        return [
            path("import-csv/", self.admin_site.admin_view(self.import_csv_view), name="newsletter_newsitem_import_csv"),
            *super().get_urls(),
        ]

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = CsvImportForm(request.POST or None, request.FILES or None, user=request.user)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                text = upload.read().decode("utf-8-sig")
                result = csv_import(
                    text=text,
                    source=f"csv:{upload.name}"[:200],
                    mailing_list_ids=[ml.id for ml in form.cleaned_data["mailing_lists"]],
                )
            except UnicodeDecodeError:
                form.add_error("file", _("The file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."))
            except NewsletterError as exc:
                form.add_error("file", str(exc))
            else:
                self.message_user(request, _("CSV imported: %(result)s.") % {"result": result}, messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:newsletter_newsitem_changelist"))
        context = {**self.admin_site.each_context(request), "title": _("Import news items from CSV"), "form": form,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/newsletter/form_page.html", context)


class ImportProblemInline(ScopedInline, admin.TabularInline):
    model = ImportProblem
    extra = 0
    fields = ["created_at", "reference", "reason"]
    readonly_fields = fields
    can_delete = True
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).order_by("-created_at")


@admin.register(Feed)
class FeedAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["__str__", "mailing_list", "is_active", "last_polled_at", "status", "imported"]
    list_filter = ["is_active", "mailing_list"]
    search_fields = ["name", "url"]
    readonly_fields = ["imported", "etag", "modified", "last_polled_at", "last_success_at", "last_error", "created_at"]
    inlines = [ImportProblemInline]
    actions = ["poll_now"]

    class Media:
        # Reloads the page while a feed waits for its first import (the marker below); static, for the strict CSP.
        js = ["newsletter/feed_waiting.js"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            # A new feed is imported at once, on the feeds queue like every poll: never inside this request.
            tasks.feeds_poll_enqueue([obj.pk])
            self.message_user(
                request,
                _("Importing the feed “%(feed)s” in the background; the Imported column shows what came in.")
                % {"feed": obj},
                messages.INFO,
            )

    @admin.display(description=gettext_lazy("Imported"))
    def imported(self, feed: Feed) -> str:
        if feed.pk is None:
            return "-"
        if feed.last_success_at is None and not feed.last_error:
            return format_html('<span class="feed-waiting" data-feed-waiting="{}">{}</span>', feed.pk,
                               _("waiting for the first import (this page refreshes itself)"))
        counts = feed_import_counts(feed=feed)
        items = ngettext("%(count)d item imported", "%(count)d items imported", counts.items) % {"count": counts.items}
        problems = ngettext("%(count)d problem", "%(count)d problems", counts.problems) % {"count": counts.problems}
        return format_html(
            '<a href="{}?{}">{}</a>, <a href="{}?{}">{}</a>',
            reverse("admin:newsletter_newsitem_changelist"), urlencode({"source": feed.source}), items,
            reverse("admin:newsletter_importproblem_changelist"), urlencode({"feed__id__exact": feed.pk}), problems,
        )

    @admin.display(description=gettext_lazy("Status"))
    def status(self, feed: Feed) -> str:
        if feed.last_error:
            return format_html('<span style="color:#b00020">{}</span>', feed.last_error[:120])
        return _("OK") if feed.last_success_at else _("not polled yet")

    @admin.action(description=gettext_lazy("Poll the selected feeds now"), permissions=["change"])
    def poll_now(self, request, queryset):
        # A feed server decides how long a fetch takes: never inside a web request, always on the feeds queue.
        feed_ids = list(queryset.values_list("id", flat=True))
        tasks.feeds_poll_enqueue(feed_ids)
        self.message_user(
            request,
            ngettext(
                "Fetching %(count)d feed in the background; reload this page to see the result in the Status column.",
                "Fetching %(count)d feeds in the background; reload this page to see the result in the Status column.",
                len(feed_ids),
            ) % {"count": len(feed_ids)},
            messages.SUCCESS,
        )


@admin.register(ImportProblem)
class ImportProblemAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["created_at", "feed", "source", "reference", "reason"]
    list_filter = ["feed", "source"]
    search_fields = ["reference", "reason"]
    readonly_fields = ["feed", "source", "reference", "reason", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False


class DigestItemInline(ScopedInline, admin.TabularInline):
    model = DigestItem
    extra = 0
    fields = ["position", "news_item"]
    raw_id_fields = ["news_item"]
    ordering = ["position", "id"]

    def _editable(self, obj) -> bool:
        return obj is None or digest_is_editable(obj.status)

    def has_add_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Digest)
class DigestAdmin(ScopedAdmin, PerLanguageTextsAdmin):
    form = DigestForm
    list_display = ["subject", "mailing_list", "segment", "status", "send_at", "preview_link"]
    list_filter = ["status", "mailing_list"]
    search_fields = ["subject", "intro"]
    date_hierarchy = "created_at"
    inlines = [DigestItemInline]
    fields = ["mailing_list", "segment", "tailored", "subject", "preheader", "intro", "status", "send_at", "status_detail",
              "created_by", "scheduled_by", "started_at", "finished_at"]
    readonly_fields = ["status", "send_at", "status_detail", "created_by", "scheduled_by", "started_at", "finished_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and not digest_is_editable(obj.status):
            # Every language's input of a per-language text, as modeltranslation lays them out.
            return [f"{name}_{language}" if name in self.trans_opts.fields else name
                    for name in self.fields for language in (languages() if name in self.trans_opts.fields else [""])]
        return self.readonly_fields

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if digest_is_editable(form.instance.status):
            # Stale after an edit: re-rendered on preview or schedule. Never touched once scheduled:
            # the delivery engine may be sending them.
            DigestVariant.objects.filter(digest=form.instance).delete()

    @admin.display(description=gettext_lazy("Preview"))
    def preview_link(self, digest: Digest) -> str:
        url = reverse("admin:newsletter_digest_preview", args=[digest.pk])
        return format_html('<a href="{}">{}</a>', url, _("preview & schedule"))

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("compose/", view(self.compose_view), name="newsletter_digest_compose"),
            path("<int:digest_id>/preview/", view(self.preview_view), name="newsletter_digest_preview"),
            path(
                "<int:digest_id>/preview/<str:language>.html",
                view(self.preview_html_view),
                name="newsletter_digest_preview_html",
            ),
            path("<int:digest_id>/action/<str:action>/", view(self.action_view), name="newsletter_digest_action"),
            *super().get_urls(),
        ]

    def add_view(self, request, form_url="", extra_context=None):
        return HttpResponseRedirect(reverse("admin:newsletter_digest_compose"))

    def compose_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        zone = editor_time_zone(user_id=request.user.id)
        with timezone.override(zone):
            form = ComposeForm(request.POST or None, user=request.user)
            valid = request.method == "POST" and form.is_valid()
        if valid:
            data = form.cleaned_data
            try:
                digest = digest_compose(
                    mailing_list_id=data["mailing_list"].id,
                    segment_id=data["segment"].id if data["segment"] else None,
                    tailored=data["tailored"],
                    subject=data["subject"],
                    preheader=data["preheader"],
                    intro=data["intro"],
                    since=data["since"],
                    user_id=request.user.id,
                )
            except NewsletterError as exc:
                form.add_error(None, str(exc))
            else:
                count = digest.digest_items.count()
                audit_record(actor_id=request.user.id, action=AuditEntry.Action.DIGEST_CREATED, target=digest,
                             description=_("Composed with %(count)d items.") % {"count": count})
                self.message_user(request, ngettext(
                    "Draft created with %(count)d suggested item: remove, add or reorder items below.",
                    "Draft created with %(count)d suggested items: remove, add or reorder them below.",
                    count,
                ) % {"count": count})
                return HttpResponseRedirect(reverse("admin:newsletter_digest_change", args=[digest.pk]))
        context = {**self.admin_site.each_context(request), "title": _("Compose a digest"), "form": form,
                   "opts": self.model._meta}
        return TemplateResponse(request, "admin/newsletter/form_page.html", context)

    def preview_view(self, request: HttpRequest, digest_id: int) -> HttpResponse:
        digest = visible_or_404(Digest.objects.select_related("mailing_list", "segment"), request.user, pk=digest_id)
        if not self.has_view_permission(request, digest):
            raise PermissionDenied
        return self._preview(request, digest)

    def _checked(self, digest: Digest) -> SendReview:
        return digest_send_review(digest=digest)

    def _preview(self, request: HttpRequest, digest: Digest, *, schedule_form: ScheduleForm | None = None,
                 test_form: TestSendForm | None = None) -> HttpResponse:
        """The preview page; a refused form (a time in the past, a wrong address) comes back with what was typed."""
        problems, warnings, variants, audience = self._checked(digest)
        readers = dict(audience.per_language)
        for variant in variants:
            tailored = audience.readers_of(variant.pk)
            variant.readers = tailored if tailored is not None else readers.get(variant.language, 0)
        zone = editor_time_zone(user_id=request.user.id)
        send_at = timezone.localtime(digest.send_at, zone) if digest.send_at else None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Preview: %(subject)s") % {"subject": digest.subject},
            "opts": self.model._meta,
            "original": digest,
            "digest": digest,
            "variants": variants,
            "test_languages": {variant.language: variant.get_language_display() for variant in variants}.items(),
            "audience": audience,
            "problems": problems,
            "warnings": warnings,
            "can_schedule": digest_is_editable(digest.status) and not problems,
            "can_send_now": step_allowed(digest.status, "send_now") and not problems,
            "can_reschedule": step_allowed(digest.status, "reschedule"),
            "can_cancel": step_allowed(digest.status, "cancel"),
            "schedule_form": schedule_form or ScheduleForm(initial={
                "send_at": typed_local_time(digest=digest) or send_at, "send_mode": digest.send_mode}),
            "test_form": test_form or TestSendForm(),
            "time_zone": zone.key,
            "send_at_local": send_at,
            "spread": _spread_sentence(digest, SendPlan(send_at=digest.send_at, send_mode=digest.send_mode,
                                                        local_send_time=digest.local_send_time))
            if digest.send_at and digest.local_send_time else "",
            "user_email": request.user.email,
        }
        return TemplateResponse(request, "admin/newsletter/digest/preview.html", context)

    def _confirm(self, request: HttpRequest, digest: Digest, action: str, *, when=None,
                 plan: SendPlan | None = None) -> HttpResponse:
        """The second step of schedule, reschedule, send now and cancel: who it goes to, what the checks say,
        and one button that repeats the request with `confirmed`. Nothing is changed by this page."""
        problems, warnings, _variants, audience = self._checked(digest)
        zone = editor_time_zone(user_id=request.user.id)
        context = {
            **self.admin_site.each_context(request),
            "title": _CONFIRM_TITLES[action](),
            "opts": self.model._meta,
            "original": digest,
            "digest": digest,
            "action": action,
            "audience": audience,
            "problems": problems if action != "cancel" else [],
            "warnings": warnings if action != "cancel" else [],
            "time_zone": zone.key,
            "when_local": timezone.localtime(when, zone) if when else None,
            "send_at_typed": request.POST.get("send_at", ""),
            "send_mode": plan.send_mode if plan else "",
            "local_send_time": plan.local_send_time if plan else None,
            "spread": _spread_sentence(digest, plan) if plan else "",
            "confirm_label": _CONFIRM_LABELS[action](),
        }
        return TemplateResponse(request, "admin/newsletter/digest/confirm.html", context)

    def preview_html_view(self, request: HttpRequest, digest_id: int, language: str) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        # A tailored digest has a variant per language and item set (?items=, DigestVariant.item_key).
        variant = visible(DigestVariant.objects.all(), request.user).filter(
            digest_id=digest_id, language=language, item_key=request.GET.get("items", "")).first()
        if variant is None:
            raise Http404(_("No such variant; open the preview page to render it."))
        html = editor_preview_html(html=variant.html, user=request.user, digest_id=digest_id, language=language)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        response["Content-Security-Policy"] = PREVIEW_CSP
        return response

    def action_view(self, request: HttpRequest, digest_id: int, action: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        digest = visible_or_404(Digest.objects.select_related("mailing_list", "segment"), request.user, pk=digest_id)
        if not self.has_change_permission(request, digest):
            raise PermissionDenied
        if action not in _ACTIONS:
            raise Http404("Unknown action")
        confirmed = request.POST.get("confirmed") == "yes"
        zone = editor_time_zone(user_id=request.user.id)
        actor = Actor(user_id=request.user.id)
        try:
            if action == "test":
                form = TestSendForm(request.POST)
                if not form.is_valid():
                    return self._preview(request, digest, test_form=form)
                addresses = form.cleaned_data["addresses"] or [request.user.email]
                sent = digest_send_test(digest_id=digest_id, user_id=request.user.id,
                                        language=form.cleaned_data["language"] or None, to=addresses)
                self.message_user(request, _("Test sent to %(email)s (%(languages)s).") % {
                    "email": ", ".join(addresses), "languages": ", ".join(sent)}, messages.SUCCESS)
            elif action in ("schedule", "reschedule"):
                with timezone.override(zone):
                    form = ScheduleForm(request.POST)
                    valid = form.is_valid()
                if not valid:
                    return self._preview(request, digest, schedule_form=form)
                send_mode = form.cleaned_data["send_mode"]
                try:
                    plan = send_plan(digest_id=digest_id, send_at=form.cleaned_data["send_at"], send_mode=send_mode,
                                     user_id=request.user.id)
                except NewsletterError as exc:
                    form.add_error("send_at", str(exc))  # shown beside the time the editor typed, which stays
                    return self._preview(request, digest, schedule_form=form)
                if not confirmed:
                    return self._confirm(request, digest, action, when=plan.send_at, plan=plan)
                service = digest_schedule if action == "schedule" else digest_reschedule
                digest = service(digest_id=digest_id, send_at=form.cleaned_data["send_at"], send_mode=send_mode,
                                 actor=actor)
                local = timezone.localtime(digest.send_at, zone)
                if digest.send_mode == Digest.SendMode.LOCAL_TIME:
                    self.message_user(request, plan.description(actor), messages.SUCCESS)
                else:
                    self.message_user(request, _("Scheduled for %(time)s (%(zone)s).")
                                      % {"time": f"{local:%Y-%m-%d %H:%M}", "zone": zone.key},
                                      messages.SUCCESS)
            elif action == "send_now":
                if not confirmed:
                    return self._confirm(request, digest, action)
                try:
                    # The dashboard's lever too: the send_now step at the current time, then a scan is poked.
                    digest_schedule_send(digest_id=digest_id, now=True, actor=actor)
                except SendControlError as exc:
                    raise NewsletterError(str(exc)) from None
                self.message_user(request, _("Sending now: follow it on the dashboard."), messages.SUCCESS)
            elif action == "unschedule":
                digest_unschedule(digest_id=digest_id, actor=actor)
                self.message_user(request, _("Back to draft: you can edit it again."), messages.SUCCESS)
            elif action == "cancel":
                if not confirmed:
                    return self._confirm(request, digest, action)
                try:
                    digest_cancel(digest_id=digest_id, actor=actor)
                except SendControlError as exc:
                    raise NewsletterError(str(exc)) from None
                self.message_user(request, _("Digest cancelled."), messages.SUCCESS)
        except ChecksFailed as exc:
            for problem in exc.problems:
                self.message_user(request, str(problem), messages.ERROR)
        except NewsletterError as exc:
            self.message_user(request, str(exc), messages.ERROR)
        return HttpResponseRedirect(reverse("admin:newsletter_digest_preview", args=[digest_id]))


def _spread_sentence(digest: Digest, plan: SendPlan) -> str:
    """ "Readers in 7 time zones, first at ..., last at ...; the send spans ..." for a local-time plan, else ""."""
    return plan_spread_sentence(digest=digest, send_at=plan.send_at, local_send_time=plan.local_send_time)


_ACTIONS = ("test", "schedule", "reschedule", "send_now", "unschedule", "cancel")
# Called per request, so they are in the editor's language.
_CONFIRM_TITLES = {
    "schedule": lambda: _("Schedule this digest?"),
    "reschedule": lambda: _("Move this digest to another time?"),
    "send_now": lambda: _("Send this digest now?"),
    "cancel": lambda: _("Cancel this digest?"),
}
_CONFIRM_LABELS = {
    "schedule": lambda: _("Yes, schedule it"),
    "reschedule": lambda: _("Yes, move it"),
    "send_now": lambda: _("Yes, send it now"),
    "cancel": lambda: _("Yes, cancel this digest"),
}


@admin.register(RecurringDigest)
class RecurringDigestAdmin(ScopedAdmin, PerLanguageTextsAdmin):
    list_display = ["__str__", "cadence", "time_of_day", "min_items", "auto_send", "is_active", "next_run_at", "last_result"]
    list_filter = ["cadence", "auto_send", "is_active", "mailing_list"]
    readonly_fields = ["next_run_at", "last_run_at", "last_result", "last_digest", "created_at"]

    def save_model(self, request, obj, form, change):
        from newsletter.recurring import next_run_after

        # Settings changed: the next run follows the new cadence (computed in the list's time zone).
        obj.next_run_at = next_run_after(obj, timezone.now()) if obj.is_active else None
        super().save_model(request, obj, form, change)


@admin.register(EditorSettings)
class EditorSettingsAdmin(ScopedAdmin, admin.ModelAdmin):
    list_display = ["user", "time_zone"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset if request.user.is_superuser else queryset.filter(user=request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "user" and not request.user.is_superuser:
            kwargs["queryset"] = get_user_model().objects.filter(pk=request.user.pk)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(MediaImage)
class MediaImageAdmin(ScopedAdmin, admin.ModelAdmin):
    """Images are added through the desk's library (newsletter.media_images checks and resizes them); here an
    administrator corrects an alt text or deletes one."""

    list_display = ["alt_text", "organisation", "width", "height", "uploaded_by", "created_at"]
    list_filter = ["organisation"]
    search_fields = ["alt_text"]
    fields = ["file", "alt_text", "organisation", "width", "height", "uploaded_by", "created_at"]
    readonly_fields = ["file", "organisation", "width", "height", "uploaded_by", "created_at"]

    def has_add_permission(self, request) -> bool:
        return False

    def get_actions(self, request):
        # One image at a time, through the same refusal as the desk (newsletter.media_images.media_image_delete).
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_view(self, request, object_id, extra_context=None):
        image = self.get_object(request, object_id)
        if image is None or not self.has_delete_permission(request, image):
            return super().delete_view(request, object_id, extra_context)
        change_url = reverse("admin:newsletter_mediaimage_change", args=[image.pk])
        users = list(media_image_users(image=image))
        if users:
            self.message_user(request, _("This image is still shown by news items; change their picture first.") + " "
                              + ", ".join(f"“{item.title}”" for item in users[:5]), messages.ERROR)
            return HttpResponseRedirect(change_url)
        if request.method != "POST":
            return super().delete_view(request, object_id, extra_context)
        try:
            media_image_delete(image_id=image.pk, actor_id=request.user.pk)
        except MediaImageError as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return HttpResponseRedirect(change_url)
        self.message_user(request, _("The image “%(alt)s” was deleted.") % {"alt": image.alt_text}, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:newsletter_mediaimage_changelist"))
