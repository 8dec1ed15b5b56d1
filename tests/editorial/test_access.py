"""Access by organisation: a member of one organisation reads and changes nothing of another's, through any admin
page, action, export, preview, test send, dashboard data URL or form choice; a superuser sees everything; a member
of two organisations sees both.

The walks below are built from the admin's registry and the editorial URLs, so a new admin page or custom admin URL
is covered without a new test; an object of the other organisation must then be added to `theirs`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import models
from django.test import Client, RequestFactory
from django.urls import URLPattern, reverse
from django.utils import timezone

from editorial import urls as editorial_urls
from editorial.access import GLOBAL, visible
from editorial.admin_scoping import ScopedAdmin, ScopedInline
from editorial.models import AuditEntry, Invitation, OrganisationMembership
from editorial.roles import ADMINISTRATOR, EDITOR
from editorial.services import audit_record, user_grant_role, user_join_organisation
from newsletter.models import Digest, DigestItem, Feed, ImportProblem, MediaImage, NewsItem, RecurringDigest
from operations.models import OutboxMessage
from subscribers.models import ConsentRecord, EmailEvent, QueuedEmail, Segment, Subscriber, SubscribeRequest, Subscription
from tests.subscribers.factories import make_subscriber, subscribe
from tests.support.organisations import default_organisation, make_organisation
from tests.worker.factories import make_digest, make_list, make_variant
from worker.models import Send
from worker.planning import audience_plan

pytestmark = [pytest.mark.django_db]

MARK = "zztheirs"  # in every name of the other organisation's objects; never on a page of ours


def _registered() -> list[str]:
    return sorted(model._meta.label_lower for model in admin.site._registry)


def _model_admin(label: str):
    return next(a for m, a in admin.site._registry.items() if m._meta.label_lower == label)


def _person(username: str, role: str, *organisations):
    user = get_user_model().objects.create_user(username=username, email=f"{username}@example.org", password="pw")
    user_grant_role(user_id=user.pk, role=role)
    for organisation in organisations:
        user_join_organisation(user_id=user.pk, organisation_id=organisation.pk)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ours(roles):
    """Our organisation (the test factories' default) with a list, a sending digest and a subscriber."""
    mailing_list = make_list(name="Our list", slug="our-list")
    reader = make_subscriber("our-reader@example.org")
    subscribe(reader, mailing_list)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="Our digest")
    audience_plan(digest=digest, variants=[make_variant(digest)], batch_size=10)
    return {"organisation": default_organisation(), "list": mailing_list, "digest": digest, "reader": reader}


