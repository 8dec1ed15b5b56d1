from django.contrib import admin
from django.urls import path

from editorial import views

app_name = "editorial"

# admin_view: the admin's login and staff check (and CSRF) around each view; permissions are
# checked in the views themselves.
urlpatterns = [
    path("", admin.site.admin_view(views.dashboard), name="dashboard"),
    path("progress.json", admin.site.admin_view(views.progress), name="progress"),
    path("subscriber/", admin.site.admin_view(views.subscriber_lookup), name="subscriber_lookup"),
    path("digest/<int:digest_id>/<str:action>/", admin.site.admin_view(views.control), name="control"),
]
