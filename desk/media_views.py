"""The desk's image library: every picture of her organisations with its alt text, and an upload form."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from desk.access import desk_view
from desk.news_forms import MediaImageForm
from desk.selectors_news import media_images_for
from newsletter.media_images import MediaImageError, media_image_upload


@desk_view("newsletter.view_mediaimage")
def media_library(request: HttpRequest) -> HttpResponse:
    form = MediaImageForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST":
        if not request.user.has_perm("newsletter.add_mediaimage"):
            raise PermissionDenied
        if form.is_valid():
            try:
                image = media_image_upload(organisation_id=form.cleaned_data["organisation"].pk,
                                           upload=form.cleaned_data["file"], alt_text=form.cleaned_data["alt_text"],
                                           uploaded_by_id=request.user.pk)
            except MediaImageError as exc:
                form.add_error("file", str(exc))
            else:
                messages.success(request, _("The image “%(alt)s” is in the library.") % {"alt": image.alt_text})
                return redirect("desk:media")
    return render(request, "desk/media/library.html", {"form": form, "images": media_images_for(request.user)[:200]})
