"""Deleting an image of the desk's library: asked once more, refused while a news item shows it, scoped to her
organisations, its file removed before its row and never half deleted."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.core.files.storage import default_storage
from django.urls import reverse

from editorial.models import AuditEntry, OrganisationMembership
from newsletter.media_images import media_image_absolute_url, media_image_upload
from newsletter.models import MediaImage
from tests.newsletter.factories import make_item, make_list
from tests.support.images import image_bytes, upload
from tests.support.organisations import default_organisation, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def an_image(*, organisation=None, alt_text="Mothers at the UN") -> MediaImage:
    return media_image_upload(organisation_id=(organisation or default_organisation()).pk, upload=upload(image_bytes()),
                              alt_text=alt_text)


def delete_url(image: MediaImage) -> str:
    return reverse("desk:media_delete", args=[image.pk])


def test_it_asks_once_more_and_deletes_the_file_then_the_row_with_an_audit_entry(editor, editor_client):
    image = an_image()
    name = image.file.name

    question = editor_client.get(delete_url(image)).content.decode()
    response = editor_client.post(delete_url(image))

    assert 'id="media-delete-yes"' in question and "an email already sent may show it" in question
    assert response.status_code == 302 and response["Location"] == reverse("desk:media")
    assert not MediaImage.objects.filter(pk=image.pk).exists() and not default_storage.exists(name)
    entry = AuditEntry.objects.get(action=AuditEntry.Action.MEDIA_IMAGE_DELETED)
    assert entry.actor == editor and entry.target_id == str(image.pk)
    assert entry.organisation_id == default_organisation().pk
    assert "was deleted" in editor_client.get(reverse("desk:media")).content.decode()


def test_it_offers_delete_on_each_image_of_the_library(editor_client):
    image = an_image()
    page = editor_client.get(reverse("desk:media")).content.decode()
    assert f'href="{delete_url(image)}" data-testid="media-delete"' in page


def test_it_refuses_an_image_a_news_item_still_shows_and_names_the_item(editor_client):
    image = an_image()
    make_item(title="Mothers speak at the UN", image_url=media_image_absolute_url(image), image_alt="x",
              mailing_list=make_list())

    question = editor_client.get(delete_url(image)).content.decode()
    refused = editor_client.post(delete_url(image)).content.decode()

    for page in (question, refused):
        assert "cannot be deleted: news items still show it" in page and "Mothers speak at the UN" in page
        assert 'id="media-delete-yes"' not in page
    assert MediaImage.objects.filter(pk=image.pk).exists() and default_storage.exists(image.file.name)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.MEDIA_IMAGE_DELETED).exists()


def test_it_counts_without_naming_another_organisations_items_that_show_it(editor_client, settings):
    image = an_image()
    settings.SITE_URL = "https://elsewhere.example.org"  # saved under another address: still the same file
    make_item(title="Their secret item", image_url=media_image_absolute_url(image), image_alt="x",
              mailing_list=make_list(organisation=make_organisation()))

    page = editor_client.post(delete_url(image)).content.decode()

    assert "And 1 news item of another organisation." in page and "Their secret item" not in page
    assert MediaImage.objects.filter(pk=image.pk).exists()


def test_it_keeps_the_row_and_says_so_when_the_storage_cannot_remove_the_file(editor_client, monkeypatch):
    image = an_image()

    def refuse(name):
        raise OSError("storage unreachable")

    monkeypatch.setattr(default_storage, "delete", refuse)
    response = editor_client.post(delete_url(image), follow=True)

    assert "could not be removed from storage, so the image stays" in response.content.decode()
    assert MediaImage.objects.filter(pk=image.pk).exists()
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.MEDIA_IMAGE_DELETED).exists()


def test_it_answers_another_organisations_image_like_a_missing_one(editor_client):
    theirs = an_image(organisation=make_organisation(), alt_text="Their picture")

    assert editor_client.get(delete_url(theirs)).status_code == 404
    assert editor_client.post(delete_url(theirs)).status_code == 404
    assert MediaImage.objects.filter(pk=theirs.pk).exists()


def test_it_never_deletes_on_get(editor_client):
    image = an_image()
    editor_client.get(delete_url(image))
    assert MediaImage.objects.filter(pk=image.pk).exists() and default_storage.exists(image.file.name)


def test_it_refuses_staff_without_the_permission_and_hides_the_button(client, django_user_model, roles):
    image = an_image()
    staff = django_user_model.objects.create_user(username="viewer", password="pw", is_staff=True)
    staff.user_permissions.add(Permission.objects.get(codename="view_mediaimage"))
    OrganisationMembership.objects.create(user=staff, organisation=default_organisation())
    client.force_login(staff)

    assert client.post(delete_url(image)).status_code == 403
    assert client.get(delete_url(image)).status_code == 403
    library = client.get(reverse("desk:media")).content.decode()
    assert image.alt_text in library and 'data-testid="media-delete"' not in library
    assert MediaImage.objects.filter(pk=image.pk).exists()
