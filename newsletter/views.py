"""Public archive: sent digests of public lists, each digest's web version, and an Atom feed."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.feedgenerator import Atom1Feed

from newsletter.models import Digest, DigestVariant
from newsletter.sanitising import intro_html, intro_plain
from newsletter.selectors import (
    TEST_LINKS,
    WEB_VISIBLE_STATUSES,
    archive_digests,
    editor_test_key_is_valid,
    web_page_items,
    web_version_key_is_valid,
)
from newsletter.subjects import digest_text, variant_subject
from subscribers.models import LANGUAGE_CHOICES
from subscribers.texts import list_text

_LANGUAGE_NAMES = dict(LANGUAGE_CHOICES)


def archive_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(archive_digests(), 50).get_page(request.GET.get("page"))
    language = translation.get_language()  # the page's (LocaleMiddleware)
    for digest in page.object_list:
        digest.shown_list_name = list_text(digest.mailing_list, "name", language=language)
        digest.shown_subject = variant_subject(digest, language)
    return render(request, "pages/archive_list.html", {"page": page})


def archive_detail(request: HttpRequest, digest_id: int) -> HttpResponse:
    """The web version ("view in browser"): same content as the email, no personal links, HTML sanitised.

    Open to everyone for sent digests of public lists; otherwise only with the signed key the
    view-in-browser link carries (private lists, digests still being sent), or with a test email's key
    (any status: a draft's test must open too), marked as a test.
    """
    digest = Digest.objects.select_related("mailing_list__organisation").filter(pk=digest_id).first()
    if digest is None:
        raise Http404("No such digest")
    public = digest.mailing_list.is_public and digest.status == Digest.Status.SENT
    keyed = web_version_key_is_valid(digest_id=digest.id, key=request.GET.get("k", "")) and digest.status in WEB_VISIBLE_STATUSES
    test = not (public or keyed) and editor_test_key_is_valid(digest_id=digest.id, key=request.GET.get("t", ""))
    if not (public or keyed or test):
        raise Http404("No such digest")
    # A tailored digest has several variants per language; the web version shows every item in each language.
    languages = list(dict.fromkeys(DigestVariant.objects.filter(digest=digest).order_by("id").values_list("language", flat=True)))
    if not languages:
        languages = [digest.mailing_list.default_language]
    language = request.GET.get("lang") if request.GET.get("lang") in languages else languages[0]
    others = [
        {"code": code, "name": _LANGUAGE_NAMES.get(code, code)} for code in languages if code != language
    ]
    with translation.override(language):
        response = render(
            request,
            "pages/archive_detail.html",
            {
                "digest": digest,
                "list_name": list_text(digest.mailing_list, "name", language=language),
                "subject": variant_subject(digest, language),
                "intro": intro_html(digest_text(digest, "intro", language).value),
                "intro_text": intro_plain(digest_text(digest, "intro", language).value),
                "items": web_page_items(digest_id=digest.id, language=language),
                "other_languages": others,
                "key": request.GET.get("k", "") if keyed and not public else "",
                "test_key": request.GET.get("t", "") if test else "",
                "noindex": not public,
                "organisation_address": digest.mailing_list.organisation.postal_address,
            },
        )
    if not public:
        response["X-Robots-Tag"] = "noindex"  # reachable only through a recipient's link
    return response


def test_link(request: HttpRequest, digest_id: int, link: str) -> HttpResponse:
    """Where a test email's unsubscribe and preferences links lead: a page saying it was a test. It reads
    the digest only, for its list's name, and writes nothing, whatever the method (consent is sacred)."""
    digest = Digest.objects.select_related("mailing_list__organisation").filter(pk=digest_id).first()
    if link not in TEST_LINKS or digest is None or not editor_test_key_is_valid(digest_id=digest_id,
                                                                                key=request.GET.get("t", "")):
        raise Http404("No such test link")
    languages = [code for code, _name in LANGUAGE_CHOICES]
    language = request.GET.get("lang") if request.GET.get("lang") in languages else digest.mailing_list.default_language
    with translation.override(language):
        return render(request, "pages/test_link.html", {
            "link": link,
            "list_name": list_text(digest.mailing_list, "name", language=language),
            "organisations": [digest.mailing_list.organisation],
        })


# XML 1.0 cannot carry these control characters: one in a title made the whole feed a server error.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value: str) -> str:
    return _NOT_XML.sub("", value or "")


class ArchiveAtomFeed(Feed):
    feed_type = Atom1Feed
    title = "Newsletter archive"
    subtitle = "Digests sent to the public mailing lists, each with the organisation that sent it."

    def link(self) -> str:
        # Absolute from SITE_URL: the feed's ids must not change with the Host a reader used.
        return f"{settings.SITE_URL}/archive/"

    def items(self):
        return archive_digests()[:30]

    def item_title(self, item: Digest) -> str:
        language = item.mailing_list.default_language
        return _xml_text(f"{list_text(item.mailing_list, 'name', language=language)}: {variant_subject(item, language)}")

    def item_description(self, item: Digest) -> str:
        language = item.mailing_list.default_language
        titles = [entry.title for entry in web_page_items(digest_id=item.id, language=language)]
        return _xml_text("\n".join(filter(None, [intro_plain(digest_text(item, "intro", language).value), *titles])))

    def item_author_name(self, item: Digest) -> str:
        return _xml_text(item.mailing_list.organisation.name)

    def item_link(self, item: Digest) -> str:
        return f"{settings.SITE_URL}/archive/{item.id}/"

    def item_pubdate(self, item: Digest):
        return item.finished_at or item.started_at or item.send_at or item.created_at

    def item_updateddate(self, item: Digest):
        return item.finished_at or item.updated_at