@pytest.fixture
def theirs(roles) -> dict[str, models.Model]:
    """One object of another organisation for every registered admin model that is not shared (GLOBAL)."""
    organisation = make_organisation(name="ZZTheirs Organisation", feedback_sender_id="zztheirs")
    mailing_list = make_list(organisation=organisation, name="ZZTheirs list", slug="zztheirs-list",
                             from_email="news@zztheirs.example")
    reader = make_subscriber("zztheirs-reader@example.org", name="ZZTheirs Reader")
    subscription = subscribe(reader, mailing_list)
    consent = ConsentRecord.objects.create(subscriber=reader, mailing_list=mailing_list, text="ZZTheirs consent",
                                           version="1", source=ConsentRecord.Source.FORM)
    segment = Segment.objects.create(mailing_list=mailing_list, name="ZZTheirs segment", filters={})
    item = NewsItem.objects.create(title="ZZTheirs item", summary="ZZTheirs")
    item.mailing_lists.add(mailing_list)
    digest = make_digest(mailing_list, status=Digest.Status.SENDING, subject="ZZTheirs digest")
    DigestItem.objects.create(digest=digest, news_item=item, position=1)
    plan_variant = make_variant(digest)
    audience_plan(digest=digest, variants=[plan_variant], batch_size=10)
    feed = Feed.objects.create(mailing_list=mailing_list, name="ZZTheirs feed", url="https://zztheirs.example/feed")
    problem = ImportProblem.objects.create(feed=feed, source=feed.source, reference="zztheirs-1", reason="ZZTheirs")
    recurring = RecurringDigest.objects.create(mailing_list=mailing_list, subject="ZZTheirs {date}",
                                               time_of_day="09:00")
    image = MediaImage.objects.create(organisation=organisation, file="images/zztheirs.png", alt_text="ZZTheirs image")
    event = EmailEvent.objects.create(event_id="zztheirs-event", event_type="delivered", digest_id=digest.pk)
    entry = audit_record(actor_id=None, action=AuditEntry.Action.DIGEST_SCHEDULED, target=digest,
                         description="ZZTheirs entry")
    outbox = OutboxMessage.objects.create(
        from_email="news@zztheirs.example", to="zztheirs-reader@example.org", subject="ZZTheirs mail", raw="ZZTheirs",
        headers={"List-Id": '"ZZTheirs list" <zztheirs-list.lists.zztheirs.example>'})
    queued = QueuedEmail.objects.create(kind=QueuedEmail.Kind.CONFIRMATION, subscriber=reader, list_ids=[mailing_list.pk])
    request = SubscribeRequest.objects.create(email="zztheirs-new@example.org", language="en",
                                              list_slugs=[mailing_list.slug], consent_source="form",
                                              consent_text="ZZTheirs", consent_version="1")
    colleague = get_user_model().objects.create_user(username="zztheirs-editor", email="zztheirs-editor@example.org")
    membership = OrganisationMembership.objects.create(user=colleague, organisation=organisation)
    invitation = Invitation.objects.create(email="zztheirs-invited@example.org", role=EDITOR, language="en",
                                           token_hash="zztheirs", expires_at=timezone.now() + timedelta(days=1))
    invitation.organisations.set([organisation])
    return {
        "organisations.organisation": organisation,
        "subscribers.mailinglist": mailing_list,
        "subscribers.subscriber": reader,
        "subscribers.subscription": subscription,
        "subscribers.consentrecord": consent,
        "subscribers.segment": segment,
        "subscribers.emailevent": event,
        "subscribers.queuedemail": queued,
        "subscribers.subscriberequest": request,
        "newsletter.newsitem": item,
        "newsletter.digest": digest,
        "newsletter.feed": feed,
        "newsletter.importproblem": problem,
        "newsletter.recurringdigest": recurring,
        "newsletter.mediaimage": image,
        "worker.send": Send.objects.get(pk=digest.pk),
        "worker.batch": digest.batches.get(),
        "worker.delivery": digest.deliveries.get(),
        "operations.outboxmessage": outbox,
        "editorial.auditentry": entry,
        "editorial.organisationmembership": membership,
        "auth.user": colleague,
        "editorial.invitation": invitation,
    }


@pytest.fixture(params=[EDITOR, ADMINISTRATOR])
def member(request, ours, theirs) -> Client:
    """An Editor, then an Administrator, of our organisation only."""
    return _person(f"our-{request.param.lower()}", request.param, ours["organisation"])


def _snapshot(objects: dict[str, models.Model]) -> dict[str, list[dict]]:
    return {label: list(type(obj)._default_manager.filter(pk=obj.pk).values()) for label, obj in objects.items()}


def _assert_hidden(response, where: str) -> None:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert MARK not in body.decode("utf-8", "replace").lower(), where


# Values for the non-id arguments of custom admin URLs; an argument not listed here fails the walk (add it).
_ARGUMENT_VALUES = {
    "language": ["en"],
    "action": ["test", "schedule", "reschedule", "unschedule", "cancel", "pause", "resume", "send_now"],
}


def _object_urls(model_admin, obj) -> list[str]:
    """Every named URL of a ModelAdmin that takes an object, filled with `obj`."""
    urls = []
    for pattern in model_admin.get_urls():
        if not isinstance(pattern, URLPattern) or not pattern.name or not pattern.pattern.converters:
            continue
        names = list(pattern.pattern.converters)
        choices = [[]]
        for name in names:
            if name in ("object_id", "id", "pk") or name.endswith("_id"):
                values = [str(obj.pk)]
            else:
                assert name in _ARGUMENT_VALUES, f"{pattern.name}: give test values for the URL argument {name!r}"
                values = _ARGUMENT_VALUES[name]
            choices = [chosen + [(name, value)] for chosen in choices for value in values]
        urls += [reverse(f"admin:{pattern.name}", kwargs=dict(kwargs)) for kwargs in choices]
    return urls


