"""The desk's digests: the list, the compose page (create and edit a draft, live preview per language), test sends,
and the send flow (send now, schedule, cancel), each final step behind a confirmation that names the audience."""

from __future__ import annotations

from datetime import datetime

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from desk.access import desk_view
from desk.compose_forms import ComposeDigestForm
from desk.prose import allow_import_maps
from desk.selectors_compose import compose_cards, desk_digests, offered_item_ids
from editorial.access import visible, visible_or_404
from newsletter.audience import digest_send_review, plan_spread_sentence
from newsletter.checks import LANGUAGE_NAMES
from newsletter.forms import ScheduleForm
from newsletter.lifecycle import Actor, digest_is_editable, step_allowed
from newsletter.models import Digest, NewsItem
from newsletter.previews import editor_preview_html
from newsletter.rendering import render_unsaved
from newsletter.sanitising import clean_html
from newsletter.services import (
    MAX_TEST_ADDRESSES,
    ChecksFailed,
    NewsletterError,
    SendPlan,
    digest_draft_save,
    digest_schedule,
    digest_send_test,
    editor_time_zone,
    future_send_time,
    send_plan,
)
from subscribers.models import MailingList, Segment
from subscribers.texts import languages
from worker.control import SendControlError, digest_cancel, digest_schedule_send
from worker.local_time import SpanTooLong

_DIGESTS = Digest.objects.select_related("mailing_list__organisation", "segment")
_CONFIRMABLE = ("send_now", "schedule", "cancel")


@desk_view("newsletter.view_digest")
def digests(request: HttpRequest) -> HttpResponse:
    zone = editor_time_zone(user_id=request.user.id)
    rows = list(desk_digests(user=request.user)[:100])
    for digest in rows:
        digest.send_at_local = timezone.localtime(digest.send_at, zone) if digest.send_at else None
        digest.editable = digest_is_editable(digest.status)
    return render(request, "desk/compose/digests.html", {"digests": rows, "time_zone": zone.key,
                                                         "results_fallback": _results_fallback()})


@desk_view("newsletter.add_digest")
def digest_new(request: HttpRequest) -> HttpResponse:
    return _compose(request, None)


@desk_view("newsletter.change_digest")
def digest_edit(request: HttpRequest, digest_id: int) -> HttpResponse:
    digest = visible_or_404(_DIGESTS, request.user, pk=digest_id)
    if not digest_is_editable(digest.status):
        return render(request, "desk/compose/locked.html", {
            "digest": digest, "can_cancel": step_allowed(digest.status, "cancel"),
            "send_at_local": _local(request, digest.send_at)})
    return _compose(request, digest)


def _compose(request: HttpRequest, digest: Digest | None) -> HttpResponse:
    zone = editor_time_zone(user_id=request.user.id)
    data = request.POST if request.method == "POST" else None
    list_id = _posted_list_id(request, digest)
    form = ComposeDigestForm(data, user=request.user, initial=_initial(digest, request.GET),
                             allowed_item_ids=offered_item_ids(mailing_list_id=list_id,
                                                               digest_id=digest.pk if digest else None))
    with timezone.override(zone):
        valid = data is not None and form.is_valid()
    if valid:
        saved = _save(request, form, digest)
        if saved is not None:
            return saved
    chosen = ([int(i) for i in request.POST.getlist("items") if i.isdigit()] if data is not None
              else [item.pk for item in _digest_items(digest)])
    cards = compose_cards(mailing_list_id=list_id, chosen_ids=chosen, digest_id=digest.pk if digest else None)
    mailing_list = MailingList.objects.filter(pk=list_id).first() if list_id else None
    context = {
        "digest": digest,
        "form": form,
        "cards": cards,
        "groups": form.language_groups(mailing_list.default_language if mailing_list else None),
        "language_names": dict(LANGUAGE_NAMES),
        "time_zone": zone.key,
        "can_cancel": digest is not None and step_allowed(digest.status, "cancel"),
        "max_test_addresses": MAX_TEST_ADDRESSES,
    }
    return allow_import_maps(render(request, "desk/compose/compose.html", context, status=400 if data is not None else 200))


