from django.urls import path

from operations import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("outbox/", views.outbox_list, name="outbox-list"),
    path("outbox/<int:pk>/", views.outbox_detail, name="outbox-detail"),
    path("outbox/<int:pk>/html", views.outbox_html, name="outbox-html"),
]