@pytest.mark.parametrize("label", _registered())
def test_it_answers_404_for_every_admin_page_of_another_organisations_object(label, member, theirs):
    if label in GLOBAL:
        return  # shared by every organisation: nothing of theirs to hide (SharedRowsAdmin keeps changes to superusers)
    assert label in theirs, f"add an object of the other organisation for {label} to the `theirs` fixture"
    model_admin = _model_admin(label)
    obj = theirs[label]
    before = _snapshot(theirs)

    for url in _object_urls(model_admin, obj):
        for method in ("get", "post"):
            response = getattr(member, method)(url, {"name": "changed", "subject": "changed"} if method == "post" else {})
            assert response.status_code in (403, 404, 405), (method, url, response.status_code)
            _assert_hidden(response, f"{method} {url}")

    assert _snapshot(theirs) == before


@pytest.mark.parametrize("label", _registered())
def test_it_shows_nothing_of_another_organisation_in_any_change_list_add_form_or_custom_page(label, member, theirs):
    model_admin = _model_admin(label)
    opts = model_admin.model._meta
    urls = [reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            reverse(f"admin:{opts.app_label}_{opts.model_name}_add")]
    urls += [reverse(f"admin:{p.name}") for p in model_admin.get_urls()
             if isinstance(p, URLPattern) and p.name and not p.pattern.converters]
    for url in set(urls):
        response = member.get(url, follow=True)
        assert response.status_code in (200, 400, 403), (url, response.status_code)
        _assert_hidden(response, url)
    obj = theirs.get(label)
    if obj is not None:
        change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert change not in member.get(urls[0]).content.decode()


@pytest.mark.parametrize("label", _registered())
def test_it_lets_no_admin_action_touch_another_organisations_object(label, member, theirs, django_user_model):
    obj = theirs.get(label)
    if obj is None:
        return
    model_admin = _model_admin(label)
    opts = model_admin.model._meta
    probe = RequestFactory().get("/")  # every action there is: as a superuser sees them
    probe.user = django_user_model.objects.create_superuser("root-for-actions", "root@example.org", "pw")
    before = _snapshot(theirs)

    for action in model_admin.get_actions(probe):
        response = member.post(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
                               {"action": action, "_selected_action": [obj.pk]})
        assert response.status_code in (200, 302, 403), (label, action, response.status_code)
        _assert_hidden(response, f"{label} action {action}")

    assert _snapshot(theirs) == before


@pytest.mark.parametrize("label", _registered())
def test_it_offers_no_autocomplete_choice_of_another_organisation(label, member, theirs):
    """Every foreign key and many-to-many of a registered model, asked through the admin's autocomplete."""
    for field in _model_admin(label).model._meta.get_fields():
        if not (field.is_relation and (field.many_to_one or field.many_to_many) and not field.auto_created):
            continue
        opts = field.model._meta
        response = member.get(reverse("admin:autocomplete"), {"app_label": opts.app_label, "model_name": opts.model_name,
                                                              "field_name": field.name, "term": ""})
        assert response.status_code in (200, 403, 404), (label, field.name, response.status_code)
        _assert_hidden(response, f"autocomplete {label}.{field.name}")


def test_it_covers_every_registered_admin_and_inline_with_the_organisation_rule(member):
    user = get_user_model().objects.get(username__startswith="our-")
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, ScopedAdmin), f"{model._meta.label} admin must mix in ScopedAdmin"
        for inline in model_admin.inlines:
            assert issubclass(inline, ScopedInline), f"{inline.__name__} must mix in ScopedInline"
        visible(model._default_manager.all(), user).exists()  # raises ScopeUnknown for a model with no rule


