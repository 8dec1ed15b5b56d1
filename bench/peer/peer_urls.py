"""django-newsletter's own URLs: its message template reverses the unsubscribe URL for every recipient."""

from django.urls import include, path

urlpatterns = [path("newsletter/", include("newsletter.urls"))]
