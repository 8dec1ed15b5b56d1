"""The admin's index leads editors to the editor's desk (/desk/)."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.django_db]


def test_it_links_the_desk_from_the_admin_index_for_editors(editor_client):
    index = editor_client.get(reverse("admin:index")).content.decode()

    assert f'href="{reverse("desk:home")}"' in index and 'id="desk-link"' in index


def test_it_names_the_desk_in_arabic_on_the_admin_index(editor_client):
    index = editor_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()

    assert f'href="{reverse("desk:home")}"' in index
    assert "مكتب التحرير" in index and "Editor's desk" not in index