def test_it_keeps_the_dashboard_and_its_json_to_our_organisation(member, ours, theirs):
    for pattern in editorial_urls.urlpatterns:
        if pattern.pattern.converters:
            continue
        response = member.get(reverse(f"editorial:{pattern.name}"))
        assert response.status_code == 200, pattern.name
        _assert_hidden(response, pattern.name)

    progress = json.loads(member.get(reverse("editorial:progress")).content)

    assert [d["subject"] for d in progress["digests"]] == ["Our digest"]


def test_it_answers_404_to_every_dashboard_url_that_takes_another_organisations_digest(member, theirs):
    digest = theirs["newsletter.digest"]
    before = _snapshot(theirs)
    for pattern in editorial_urls.urlpatterns:
        converters = list(pattern.pattern.converters)
        if not converters:
            continue
        assert set(converters) <= {"digest_id", "action"}, f"{pattern.name}: give test values for {converters}"
        for action in (_ARGUMENT_VALUES["action"] if "action" in converters else [None]):
            kwargs = {"digest_id": digest.pk, **({"action": action} if action else {})}
            for method in ("get", "post"):
                response = getattr(member, method)(reverse(f"editorial:{pattern.name}", kwargs=kwargs))
                # 405 for a GET of a POST-only lever; never a redirect that would mean it was done
                assert response.status_code in (403, 404, 405), (pattern.name, action, method, response.status_code)
                _assert_hidden(response, f"{method} {pattern.name} {action}")

    assert _snapshot(theirs) == before


def test_it_lets_an_editor_pause_her_own_organisations_digest_from_the_dashboard(ours, theirs):
    client = _person("our-editor", EDITOR, ours["organisation"])

    response = client.post(reverse("editorial:control", args=[ours["digest"].pk, "pause"]))

    assert response.status_code == 302 and Digest.objects.get(pk=ours["digest"].pk).status == Digest.Status.PAUSED


def test_it_offers_only_our_lists_and_segments_in_every_form_and_refuses_theirs_when_posted(ours, theirs):
    client = _person("our-editor", EDITOR, ours["organisation"])
    their_list, their_segment = theirs["subscribers.mailinglist"], theirs["subscribers.segment"]

    compose = client.post(reverse("admin:newsletter_digest_compose"),
                          {"mailing_list": their_list.pk, "segment": their_segment.pk, "subject": "Stolen"})
    feed = client.post(reverse("admin:newsletter_feed_add"),
                       {"mailing_list": their_list.pk, "url": "https://example.org/feed", "is_active": "on"})
    item = client.post(reverse("admin:newsletter_newsitem_add"),
                       {"title": "Stolen", "published_at_0": "2026-12-01", "published_at_1": "09:00",
                        "language": "en", "source": "manual", "mailing_lists": [their_list.pk]})

    assert compose.status_code == feed.status_code == item.status_code == 200  # the forms again, with errors
    assert "Select a valid choice" in compose.content.decode() and "Select a valid choice" in feed.content.decode()
    assert not Digest.objects.filter(subject="Stolen").exists() and not NewsItem.objects.filter(title="Stolen").exists()
    assert Feed.objects.filter(mailing_list=their_list).count() == 1


def test_it_imports_nothing_into_another_organisations_list(ours, theirs):
    from django.core.files.uploadedfile import SimpleUploadedFile

    administrator = _person("our-admin", ADMINISTRATOR, ours["organisation"])
    their_list = theirs["subscribers.mailinglist"]

    people = administrator.post(reverse("admin:subscribers_mailinglist_import"), {
        "mailing_list": their_list.pk, "consent_source": "a fair",
        "file": SimpleUploadedFile("people.csv", b"email\nsmuggled@example.org\n", content_type="text/csv")})
    news = administrator.post(reverse("admin:newsletter_newsitem_import_csv"), {
        "mailing_lists": [their_list.pk],
        "file": SimpleUploadedFile("news.csv", b"title,published\nSmuggled,2026-12-01\n", content_type="text/csv")})

    assert people.status_code == news.status_code == 200  # the forms again, with errors
    assert "Select a valid choice" in people.content.decode() and "Select a valid choice" in news.content.decode()
    assert not Subscriber.objects.filter(email="smuggled@example.org").exists()
    assert not NewsItem.objects.filter(title="Smuggled").exists()