def _save(request: HttpRequest, form: ComposeDigestForm, digest: Digest | None) -> HttpResponse | None:
    """Save the draft, then do what the pressed button asked; None when a refusal belongs beside the form."""
    data = form.cleaned_data
    then = data.get("then") or "save"
    if then == "schedule" and data["send_mode"] == Digest.SendMode.AT_ONCE:
        try:
            future_send_time(send_at=data["send_at_parsed"], user_id=request.user.id)
        except NewsletterError as exc:
            form.add_error("send_at", str(exc))  # the typed time stays in the field, with the reason beside it
            return None
    try:
        saved = digest_draft_save(
            digest_id=digest.pk if digest else None, mailing_list_id=data["mailing_list"].pk,
            segment_id=data["segment"].pk if data.get("segment") else None, texts=form.texts(),
            item_ids=list(data.get("items") or []), user_id=request.user.id, tailored=data.get("tailored", False))
    except NewsletterError as exc:
        form.add_error(None, str(exc))
        return None
    edit_url = reverse("desk:digest_edit", args=[saved.pk])
    if then == "test":
        try:
            sent = digest_send_test(digest_id=saved.pk, user_id=request.user.id, to=data["test_addresses"] or None)
        except NewsletterError as exc:
            messages.error(request, str(exc))
        else:
            names = dict(LANGUAGE_NAMES)
            messages.success(request, _("Draft saved. Test sent to %(addresses)s (%(languages)s).") % {
                "addresses": ", ".join(data["test_addresses"]) or request.user.email,
                "languages": ", ".join(str(names.get(code, code)) for code in sent)})
        return redirect(edit_url)
    if then == "send_now":
        return redirect("desk:digest_confirm", digest_id=saved.pk, action=then)
    if then == "schedule":
        # A local-time plan depends on the saved audience's time zones, so it is read once the draft is saved.
        return redirect(reverse("desk:digest_confirm", args=[saved.pk, then]) + "?" + _schedule_query(form.data))
    messages.success(request, _("Draft saved."))
    return redirect(edit_url)


@desk_view("newsletter.add_digest")
def digest_compose_parts(request: HttpRequest) -> HttpResponse:
    """The segment field and the item cards for the list just chosen (htmx swaps them in)."""
    list_id = _int(request.GET.get("mailing_list"))
    if list_id is not None:
        visible_or_404(MailingList.objects.all(), request.user, pk=list_id)
    form = ComposeDigestForm(None, user=request.user, initial={"mailing_list": list_id}, allowed_item_ids=[])
    return render(request, "desk/compose/_parts.html", {
        "form": form, "cards": compose_cards(mailing_list_id=list_id, chosen_ids=[])})


@desk_view("newsletter.view_digest")
def digest_preview(request: HttpRequest) -> HttpResponse:
    """The compose form as readers of each language would get it, rendered with the real template and inlining
    but not saved (htmx posts the form here after each edit)."""
    if request.method != "POST":
        return HttpResponse(status=405)
    digest_id = _int(request.POST.get("digest"))
    saved = visible_or_404(_DIGESTS, request.user, pk=digest_id) if digest_id else None
    list_id = _int(request.POST.get("mailing_list"))
    mailing_list = (visible(MailingList.objects.select_related("organisation"), request.user).filter(pk=list_id).first()
                    if list_id else None)
    if mailing_list is None:
        return render(request, "desk/compose/_preview.html", {"previews": []})
    unsaved = Digest(pk=saved.pk if saved else None, mailing_list=mailing_list,
                     segment=Segment.objects.filter(pk=_int(request.POST.get("segment")), mailing_list=mailing_list).first())
    for language in languages():
        for name in ("subject", "preheader"):
            setattr(unsaved, f"{name}_{language}", request.POST.get(f"{name}_{language}", "").strip()[:200])
        setattr(unsaved, f"intro_{language}", clean_html(request.POST.get(f"intro_{language}", "")))
    allowed = set(offered_item_ids(mailing_list_id=mailing_list.pk, digest_id=saved.pk if saved else None))
    chosen = [int(i) for i in request.POST.getlist("items") if i.isdigit() and int(i) in allowed]
    by_id = NewsItem.objects.in_bulk(chosen)
    items = [by_id[item_id] for item_id in dict.fromkeys(chosen) if item_id in by_id]
    names = dict(LANGUAGE_NAMES)
    previews = []
    for language in dict.fromkeys([mailing_list.default_language, *languages()]):
        html = render_unsaved(digest=unsaved, items=items, language=language)
        previews.append({"code": language, "name": names.get(language, language),
                         "html": editor_preview_html(html=html, user=request.user, digest_id=unsaved.pk,
                                                     language=language)})
    return render(request, "desk/compose/_preview.html", {"previews": previews,
                                                          "tailored": bool(request.POST.get("tailored"))})


