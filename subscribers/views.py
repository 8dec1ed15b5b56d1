"""Public pages: subscribe, confirm, unsubscribe (RFC 8058), preferences; and the JSON subscribe API.

Views parse, check, call one service and render. GET and HEAD never change anything: link scanners
open every URL in an email, so confirming and unsubscribing need a POST.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timesince import timeuntil
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from config.client_ip import client_ip
from subscribers import choices, json_body, ratelimit, selectors, services, subscribe_requests, tokens
from subscribers.consent import consent_evidence, consent_texts
from subscribers.forms import PreferencesForm, SubscribeForm
from subscribers.models import ConsentRecord, MailingList, Subscriber, Subscription
from subscribers.texts import list_text

_LANGUAGES = {code for code, _name in settings.LANGUAGES}
_ONE_CLICK = "One-Click"


def _activate_language(request: HttpRequest, preferred: str | None = None) -> str:
    """?lang= wins (the switcher on every page), then the subscriber's own language, then the browser's."""
    language = request.GET.get("lang") or preferred
    if language in _LANGUAGES:
        translation.activate(language)
        request.LANGUAGE_CODE = language
    return translation.get_language()


def _consent(request: HttpRequest, source: str, lists) -> services.ConsentContext:
    """What she agreed to for `lists` (a queryset): the consent sentence of each of their organisations."""
    text, version = consent_evidence(selectors.organisations_of_lists(lists))
    return services.ConsentContext(
        source=source,
        text=text,
        version=version,
        ip_address=client_ip(request),
        user_agent=request.headers.get("User-Agent", ""),
    )


def _invalid_link(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/link_invalid.html", status=400)


# --- Subscribe -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    language = _activate_language(request)
    status = 200
    if request.method == "POST":
        if not ratelimit.subscribe_allowed_for_ip(client_ip(request)):
            return render(request, "pages/subscribe_limited.html", status=429)
        form = _subscribe_form_submitted(request.POST, lambda slugs: _consent(
            request, ConsentRecord.Source.FORM, MailingList.objects.filter(slug__in=slugs, is_public=True)))
        if form.is_valid():
            # The same page for every address, new or known, and for bots: nothing to enumerate.
            return render(request, "pages/subscribe_sent.html", {"archive_url": reverse("archive")})
        status = 400
    else:
        choices.forget()  # the page shows what the database holds now; the POSTs that follow reuse it
        public = [slug for slug, _name in choices.public_lists()]
        chosen = [slug for slug in request.GET.getlist("list") if slug in public] or (public if len(public) == 1 else [])
        form = SubscribeForm(initial={"language": language, "lists": chosen})
    # Every organisation whose lists the form offers: its consent sentence, and its name and address.
    organisations = selectors.organisations_of_lists(MailingList.objects.filter(is_public=True))
    return render(request, "pages/subscribe.html",
                  {"form": form, "consent_texts": consent_texts(organisations), "organisations": organisations},
                  status=status)


def _subscribe_form_submitted(data, consent: Callable[[list[str]], services.ConsentContext]) -> SubscribeForm:
    """Validate `data` and, when valid and not a bot, store the request for a worker to decide
    (subscribers.subscribe_requests). Returns the bound form.

    The form checks lists and topics against choices a few seconds old (subscribers.choices); an error is
    decided again on fresh ones, so answers are exactly those of a form that read the database.
    """
    form = SubscribeForm(data)
    if not form.is_valid():
        choices.forget()
        form = SubscribeForm(data)
        if not form.is_valid():
            return form
    if form.is_bot:
        return form
    cleaned = form.cleaned_data
    subscribe_requests.subscribe_request_queue(
        email=cleaned["email"],
        name=cleaned["name"],
        language=cleaned["language"],
        time_zone=cleaned["time_zone"],
        list_slugs=cleaned["lists"],
        topic_slugs=cleaned["topics"],
        consent=consent(cleaned["lists"]),
    )
    return form


def _cors_headers(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    origin = request.headers.get("Origin")
    if origin and origin in settings.SUBSCRIBE_CORS_ORIGINS:
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Methods"] = "POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type"
        response["Access-Control-Max-Age"] = "600"
    response["Vary"] = "Origin"
    return response


@csrf_exempt  # called cross-site by forms embedded on the organisation's website; no cookies involved
@require_http_methods(["POST", "OPTIONS"])
def api_subscribe(request: HttpRequest) -> HttpResponse:
    origin = request.headers.get("Origin")
    if origin and origin not in settings.SUBSCRIBE_CORS_ORIGINS:
        return JsonResponse({"ok": False, "error": _("This website may not use the subscribe API.")}, status=403)
    if request.method == "OPTIONS":
        return _cors_headers(request, HttpResponse(status=204))
    _activate_language(request)
    if not ratelimit.subscribe_allowed_for_ip(client_ip(request)):
        limited = {"ok": False, "error": _("Too many requests. Please try again later.")}
        return _cors_headers(request, JsonResponse(limited, status=429))
    try:
        payload = json_body.json_object_from(request)
    except json_body.BadJsonBody as bad:
        return _cors_headers(request, JsonResponse({"ok": False, "error": bad.message}, status=bad.status))
    data = {key: payload.get(key) for key in ("email", "name", "language", "website", "time_zone")
            if payload.get(key) is not None}
    data = {key: value if isinstance(value, str) else json.dumps(value) for key, value in data.items()}
    for key in ("lists", "topics"):
        value = payload.get(key, [])
        data[key] = [value] if isinstance(value, str) else [str(v) for v in value] if isinstance(value, list) else [str(value)]
    data["language"] = data.get("language") or translation.get_language()
    if payload.get("consent") is True:
        data["consent"] = "on"
    form = _subscribe_form_submitted(data, lambda slugs: _consent(
        request, ConsentRecord.Source.API, MailingList.objects.filter(slug__in=slugs, is_public=True)))
    if not form.is_valid():
        errors = {field: [str(message) for message in messages] for field, messages in form.errors.items()}
        return _cors_headers(request, JsonResponse({"ok": False, "errors": errors}, status=400))
    message = _("Thank you. Please check your inbox: we sent you an email to confirm your subscription.")
    return _cors_headers(request, JsonResponse({"ok": True, "message": message}, status=202))


# --- Confirm ---------------------------------------------------------------------------------------------


@csrf_exempt  # the signed token is the credential; people with cookies blocked must still be able to confirm
@require_http_methods(["GET", "HEAD", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = tokens.read_confirm_link(token)
    except tokens.BadToken:
        _activate_language(request)
        return _invalid_link(request)
    subscriber = Subscriber.objects.filter(pk=link.subscriber_id).first()
    _activate_language(request, subscriber.language if subscriber else None)
    if subscriber is None:
        return _invalid_link(request)
    if request.method == "POST":
        services.subscription_confirm(
            subscriber_id=link.subscriber_id, list_ids=link.list_ids, topic_ids=link.topic_ids, requested_at=link.requested_at
        )
    state = selectors.confirm_link_state(
        subscriber_id=link.subscriber_id, list_ids=link.list_ids, requested_at=link.requested_at
    )
    if not state.confirmable and not state.active:
        # She left after this link was sent: only a new request (and its own email) can bring her back.
        return render(request, "pages/confirm.html", {"dead": True, "subscribe_url": reverse("subscribe")})
    language = translation.get_language()  # the page's, as _activate_language chose it
    lists = MailingList.objects.filter(pk__in=state.confirmable or state.active)
    names = sorted(list_text(ml, "name", language=language) for ml in lists)
    confirmed = not state.confirmable
    return render(request, "pages/confirm.html", {
        "list_names": names, "confirmed": confirmed, "organisations": selectors.organisations_of_lists(lists),
        # Where to go next once she is in: her own preferences (the link is hers alone) and the past issues.
        "preferences_url": tokens.preferences_url(subscriber_id=link.subscriber_id) if confirmed else "",
        "archive_url": reverse("archive"),
    })


# --- Unsubscribe (RFC 8058) -------------------------------------------------------------------------


@csrf_exempt  # RFC 8058: mail clients POST here with no cookie, no CSRF token and no login
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        link = tokens.read_unsubscribe_link(token)
    except tokens.BadToken:
        _activate_language(request)
        if request.method == "POST":
            return HttpResponse(_("This unsubscribe link is not valid."), status=400, content_type="text/plain; charset=utf-8")
        return _invalid_link(request)
    subscriber_id, list_id = link.subscriber_id, link.list_id
    if request.method == "POST" and "undo" in request.POST:
        return _undo_unsubscribe(request, subscriber_id=subscriber_id, list_id=list_id)
    if request.method == "POST" and "resubscribe" in request.POST:
        return _resubscribe(request, subscriber_id=subscriber_id, list_id=list_id)
    if request.method == "POST" and request.POST.get("List-Unsubscribe") == _ONE_CLICK:
        # RFC 8058, at the volume of a whole send's mail clients: one UPDATE, nothing read first.
        language = services.subscription_unsubscribe_one_click(subscriber_id=subscriber_id, list_id=list_id,
                                                               source="one-click", digest_id=link.digest_id)
        if language is None:  # already unsubscribed (a second click) or no such subscription
            language = Subscriber.objects.filter(pk=subscriber_id).values_list("language", flat=True).first()
        _activate_language(request, language)
        return HttpResponse(_("You have been unsubscribed."), content_type="text/plain; charset=utf-8")
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    mailing_list = MailingList.objects.select_related("organisation").filter(pk=list_id).first()
    _activate_language(request, subscriber.language if subscriber else None)
    undo_token = ""
    if request.method == "POST":
        ended_at = timezone.now()
        if services.subscription_unsubscribe(subscriber_id=subscriber_id, list_id=list_id, source="link", at=ended_at,
                                             digest_id=link.digest_id):
            # Only the response to the POST that ended it can undo it: a second click on an old link cannot.
            undo_token = tokens.make_undo_token(subscriber_id=subscriber_id, list_id=list_id, unsubscribed_at=ended_at)
    context = {
        "mailing_list": mailing_list,
        "list_name": list_text(mailing_list, "name", language=translation.get_language()) if mailing_list else "",
        "done": request.method == "POST",
        # An old link opened after she left: the page offers to subscribe again, by a fresh confirmation email.
        "left": request.method != "POST" and subscriber is not None and selectors.subscription_status(
            subscriber_id=subscriber_id, list_id=list_id) == Subscription.Status.UNSUBSCRIBED,
        "undo_token": undo_token,
        "preferences_url": tokens.preferences_url(subscriber_id=subscriber_id) if subscriber else "",
        "organisations": [mailing_list.organisation] if mailing_list else [],
    }
    return render(request, "pages/unsubscribe.html", context)


def _undo_unsubscribe(request: HttpRequest, *, subscriber_id: int, list_id: int) -> HttpResponse:
    try:
        undo_subscriber, undo_list, unsubscribed_at = tokens.read_undo_token(request.POST["undo"])
    except tokens.BadToken:
        undo_subscriber = None
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if undo_subscriber != subscriber_id or undo_list != list_id or subscriber is None:
        _activate_language(request)
        return _invalid_link(request)
    _activate_language(request, subscriber.language)
    outcome = services.subscription_undo_unsubscribe(
        subscriber_id=subscriber_id, list_id=list_id, unsubscribed_at=unsubscribed_at,
        consent=_consent(request, ConsentRecord.Source.FORM, MailingList.objects.filter(pk=list_id)),
    )
    if outcome is None:
        message = _("This can no longer be undone here. You can manage your subscriptions on your preferences page.")
    elif outcome.restored:
        message = _("Done: you are subscribed again, as before.")
    else:
        message = _confirmation_message(outcome)
    return _answer_page(request, subscriber_id=subscriber_id, list_id=list_id, message=message,
                        restored=outcome is not None and outcome.restored, asked_again=_asked_again(outcome))


def _resubscribe(request: HttpRequest, *, subscriber_id: int, list_id: int) -> HttpResponse:
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        _activate_language(request)
        return _invalid_link(request)
    _activate_language(request, subscriber.language)
    outcome = services.subscription_resubscribe_request(
        subscriber_id=subscriber_id, list_id=list_id,
        consent=_consent(request, ConsentRecord.Source.FORM, MailingList.objects.filter(pk=list_id)),
    )
    if outcome is None:
        message = _("You are not unsubscribed from this newsletter: there is nothing to do here.")
    else:
        message = _confirmation_message(outcome) or _(
            "We cannot send a confirmation email to this address. Write to us if you want our newsletters again.")
    return _answer_page(request, subscriber_id=subscriber_id, list_id=list_id, message=message,
                        asked_again=_asked_again(outcome))


def _asked_again(outcome: services.PreferencesOutcome | None) -> bool:
    """Whether her answer is a confirmation email (sent now, or a moment ago): the page says to check her inbox."""
    return outcome is not None and bool(outcome.confirmation_sent_for or outcome.wait_seconds)


def _answer_page(request: HttpRequest, *, subscriber_id: int, list_id: int, message: str, restored: bool = False,
                 asked_again: bool = False) -> HttpResponse:
    """The unsubscribe page answering her undo or "subscribe again": what happened, in words."""
    mailing_list = MailingList.objects.select_related("organisation").filter(pk=list_id).first()
    context = {
        "mailing_list": mailing_list,
        "list_name": list_text(mailing_list, "name", language=translation.get_language()) if mailing_list else "",
        "organisations": [mailing_list.organisation] if mailing_list else [],
        "done": True,
        "restored": restored,
        "asked_again": asked_again,
        "undo_message": message,
        "preferences_url": tokens.preferences_url(subscriber_id=subscriber_id),
    }
    return render(request, "pages/unsubscribe.html", context)


def _confirmation_message(outcome: services.PreferencesOutcome) -> str:
    """What the person is told about her confirmation email: the truth, including when she may ask again."""
    if outcome.wait_seconds:
        return _(
            "We sent you a confirmation email for this a moment ago: check your inbox and your spam folder. "
            "You can ask for a new one in %(wait)s."
        ) % {"wait": timeuntil(timezone.now() + timedelta(seconds=outcome.wait_seconds))}
    if outcome.confirmation_sent_for:
        return _("We sent you an email: confirm it to start receiving the newsletters you added.")
    return ""


# --- Preferences ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber_id = tokens.read_preferences_token(token)
    except tokens.BadToken:
        _activate_language(request)
        return _invalid_link(request)
    subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        _activate_language(request)
        return _invalid_link(request)
    language = _activate_language(request, subscriber.language)
    message = ""
    status = 200
    if request.method == "POST" and "unsubscribe_all_confirmed" in request.POST:
        services.subscription_unsubscribe_all(subscriber_id=subscriber_id, source="preferences")
        message = _("You have left every newsletter: we will send you none of them any more.")
        form = _preferences_form(subscriber, language)
    elif "unsubscribe_all" in request.GET or (request.method == "POST" and "unsubscribe_all" in request.POST):
        # Leaving everything is asked once more, on its own page (no script needed); this step changes nothing.
        return _unsubscribe_all_ask(request, subscriber, language)
    elif request.method == "POST":
        form = PreferencesForm(request.POST, subscriber=subscriber, language=language)
        if form.is_valid():
            outcome = services.subscriber_update_preferences(
                subscriber_id=subscriber_id,
                language=form.cleaned_data["language"],
                time_zone=form.cleaned_data["time_zone"],
                topic_ids=[topic.pk for topic in form.cleaned_data["topics"]],
                list_ids=[mailing_list.pk for mailing_list in form.cleaned_data["lists"]],
                consent=_consent(request, ConsentRecord.Source.FORM, form.cleaned_data["lists"]),
                resend="resend" in request.POST,
            )
            subscriber.refresh_from_db()
            language = _activate_language(request, subscriber.language)  # answer in the language she just chose
            message = " ".join(filter(None, [_("Your preferences are saved."), _confirmation_message(outcome)]))
            form = _preferences_form(subscriber, language)
        else:
            status = 400
    else:
        form = _preferences_form(subscriber, language)
    organisations = selectors.organisations_of_lists(form.fields["lists"].queryset)
    return render(request, "pages/preferences.html", {"form": form, "message": message, "organisations": organisations},
                  status=status)


def _unsubscribe_all_ask(request: HttpRequest, subscriber: Subscriber, language: str) -> HttpResponse:
    lists = selectors.lists_receiving(subscriber_id=subscriber.pk)
    return render(request, "pages/unsubscribe_all.html", {
        "list_names": sorted(list_text(ml, "name", language=language) for ml in lists),
        "back_url": f"{request.path}?lang={language}",
        "organisations": selectors.organisations_of_lists(lists),
    })


def _preferences_form(subscriber: Subscriber, language: str) -> PreferencesForm:
    """Ticked: the lists she receives, and those she asked for, labelled as waiting for her confirmation."""
    awaiting = selectors.lists_awaiting_confirmation(subscriber_id=subscriber.pk)
    active = subscriber.subscriptions.filter(status=Subscription.Status.ACTIVE).values_list("mailing_list_id", flat=True)
    return PreferencesForm(
        subscriber=subscriber,
        language=language,
        awaiting=awaiting,
        initial={
            "language": subscriber.language,
            "time_zone": subscriber.time_zone,
            "topics": list(subscriber.topics.values_list("pk", flat=True)),
            "lists": sorted({*active, *awaiting}),
        },
    )