def test_it_counts_no_audience_of_another_organisations_list(ours, theirs):
    client = _person("our-editor", EDITOR, ours["organisation"])
    url = reverse("admin:subscribers_segment_count")
    their_list = theirs["subscribers.mailinglist"]

    theirs_answer = client.get(url, {"list": their_list.pk, "filters": "{}"})
    missing_answer = client.get(url, {"list": 999999, "filters": "{}"})
    also_on = client.get(url, {"list": ours["list"].pk, "filters": json.dumps({"lists_any": [their_list.slug]})})
    ours_answer = client.get(url, {"list": ours["list"].pk, "filters": "{}"})

    assert theirs_answer.status_code == missing_answer.status_code == also_on.status_code == 400
    assert theirs_answer.content == missing_answer.content == also_on.content
    assert json.loads(ours_answer.content) == {"count": 1}


def test_it_shows_a_shared_subscriber_with_only_our_subscriptions_and_keeps_her_erasure_and_export_from_us(
        ours, theirs):
    client = _person("our-admin", ADMINISTRATOR, ours["organisation"])
    shared = theirs["subscribers.subscriber"]
    ours_subscription = subscribe(shared, ours["list"])
    changelist = reverse("admin:subscribers_subscriber_changelist")

    listing = client.get(changelist).content.decode()
    page = client.get(reverse("admin:subscribers_subscriber_change", args=[shared.pk])).content.decode()
    export = client.post(changelist, {"action": "export_personal_data", "_selected_action": [shared.pk]})
    client.post(changelist, {"action": "erase", "_selected_action": [shared.pk]})
    delete = client.post(reverse("admin:subscribers_subscriber_delete", args=[shared.pk]), {"post": "yes"})
    client.post(reverse("admin:subscribers_subscription_changelist"),
                {"action": "unsubscribe", "_selected_action": [ours_subscription.pk, theirs["subscribers.subscription"].pk]})

    assert "zztheirs-reader@example.org" in listing and "Our list" in page and "ZZTheirs list" not in page
    assert 'name="email"' not in page  # read-only: her address is hers across organisations
    assert export.status_code == 302 and "application/json" not in export.get("Content-Type", "")
    assert delete.status_code == 403 and Subscriber.objects.filter(pk=shared.pk).exists()
    assert Subscription.objects.get(pk=ours_subscription.pk).status == Subscription.Status.UNSUBSCRIBED
    assert Subscription.objects.get(pk=theirs["subscribers.subscription"].pk).status == Subscription.Status.ACTIVE


def test_it_filters_subscribers_by_the_status_of_our_lists_subscriptions_only(ours, theirs):
    client = _person("our-admin", ADMINISTRATOR, ours["organisation"])
    shared = theirs["subscribers.subscriber"]  # active on their list
    subscribe(shared, ours["list"], status=Subscription.Status.UNSUBSCRIBED)
    url = reverse("admin:subscribers_subscriber_changelist")

    active = client.get(url, {"subscription_status": "active"}).content.decode()
    left = client.get(url, {"subscription_status": "unsubscribed"}).content.decode()

    assert "our-reader@example.org" in active and "zztheirs-reader@example.org" not in active
    assert "zztheirs-reader@example.org" in left


def test_it_lets_our_administrator_erase_someone_who_is_only_on_our_lists(ours, theirs):
    client = _person("our-admin", ADMINISTRATOR, ours["organisation"])

    client.post(reverse("admin:subscribers_subscriber_changelist"),
                {"action": "erase", "_selected_action": [ours["reader"].pk]})

    assert not Subscriber.objects.filter(pk=ours["reader"].pk).exists()