@desk_view("newsletter.change_digest")
def digest_confirm(request: HttpRequest, digest_id: int, action: str) -> HttpResponse:
    """The question before a send, a schedule or a cancel: who it reaches per language and what the checks say.
    Asking changes nothing; the button repeats the request to digest_act with `confirmed`."""
    if action not in _CONFIRMABLE:
        raise Http404
    digest = visible_or_404(_DIGESTS, request.user, pk=digest_id)
    zone = editor_time_zone(user_id=request.user.id)
    plan, spread, refusal = None, "", ""
    if action == "schedule":
        plan, refusal = _plan(digest, request.GET, request.user.id)
        if refusal:
            messages.error(request, refusal)
            return _back_to_edit(digest.pk, request.GET)
        try:
            spread = plan_spread_sentence(digest=digest, send_at=plan.send_at, local_send_time=plan.local_send_time)
        except SpanTooLong:
            refusal = _("The readers' time zones would spread this send over more than a day; send it at one "
                        "moment for everybody instead.")
    if not step_allowed(digest.status, action):
        refusal = _("This digest can no longer take this step.")
    review = digest_send_review(digest=digest)
    problems = review.problems if action != "cancel" else []
    local_time = plan is not None and plan.local_send_time is not None
    return render(request, "desk/compose/confirm.html", {
        "digest": digest,
        "action": action,
        "audience": review.audience,
        "problems": problems,
        "warnings": review.warnings if action != "cancel" else [],
        "blocked": bool(problems) or bool(refusal),
        "refusal": refusal,
        "send_at_typed": request.GET.get("send_at", ""),
        "send_mode": plan.send_mode if plan else "",
        "when_local": timezone.localtime(plan.send_at, zone) if plan and not local_time else None,
        "local_plan": plan.description(Actor(user_id=request.user.id)) if local_time else "",
        "spread": spread,
        "time_zone": zone.key,
    })


@desk_view("newsletter.change_digest")
def digest_act(request: HttpRequest, digest_id: int, action: str) -> HttpResponse:
    """Send now, schedule or cancel, once confirmed on digest_confirm's page."""
    if request.method != "POST":
        return HttpResponse(status=405)
    if action not in _CONFIRMABLE:
        raise Http404
    digest = visible_or_404(_DIGESTS, request.user, pk=digest_id)
    if request.POST.get("confirmed") != "yes":
        return redirect("desk:digest_confirm", digest_id=digest.pk, action=action)
    actor = Actor(user_id=request.user.id, where="the desk")
    try:
        if action == "send_now":
            digest_schedule_send(digest_id=digest.pk, now=True, actor=actor)
            messages.success(request, _("Sending now."))
        elif action == "schedule":
            send_at, send_mode, refusal = _typed_schedule(request.POST, request.user.id)
            if refusal:
                raise NewsletterError(refusal)
            digest = digest_schedule(digest_id=digest.pk, send_at=send_at, send_mode=send_mode, actor=actor)
            messages.success(request, _scheduled_message(request, digest))
        else:
            digest_cancel(digest_id=digest.pk, actor=actor)
            messages.success(request, _("Digest cancelled."))
    except ChecksFailed as exc:
        for problem in exc.problems:
            messages.error(request, str(problem))
        return _back_to_edit(digest.pk, request.POST if action == "schedule" else {})
    except (NewsletterError, SendControlError) as exc:
        messages.error(request, str(exc))
        return _back_to_edit(digest.pk, request.POST if action == "schedule" else {})
    return redirect(_results_url(digest.pk) or reverse("desk:digests"))


