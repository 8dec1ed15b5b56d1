"""The desk's feeds: what each brought in, and adding one, which imports it at once (newsletter.importing.feed_add,
the admin's import-on-save) and shows what came in; a waiting page asks again by itself (htmx) until it ended."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from desk.access import desk_view
from desk.news_forms import FeedForm
from desk.selectors_news import feed_recent_items, feed_recent_problems, feed_state, feed_states_for
from editorial.access import visible_or_404
from newsletter.importing import feed_add
from newsletter.models import Feed
from newsletter.services import NewsletterError


@desk_view("newsletter.view_feed")
def feed_list(request: HttpRequest) -> HttpResponse:
    return render(request, "desk/feeds/list.html", {"states": feed_states_for(request.user)})


@desk_view("newsletter.add_feed")
def feed_new(request: HttpRequest) -> HttpResponse:
    form = FeedForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            feed = feed_add(mailing_list_id=data["mailing_list"].pk, url=data["url"], name=data["name"],
                            language=data["language"])
        except NewsletterError as exc:
            form.add_error("url", str(exc))
        else:
            messages.info(request, _("The feed is added; its first import is running."))
            return redirect("desk:feed", feed_id=feed.pk)
    return render(request, "desk/feeds/new.html", {"form": form})


@desk_view("newsletter.view_feed")
def feed_detail(request: HttpRequest, feed_id: int) -> HttpResponse:
    return render(request, "desk/feeds/detail.html", _feed_context(request, feed_id))


@desk_view("newsletter.view_feed")
def feed_status(request: HttpRequest, feed_id: int) -> HttpResponse:
    """The part of the feed page that changes when an import ends (htmx asks for it while waiting)."""
    return render(request, "desk/feeds/_status.html", _feed_context(request, feed_id))


def _feed_context(request: HttpRequest, feed_id: int) -> dict:
    feed = visible_or_404(Feed.objects.select_related("mailing_list"), request.user, pk=feed_id)
    return {"state": feed_state(feed), "feed": feed, "items": feed_recent_items(feed, request.user),
            "problems": feed_recent_problems(feed, request.user)}
