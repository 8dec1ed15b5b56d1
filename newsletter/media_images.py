"""Writes for the image library: an upload becomes a MediaImage, checked, turned upright, stripped of its
metadata (EXIF carries camera serials and places) and narrowed to MEDIA_IMAGE_MAX_WIDTH, then saved through
Django's default storage only (a local folder in development, S3-style storage in production).
Why images are copied onto news items as URLs: docs/decisions/0023-news-images-and-rich-text.md (and why an image
a news item still shows cannot be deleted)."""

from __future__ import annotations

import io
import logging
import uuid
from urllib.parse import urljoin

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

from editorial.models import AuditEntry
from editorial.services import audit_record
from newsletter.models import MediaImage
from newsletter.sanitising import plain_text
from newsletter.selectors import media_image_news_items

log = logging.getLogger(__name__)

# What email clients show everywhere; anything else (GIF, WebP, BMP, TIFF) is converted to one of these.
_KEPT_FORMATS = {"JPEG": ("JPEG", "jpg"), "PNG": ("PNG", "png")}
# A small compressed file can hold a huge picture that takes gigabytes to decode: refused before decoding.
MAX_PIXELS = 50_000_000
_ACCEPTED_FORMATS = {"JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF"}


class MediaImageError(Exception):
    """An upload that cannot become a library image (or an image that cannot leave it); the message says why, in
    words an editor understands."""


class MediaImageInUse(MediaImageError):
    """An image still shown by news items (`items`): deleting its file would break them."""

    def __init__(self, message: str, *, items: list) -> None:
        super().__init__(message)
        self.items = items


def media_image_upload(*, organisation_id: int, upload, alt_text: str, uploaded_by_id: int | None = None) -> MediaImage:
    """Store `upload` (a Django UploadedFile or any file object with .size) as a library image of the organisation."""
    alt_text = plain_text(alt_text)[:300]
    if not alt_text:
        raise MediaImageError(_("Describe the image in a few words (alt text): people who cannot see it hear this."))
    limit = settings.MEDIA_UPLOAD_MAX_BYTES
    if getattr(upload, "size", 0) > limit:
        raise MediaImageError(_("The file is too large: at most %(megabytes)s MB.") % {"megabytes": _megabytes(limit)})
    content, extension, width, height = _prepared(upload)
    image = MediaImage(organisation_id=organisation_id, alt_text=alt_text, uploaded_by_id=uploaded_by_id,
                       width=width, height=height)
    # The storage call is the network call in production: made before the row is written, outside any transaction.
    image.file.save(f"{uuid.uuid4().hex}.{extension}", ContentFile(content), save=False)
    image.save()
    log.info("event=media_image_uploaded", extra={"media_image_id": image.pk, "organisation_id": organisation_id,
                                                  "width": width, "height": height, "bytes": len(content)})
    return image


def media_image_delete(*, image_id: int, actor_id: int | None) -> None:
    """Remove a library image: refused (MediaImageInUse) while a news item shows it; otherwise its file goes
    first, through default storage and outside any transaction (the network call in production), then its row
    with an audit entry. A storage failure keeps the row (MediaImageError), so nothing is left half deleted."""
    image = MediaImage.objects.get(pk=image_id)
    items = list(media_image_users(image=image))
    if items:
        raise MediaImageInUse(_("This image is still shown by news items; change their picture first."), items=items)
    name = image.file.name
    try:
        default_storage.delete(name)
    except Exception as exc:  # each storage backend raises its own errors (OSError locally, botocore's on S3)
        log.warning("event=media_image_file_delete_failed", extra={"media_image_id": image_id, "error": str(exc)})
        raise MediaImageError(_("The file could not be removed from storage, so the image stays in the library. "
                                "Try again in a moment.")) from exc
    with transaction.atomic():
        audit_record(actor_id=actor_id, action=AuditEntry.Action.MEDIA_IMAGE_DELETED, target=image,
                     description=_("Image “%(alt)s” deleted from the library.") % {"alt": image.alt_text},
                     extra={"file": name})
        MediaImage.objects.filter(pk=image_id).delete()
    log.info("event=media_image_deleted", extra={"media_image_id": image_id, "organisation_id": image.organisation_id})


def media_image_users(*, image: MediaImage):
    """The news items that still show `image` (newsletter.selectors.media_image_news_items)."""
    return media_image_news_items(image_url=media_image_absolute_url(image), file_name=image.file.name)


def media_image_absolute_url(image: MediaImage) -> str:
    """The image's address as an email needs it: absolute (SITE_URL + MEDIA_URL path, or the storage's own URL)."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", image.file.url)


def _prepared(upload) -> tuple[bytes, str, int, int]:
    """(bytes to store, file extension, width, height) of an upright, metadata-free, narrowed copy of `upload`."""
    refusal = MediaImageError(_("This file is not an image we can use: upload a JPEG or PNG photo or picture."))
    try:
        upload.seek(0)
        with Image.open(upload) as probe:
            probe.verify()  # reads the whole file: a truncated or forged image fails here
            source_format, (width, height) = probe.format, probe.size
        if source_format not in _ACCEPTED_FORMATS:
            raise refusal
        if width * height > MAX_PIXELS:
            raise MediaImageError(_("The image has too many pixels: make it smaller than %(megapixels)d megapixels.")
                                  % {"megapixels": MAX_PIXELS // 1_000_000})
        upload.seek(0)
        with Image.open(upload) as opened:
            opened.load()
            picture = ImageOps.exif_transpose(opened)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise refusal from None
    max_width = settings.MEDIA_IMAGE_MAX_WIDTH
    if picture.width > max_width:
        picture = picture.resize((max_width, max(1, round(picture.height * max_width / picture.width))),
                                 Image.Resampling.LANCZOS)
    output_format, extension = _KEPT_FORMATS.get(source_format) or (
        ("PNG", "png") if _has_transparency(picture) else ("JPEG", "jpg"))
    if output_format == "JPEG" and picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    elif output_format == "PNG" and picture.mode not in ("RGB", "RGBA", "L", "LA", "P"):
        picture = picture.convert("RGBA")
    buffer = io.BytesIO()
    # Saved without exif=/icc metadata arguments: nothing of the camera's metadata is copied.
    options = {"quality": 85, "optimize": True} if output_format == "JPEG" else {"optimize": True}
    picture.save(buffer, format=output_format, **options)
    return buffer.getvalue(), extension, picture.width, picture.height


def _has_transparency(picture: Image.Image) -> bool:
    return picture.mode in ("RGBA", "LA", "PA") or (picture.mode == "P" and "transparency" in picture.info)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.0f}" if size >= 1024 * 1024 else f"{size / (1024 * 1024):.1f}"