def _typed_schedule(typed, user_id: int) -> tuple[datetime | None, str, str]:
    """The schedule request as typed (send_at, send_mode) read by the admin's ScheduleForm: (the time in the
    editor's zone, the mode, "") or (None, "", the sentence saying why it cannot be used)."""
    with timezone.override(editor_time_zone(user_id=user_id)):
        form = ScheduleForm({"send_at": typed.get("send_at", ""), "send_mode": typed.get("send_mode", "")})
        valid = form.is_valid()
    if not valid:
        return None, "", _("Choose the day and time to send it.")
    return form.cleaned_data["send_at"], form.cleaned_data["send_mode"], ""


def _plan(digest: Digest, typed, user_id: int) -> tuple[SendPlan | None, str]:
    """(the plan, "") through newsletter.services.send_plan, or (None, why it is refused)."""
    send_at, send_mode, refusal = _typed_schedule(typed, user_id)
    if refusal:
        return None, refusal
    try:
        return send_plan(digest_id=digest.pk, send_at=send_at, send_mode=send_mode, user_id=user_id), ""
    except NewsletterError as exc:
        return None, str(exc)


def _schedule_query(typed) -> str:
    return urlencode({"send_at": typed.get("send_at", ""), "send_mode": typed.get("send_mode", "")})


def _back_to_edit(digest_id: int, typed) -> HttpResponse:
    """The compose page again, with the time and mode she typed if any (the refusal is in the messages)."""
    url = reverse("desk:digest_edit", args=[digest_id])
    return redirect(f"{url}?{_schedule_query(typed)}" if typed.get("send_at") else url)


def _scheduled_message(request: HttpRequest, digest: Digest) -> str:
    if digest.send_mode == Digest.SendMode.LOCAL_TIME:
        return _("Scheduled: at %(time)s in each reader's time zone, from %(start)s (%(zone)s).") % {
            "time": f"{digest.local_send_time:%H:%M}", "start": f"{_local(request, digest.send_at):%Y-%m-%d %H:%M}",
            "zone": editor_time_zone(user_id=request.user.id).key}
    local = _local(request, digest.send_at)
    return _("Scheduled for %(time)s (%(zone)s).") % {"time": f"{local:%Y-%m-%d %H:%M}", "zone": local.tzinfo.key}


def _results_url(digest_id: int) -> str | None:
    try:
        return reverse("desk:digest_results", args=[digest_id])
    except NoReverseMatch:  # the results page is another part of the desk
        return None


def _results_fallback() -> str:
    return reverse("admin:worker_send_changelist")


def _local(request: HttpRequest, when):
    return timezone.localtime(when, editor_time_zone(user_id=request.user.id)) if when else None


def _digest_items(digest: Digest | None) -> list[NewsItem]:
    if digest is None:
        return []
    return [row.news_item for row in digest.digest_items.select_related("news_item").order_by("position", "id")]


def _initial(digest: Digest | None, typed) -> dict:
    """The draft's values, and the schedule she typed when she was sent back here (?send_at=&send_mode=)."""
    schedule = {name: typed[name] for name in ("send_at", "send_mode") if typed.get(name)}
    if digest is None:
        return schedule
    initial = {"mailing_list": digest.mailing_list_id, "segment": digest.segment_id, "tailored": digest.tailored,
               **schedule}
    for language in languages():
        for name in ("subject", "preheader", "intro"):
            initial[f"{name}_{language}"] = getattr(digest, f"{name}_{language}") or ""
    return initial


def _posted_list_id(request: HttpRequest, digest: Digest | None) -> int | None:
    if request.method != "POST":
        return digest.mailing_list_id if digest else None
    list_id = _int(request.POST.get("mailing_list"))
    # Only a list she may see offers its items (another organisation's list is refused by the form too).
    return list_id if list_id and visible(MailingList.objects.filter(pk=list_id), request.user).exists() else None


def _int(value) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
