from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("desk/", include("desk.urls")),
    path("admin/dashboard/", include("editorial.urls")),
    path("", include("editorial.invitation_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("anymail/", include("subscribers.webhook_urls")),  # anymail.urls, guarded against malformed bodies
    path("", include("operations.urls")),
    path("", include("newsletter.urls")),
    path("", include("subscribers.urls")),
]
