"""The desk's image library: every picture of her organisations with its alt text, an upload form, and deleting a
picture no news item shows any more."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from desk.access import desk_view
from desk.news_forms import MediaImageForm
from desk.selectors_news import media_images_for
from editorial.access import visible, visible_or_404
from newsletter.media_images import MediaImageError, MediaImageInUse, media_image_delete, media_image_upload, media_image_users
from newsletter.models import MediaImage


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


@desk_view("newsletter.delete_mediaimage")
def media_delete(request: HttpRequest, image_id: int) -> HttpResponse:
    """GET asks once more (naming the news items that still show it, if any); POST deletes."""
    image = visible_or_404(MediaImage.objects.select_related("organisation"), request.user, pk=image_id)
    if request.method == "POST":
        try:
            media_image_delete(image_id=image.pk, actor_id=request.user.pk)
        except MediaImageInUse:
            pass  # the page names the news items that still show it
        except MediaImageError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The image “%(alt)s” was deleted.") % {"alt": image.alt_text})
            return redirect("desk:media")
    users = media_image_users(image=image)
    shown = list(visible(users, request.user))
    context = {"image": image, "items": shown, "hidden_items": users.count() - len(shown)}
    return render(request, "desk/media/delete.html", context)