def test_it_keeps_another_organisations_list_on_a_shared_news_item_we_edit(ours, theirs):
    client = _person("our-editor", EDITOR, ours["organisation"])
    item = theirs["newsletter.newsitem"]
    item.mailing_lists.add(ours["list"])

    response = client.post(reverse("admin:newsletter_newsitem_change", args=[item.pk]), {
        "title": "Edited", "published_at_0": "2026-12-01", "published_at_1": "09:00", "language": "en",
        "source": "manual", "mailing_lists": [ours["list"].pk]})

    assert response.status_code == 302
    assert set(NewsItem.objects.get(pk=item.pk).mailing_lists.all()) == {ours["list"], theirs["subscribers.mailinglist"]}


def test_it_lets_a_member_read_but_not_change_a_news_item_on_no_list(ours, theirs):
    client = _person("our-editor", EDITOR, ours["organisation"])
    shared = NewsItem.objects.create(title="Shared by everyone")
    url = reverse("admin:newsletter_newsitem_change", args=[shared.pk])

    page = client.get(url)
    client.post(url, {"title": "Changed", "published_at_0": "2026-12-01", "published_at_1": "09:00", "language": "en",
                      "source": "manual", "mailing_lists": [ours["list"].pk]})

    assert page.status_code == 200 and "Shared by everyone" in page.content.decode()
    assert NewsItem.objects.get(pk=shared.pk).title == "Shared by everyone"


def test_it_shows_audit_entries_of_our_objects_and_our_own_acts_only(ours, theirs):
    client = _person("our-editor", EDITOR, ours["organisation"])
    audit_record(actor_id=None, action=AuditEntry.Action.DIGEST_SCHEDULED, target=ours["digest"], description="Ours")

    page = client.get(reverse("admin:editorial_auditentry_changelist")).content.decode()

    assert "Ours" in page and "ZZTheirs entry" not in page
    assert AuditEntry.objects.get(description="ZZTheirs entry").organisation == theirs["organisations.organisation"]


def test_it_keeps_the_outbox_pages_to_our_lists_messages(ours, theirs):
    client = _person("our-admin", ADMINISTRATOR, ours["organisation"])
    OutboxMessage.objects.create(from_email="news@example.org", to="our-reader@example.org", subject="Our mail",
                                 raw="x", headers={"List-Id": '"Our list" <our-list.lists.example.org>'})
    message = theirs["operations.outboxmessage"]

    listing = client.get(reverse("outbox-list"))
    detail = client.get(reverse("outbox-detail", args=[message.pk]))
    html = client.get(reverse("outbox-html", args=[message.pk]))

    assert "Our mail" in listing.content.decode() and MARK not in listing.content.decode().lower()
    assert detail.status_code == html.status_code == 404


def test_it_keeps_memberships_roles_and_superuser_status_to_superusers(ours, theirs):
    client = _person("our-admin", ADMINISTRATOR, ours["organisation"])
    me = get_user_model().objects.get(username="our-admin")

    client.post(reverse("admin:editorial_organisationmembership_add"),
                {"user": me.pk, "organisation": theirs["organisations.organisation"].pk})
    client.post(reverse("admin:auth_user_change", args=[me.pk]), {
        "username": "our-admin", "is_superuser": "on", "is_staff": "on", "is_active": "on",
        "date_joined_0": "2026-12-01", "date_joined_1": "09:00",
        "organisation_memberships-TOTAL_FORMS": "1", "organisation_memberships-INITIAL_FORMS": "0",
        "organisation_memberships-0-organisation": theirs["organisations.organisation"].pk})

    me.refresh_from_db()
    assert not me.is_superuser
    assert set(me.organisation_memberships.values_list("organisation_id", flat=True)) == {ours["organisation"].pk}


def test_it_shows_a_superuser_every_organisation(ours, theirs, admin_client):
    for url in (reverse("admin:newsletter_digest_changelist"), reverse("admin:subscribers_subscriber_changelist"),
                reverse("admin:editorial_auditentry_changelist")):
        assert MARK in admin_client.get(url).content.decode().lower(), url
    subjects = {d["subject"] for d in json.loads(admin_client.get(reverse("editorial:progress")).content)["digests"]}
    assert subjects == {"Our digest", "ZZTheirs digest"}


