"""An uploaded picture becomes a library image: checked to be a real image, refused when too large, turned
upright from its EXIF orientation, stripped of its metadata, narrowed to MEDIA_IMAGE_MAX_WIDTH, and stored
through Django's default storage with its alt text."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from PIL import Image

from newsletter.media_images import MediaImageError, media_image_absolute_url, media_image_upload
from newsletter.models import MediaImage
from tests.support.images import image_bytes, upload
from tests.support.organisations import default_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://news.example.org"


def _stored(image: MediaImage) -> Image.Image:
    with default_storage.open(image.file.name) as handle:
        picture = Image.open(io.BytesIO(handle.read()))
        picture.load()
    return picture


def test_it_stores_a_png_with_its_alt_text_size_and_organisation():
    image = media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes(width=80, height=60)),
                               alt_text="  Mothers at the UN  ")

    assert image.alt_text == "Mothers at the UN"
    assert (image.width, image.height) == (80, 60)
    assert image.organisation == default_organisation()
    assert image.file.name.startswith("images/") and image.file.name.endswith(".png")
    assert default_storage.exists(image.file.name)
    assert _stored(image).size == (80, 60)


def test_it_gives_the_absolute_address_an_email_needs():
    image = media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes()), alt_text="A")
    assert media_image_absolute_url(image) == f"https://news.example.org/media/{image.file.name}"


def test_it_narrows_a_wide_picture_to_the_largest_width_keeping_its_proportions(settings):
    settings.MEDIA_IMAGE_MAX_WIDTH = 300
    image = media_image_upload(organisation_id=default_organisation().pk,
                               upload=upload(image_bytes(width=1200, height=800, format="JPEG"), "wide.jpg", "image/jpeg"),
                               alt_text="Wide")

    assert (image.width, image.height) == (300, 200)
    assert _stored(image).size == (300, 200) and _stored(image).format == "JPEG"


def test_it_turns_a_photo_upright_from_its_exif_orientation_and_drops_the_camera_data():
    # Orientation 6: the camera was turned; the picture must be shown rotated 90° clockwise.
    sideways = image_bytes(width=200, height=100, format="JPEG", orientation=6, camera="Secret Phone 12")

    image = media_image_upload(organisation_id=default_organisation().pk, upload=upload(sideways, "p.jpg", "image/jpeg"),
                               alt_text="Upright")

    stored = _stored(image)
    assert stored.size == (100, 200) and (image.width, image.height) == (100, 200)
    assert dict(stored.getexif()) == {}
    with default_storage.open(image.file.name) as handle:
        assert b"Secret Phone" not in handle.read()


def test_it_refuses_a_file_that_is_not_an_image_in_plain_words():
    with pytest.raises(MediaImageError, match="not an image we can use"):
        media_image_upload(organisation_id=default_organisation().pk,
                           upload=upload(b"%PDF-1.4 not a picture", "report.png"), alt_text="Report")
    assert not MediaImage.objects.exists()


def test_it_refuses_a_truncated_image():
    with pytest.raises(MediaImageError):
        media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes()[:60]), alt_text="Cut")


def test_it_refuses_a_file_larger_than_the_limit(settings):
    settings.MEDIA_UPLOAD_MAX_BYTES = 100
    with pytest.raises(MediaImageError, match="too large"):
        media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes(width=400, height=400)),
                           alt_text="Big")
    assert not MediaImage.objects.exists()


def test_it_requires_alt_text():
    with pytest.raises(MediaImageError, match="alt text"):
        media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes()), alt_text="  ")
    assert not MediaImage.objects.exists()


def test_it_converts_a_gif_to_an_image_every_email_client_shows():
    image = media_image_upload(organisation_id=default_organisation().pk,
                               upload=upload(image_bytes(format="GIF"), "a.gif", "image/gif"), alt_text="Gif")
    assert _stored(image).format in {"PNG", "JPEG"}


def test_it_refuses_a_picture_with_too_many_pixels_before_decoding_it(monkeypatch):
    monkeypatch.setattr("newsletter.media_images.MAX_PIXELS", 1000)
    with pytest.raises(MediaImageError, match="too many pixels"):
        media_image_upload(organisation_id=default_organisation().pk, upload=upload(image_bytes(width=40, height=30)),
                           alt_text="Huge")
