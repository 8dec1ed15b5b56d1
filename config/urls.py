from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.static import serve

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

# Uploaded images, when they live on this server's disk (FileSystemStorage, the default; make run): served by Django
# itself, in production too, since the image library is small. S3-style storage serves its own URLs.
if (settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
        and settings.MEDIA_URL.startswith("/")):
    def _media(request, path):
        return serve(request, path, document_root=settings.MEDIA_ROOT)  # read per request: tests move MEDIA_ROOT

    urlpatterns.append(re_path(rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.+)$", _media))