def test_it_shows_a_member_of_two_organisations_both(ours, theirs):
    client = _person("both-editor", EDITOR, ours["organisation"], theirs["organisations.organisation"])

    page = client.get(reverse("admin:newsletter_digest_changelist")).content.decode()
    progress = json.loads(client.get(reverse("editorial:progress")).content)
    preview = client.get(reverse("admin:newsletter_digest_preview", args=[theirs["newsletter.digest"].pk]))

    assert "Our digest" in page and "ZZTheirs digest" in page and preview.status_code == 200
    assert {d["subject"] for d in progress["digests"]} == {"Our digest", "ZZTheirs digest"}


def test_it_shows_a_staff_account_in_no_organisation_nothing_of_any(ours, theirs):
    client = _person("nobodys-editor", EDITOR)

    page = client.get(reverse("admin:newsletter_digest_changelist")).content.decode()

    assert "Our digest" not in page and "ZZTheirs digest" not in page
    assert json.loads(client.get(reverse("editorial:progress")).content)["digests"] == []


def test_it_makes_a_person_a_member_with_sync_roles(ours, theirs, capsys):
    get_user_model().objects.create_user(username="newcomer")

    call_command("sync_roles", "--grant", "newcomer", EDITOR, "--member", "newcomer", "zztheirs")

    newcomer = get_user_model().objects.get(username="newcomer")
    assert list(newcomer.organisation_memberships.values_list("organisation__name", flat=True)) == ["ZZTheirs Organisation"]
    assert "newcomer is now a member of ZZTheirs Organisation." in capsys.readouterr().out
    assert AuditEntry.objects.filter(action=AuditEntry.Action.ORGANISATION_JOINED,
                                     organisation=theirs["organisations.organisation"]).exists()


def test_it_refuses_an_unknown_organisation_in_sync_roles(roles):
    from django.core.management.base import CommandError

    get_user_model().objects.create_user(username="newcomer")
    with pytest.raises(CommandError, match="no organisation 'nowhere'"):
        call_command("sync_roles", "--member", "newcomer", "nowhere")



def test_it_lets_members_add_shared_rows_and_only_superusers_change_or_delete_them(ours, admin_client):
    from subscribers.models import Suppression, Topic

    client = _person("our-admin", ADMINISTRATOR, ours["organisation"])
    topic = Topic.objects.create(name="Health", slug="health")
    suppression = Suppression.objects.create(email_hash="a" * 64, reason=Suppression.Reason.COMPLAINT)

    # A topic's name has an input per language (subscribers.admin_texts): `name_en`.
    added = client.post(reverse("admin:subscribers_topic_add"), {"name_en": "Work", "slug": "work"})
    renamed = client.post(reverse("admin:subscribers_topic_change", args=[topic.pk]), {"name_en": "Renamed", "slug": "health"})
    lifted = client.post(reverse("admin:subscribers_suppression_delete", args=[suppression.pk]), {"post": "yes"})
    by_superuser = admin_client.post(reverse("admin:subscribers_topic_change", args=[topic.pk]),
                                     {"name_en": "Renamed", "slug": "health"})

    assert added.status_code == 302 and Topic.objects.filter(slug="work").exists()
    assert renamed.status_code == 403 and lifted.status_code == 403 and Suppression.objects.filter(pk=suppression.pk).exists()
    assert by_superuser.status_code == 302 and Topic.objects.get(pk=topic.pk).name == "Renamed"


def test_it_lets_an_administrator_change_her_organisation_but_neither_add_nor_delete_one(ours):
    client = _person("our-admin", ADMINISTRATOR, ours["organisation"])
    organisation = ours["organisation"]

    page = client.get(reverse("admin:organisations_organisation_change", args=[organisation.pk]))
    add = client.get(reverse("admin:organisations_organisation_add"))
    delete = client.post(reverse("admin:organisations_organisation_delete", args=[organisation.pk]), {"post": "yes"})

    assert page.status_code == 200 and 'name="postal_address"' in page.content.decode()
    assert add.status_code == delete.status_code == 403
