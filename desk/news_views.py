"""The desk's news items: a searchable list and one form to write or change an item (rich body, picture)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from desk.access import desk_view
from desk.news_forms import NewsItemForm
from desk.prose import allow_import_maps
from desk.selectors_news import news_items_for
from editorial.access import visible, visible_or_404, visible_organisation_ids
from newsletter.models import NewsItem
from newsletter.services import NewsletterError, news_item_save
from subscribers.models import LANGUAGE_CHOICES, MailingList


@desk_view("newsletter.view_newsitem")
def news_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    language = request.GET.get("language", "")
    page = Paginator(news_items_for(request.user, query=query, language=language), 50).get_page(request.GET.get("page"))
    return render(request, "desk/news/list.html", {"page": page, "query": query, "language": language,
                                                   "languages": LANGUAGE_CHOICES})


@desk_view("newsletter.add_newsitem")
def news_new(request: HttpRequest) -> HttpResponse:
    return _news_form(request, item=None)


@desk_view("newsletter.change_newsitem")
def news_edit(request: HttpRequest, item_id: int) -> HttpResponse:
    item = visible_or_404(NewsItem.objects.all(), request.user, pk=item_id)
    if visible_organisation_ids(request.user) is not None and not item.mailing_lists.exists():
        # An item on no list is every organisation's (decision 0015): read by all, changed by superusers only.
        raise PermissionDenied
    return _news_form(request, item=item)


def _news_form(request: HttpRequest, *, item: NewsItem | None) -> HttpResponse:
    initial = None
    if item is not None:
        # image_alt left empty: the current one is kept unless she types another (or picks a library image, whose
        # own alt text then comes with it).
        initial = {name: getattr(item, name) for name in ("title", "dateline", "language", "summary", "body_html",
                                                           "link")}
        initial |= {"mailing_lists": list(item.mailing_lists.all()), "topics": list(item.topics.all())}
    elif request.method == "GET":
        initial = {"language": request.GET.get("language") or request.LANGUAGE_CODE}
    form = NewsItemForm(request.POST or None, request.FILES or None, user=request.user, item=item, initial=initial)
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data.get("image_upload") and not request.user.has_perm("newsletter.add_mediaimage"):
            raise PermissionDenied  # an upload joins the image library
        chosen = [mailing_list.pk for mailing_list in form.cleaned_data["mailing_lists"]]
        kept = _lists_she_cannot_see(item, request.user)
        translation_of = form.cleaned_data.get("translation_of")
        image = form.cleaned_data.get("image")
        try:
            saved = news_item_save(
                item_id=item.pk if item else None, fields=form.item_fields(), mailing_list_ids=chosen + kept,
                topic_ids=[topic.pk for topic in form.cleaned_data["topics"]],
                image_id=image.pk if image else None, upload=form.cleaned_data.get("image_upload"),
                upload_alt=form.cleaned_data.get("image_alt", ""), organisation_id=form.organisation_id(),
                uploaded_by_id=request.user.pk, translation_of_id=translation_of.pk if translation_of else None,
            )
        except NewsletterError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The news item “%(title)s” is saved.") % {"title": saved.title})
            return redirect("desk:news_edit", item_id=saved.pk)
    translations = []
    if item is not None and item.translation_key:
        translations = visible(NewsItem.objects.filter(translation_key=item.translation_key).exclude(pk=item.pk),
                               request.user)
    response = render(request, "desk/news/form.html", {"form": form, "item": item, "translations": translations})
    return allow_import_maps(response)


def _lists_she_cannot_see(item: NewsItem | None, user) -> list[int]:
    """Lists of other organisations the item is on: her form does not show them, so saving must keep them."""
    if item is None:
        return []
    current = set(item.mailing_lists.values_list("pk", flat=True))
    return sorted(current - set(visible(MailingList.objects.filter(pk__in=current), user).values_list("pk", flat=True)))
