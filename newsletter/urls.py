from django.urls import path

from newsletter import views

urlpatterns = [
    path("archive/", views.archive_list, name="archive"),
    path("archive/feed/", views.ArchiveAtomFeed(), name="archive-feed"),
    path("archive/<int:digest_id>/", views.archive_detail, name="archive-detail"),
    path("test-email/<int:digest_id>/<str:link>/", views.test_link, name="test-link"),
]
